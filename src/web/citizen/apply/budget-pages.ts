/**
 * The apply and track pages for the budgets bench and the browser tests (see ../pages.ts):
 * each makes its data through the API (a draft through the start form with a bearer
 * token, a birth registration dossier) before the measured load.
 */
import type { BudgetPage } from '../pages.ts';
import { demoBirthRegistrationForm as example } from '../../../modules/catalogue/index.ts';

type App = { url: string; token(account: string): Promise<string> };

/** A small valid one-page PDF (uploads must load as a PDF). */
const TINY_PDF = Buffer.from(
  '%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n' +
    '3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n',
);

/** An open draft of the birth registration for the account (the start form, as a bearer-token caller). */
async function draft(app: App, account: string): Promise<void> {
  const r = await fetch(`${app.url}/nop-ho-so/1.001193/bat-dau`, {
    method: 'POST',
    headers: { authorization: `Bearer ${await app.token(account)}`, 'content-type': 'application/x-www-form-urlencoded', accept: 'text/html' },
    body: 'agencyCode=000.00.04.H12',
    redirect: 'manual',
  });
  if (r.status !== 303) throw new Error(`draft: ${r.status}`);
}

/** A submitted birth registration of the account; returns its code. */
async function dossier(app: App, account: string): Promise<string> {
  const auth = { authorization: `Bearer ${await app.token(account)}` };
  const fd = new FormData();
  fd.set('file', new Blob([new Uint8Array(Buffer.concat([TINY_PDF, Buffer.from(`% ${Date.now()} ${Math.random()}\n`)]))], { type: 'application/pdf' }), 'giay-chung-sinh.pdf');
  const f = await fetch(`${app.url}/api/v1/files`, { method: 'POST', headers: auth, body: fd });
  if (f.status !== 201 && f.status !== 200) throw new Error(`upload: ${f.status} ${await f.text()}`);
  const file = (await f.json()) as { id: string };
  const form = structuredClone(example) as Record<string, any> // eslint-disable-line @typescript-eslint/no-explicit-any -- a demo example of any shape;
  form.birthEvidence.file = file.id;
  const r = await fetch(`${app.url}/api/v1/dossiers`, { method: 'POST', headers: { ...auth, 'content-type': 'application/json' }, body: JSON.stringify({ procedureCode: '1.001193', agencyCode: '000.00.04.H12', form }) });
  if (r.status !== 201) throw new Error(`dossier: ${r.status} ${await r.text()}`);
  return ((await r.json()) as { code: string }).code;
}

export const APPLY_BUDGET_PAGES: BudgetPage[] = [
  { name: 'apply-start', path: '/nop-ho-so/1.001193', as: 'citizen1' },
  { name: 'apply-step-declarant', path: '/nop-ho-so/1.001193/buoc/1', as: 'citizen1', prepare: async (app) => (await draft(app, 'citizen1'), '/nop-ho-so/1.001193/buoc/1') },
  { name: 'apply-step-child', path: '/nop-ho-so/1.001193/buoc/2', as: 'citizen1', prepare: async (app) => (await draft(app, 'citizen1'), '/nop-ho-so/1.001193/buoc/2') },
  { name: 'apply-check', path: '/nop-ho-so/1.001193/kiem-tra', as: 'citizen1', prepare: async (app) => (await draft(app, 'citizen1'), '/nop-ho-so/1.001193/kiem-tra') },
  { name: 'apply-confirmation', path: '/nop-ho-so/1.001193/da-nop/', as: 'citizen1', prepare: async (app) => `/nop-ho-so/1.001193/da-nop/${await dossier(app, 'citizen1')}` },
  { name: 'my-applications', path: '/ho-so', as: 'citizen1', prepare: async (app) => (await dossier(app, 'citizen1'), '/ho-so') },
  { name: 'application', path: '/ho-so/', as: 'citizen1', prepare: async (app) => `/ho-so/${await dossier(app, 'citizen1')}` },
  { name: 'notifications', path: '/thong-bao', as: 'citizen1', prepare: async (app) => (await dossier(app, 'citizen1'), '/thong-bao') },
  { name: 'lookup', path: '/tra-cuu' },
];
