/**
 * The apply pages over plain HTTP (no browser), for what the demo data does not show: a
 * procedure with cases (trường hợp) received at several offices: both must be chosen, the
 * draft keeps them and the dossier follows the case. Runs on PGlite and PostgreSQL.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { startTestApp, TINY_PDF, upload, type TestApp } from '../support/app.ts';
import { Browser } from '../support/browser.ts';
import { findCurrentProcedure, saveProcedureVersion } from '../../src/modules/catalogue/store.ts';
import { saveOffering } from '../../src/modules/catalogue/offering-store.ts';
import example from '../../src/modules/catalogue/demo/examples/1.001193.json' with { type: 'json' };

let app: TestApp;
const CODE = '9.990001';

before(async () => {
  app = await startTestApp({ env: { MOTCUA_RATE_LIMITS: 'off' } });
  const db = app.motcua.db;
  const birth = (await findCurrentProcedure(db, '1.001193'))!;
  await db.transaction(async (tx) => {
    await saveProcedureVersion(tx, {
      ...birth,
      code: CODE,
      name: 'Đăng ký khai sinh (thử nghiệm các trường hợp)',
      variants: [
        { id: 'v1', name: 'Trẻ sinh ở trong nước', legalProcessingDays: 1, channels: [], requiredDocuments: birth.requiredDocuments },
        { id: 'v2', name: 'Trẻ sinh ở nước ngoài về cư trú', legalProcessingDays: 3, channels: [], requiredDocuments: birth.requiredDocuments.slice(0, 1) },
      ],
    });
    for (const agencyCode of ['000.00.04.H12', '000.00.05.H12']) {
      await saveOffering(tx, { procedureCode: CODE, agencyCode, onlineLevel: 'full', active: true }, 'test');
    }
  });
});
after(async () => {
  await app?.close();
});

const csrfOf = (page: string): string => /name="_csrf" value="([^"]+)"/.exec(page)![1]!;
const form = (o: Record<string, string>) => ({ method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'text/html' }, body: new URLSearchParams(o).toString() });

test('a procedure with cases and several offices: both chosen first, kept by the draft, followed by the dossier', async () => {
  const b = new Browser();
  const start = await b.navigate(`${app.url}/nop-ho-so/${CODE}`, 'citizen1');
  assert.equal(start.status, 200);
  assert.match(start.body, /Trường hợp của bạn/);
  assert.match(start.body, /Trẻ sinh ở nước ngoài về cư trú/);
  assert.match(start.body, /Nơi nộp hồ sơ/);
  const csrf = csrfOf(start.body);

  const none = await b.fetch(`${app.url}/nop-ho-so/${CODE}/bat-dau`, form({ _csrf: csrf }));
  assert.equal(none.status, 422);
  assert.match(none.body, /<a href="#f-variantId-0">Chọn trường hợp của bạn<\/a>/);
  assert.match(none.body, /<a href="#f-agencyCode-0">Chọn nơi nộp hồ sơ<\/a>/);
  assert.match(none.body, /id="f-variantId-error"/);
  assert.equal((await app.motcua.db.query('SELECT 1 FROM portal_drafts WHERE procedure_code = $1', [CODE])).rows.length, 0, 'no draft yet');

  const forged = await b.fetch(`${app.url}/nop-ho-so/${CODE}/bat-dau`, form({ _csrf: 'wrong', variantId: 'v2', agencyCode: '000.00.05.H12' }));
  assert.equal(forged.status, 403, 'the form token is checked');

  const chosen = await b.fetch(`${app.url}/nop-ho-so/${CODE}/bat-dau`, form({ _csrf: csrf, variantId: 'v2', agencyCode: '000.00.05.H12' }));
  assert.equal(chosen.status, 303);
  assert.equal(chosen.headers.get('location'), `/nop-ho-so/${CODE}/buoc/1`);
  const draft = (await app.motcua.db.query<{ id: string; variant_id: string; agency_code: string }>('SELECT id::text AS id, variant_id, agency_code FROM portal_drafts WHERE procedure_code = $1', [CODE])).rows[0]!;
  assert.deepEqual([draft.variant_id, draft.agency_code], ['v2', '000.00.05.H12']);

  // The answers (put in the draft directly: the steps are covered by the browser tests), then submit.
  const answers = structuredClone(example) as Record<string, any>;
  answers.birthEvidence.file = await upload(app, 'citizen1', Buffer.concat([TINY_PDF, Buffer.from('% cases\n')]));
  delete answers.commitment;
  await app.motcua.db.query('UPDATE portal_drafts SET form = $2 WHERE id = $1', [draft.id, JSON.stringify(answers)]);
  const check = await b.fetch(`${app.url}/nop-ho-so/${CODE}/kiem-tra`);
  assert.equal(check.status, 200);
  assert.match(check.body, /Trẻ sinh ở nước ngoài về cư trú/);
  const sent = await b.fetch(`${app.url}/nop-ho-so/${CODE}/nop`, form({ _csrf: csrf, draftId: draft.id, declaration: 'true' }));
  assert.equal(sent.status, 303, sent.body.slice(0, 500));
  const code = decodeURIComponent(sent.headers.get('location')!.split('/').pop()!);
  const d = await app.call('GET', `/api/v1/dossiers/${code}`, { as: 'citizen1' });
  assert.equal(d.body.variantId, 'v2');
  assert.equal(d.body.agencyCode, '000.00.05.H12');
  assert.match(code, /^000\.00\.05\.H12-/);

  // An officer is refused the apply pages (only applicants apply).
  const officer = new Browser();
  const refused = await officer.navigate(`${app.url}/nop-ho-so/${CODE}`, 'reception1');
  assert.equal(refused.status, 403);
  assert.match(refused.body, /Chỉ công dân hoặc doanh nghiệp được nộp hồ sơ/);
});
