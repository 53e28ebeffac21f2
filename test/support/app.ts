/**
 * A whole Motcua listening on a free local port, on a fresh database (PGlite, or the
 * server named by TEST_DATABASE_URL), with the demo catalogue and the sandbox identity
 * provider: what end-to-end tests talk to over real HTTP.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createMotcua, type Motcua } from '../../src/app.ts';
import { loadConfig } from '../../src/config.ts';
import type { Clock } from '../../src/modules/dossiers/service.ts';
import { issueSandboxToken } from '../../src/modules/identity/issue-sandbox-token.ts';
import { freshDatabase } from './db.ts';

export interface TestApp {
  url: string;
  motcua: Motcua;
  /** An access token for a demo account, through the sandbox's real login flow (cached per account). */
  token(account: string): Promise<string>;
  /** fetch against the app with JSON in and out; `as` logs in as a demo account. */
  call(method: string, path: string, opts?: { as?: string; json?: unknown; body?: BodyInit; headers?: Record<string, string> }): Promise<{ status: number; body: any; headers: Headers }>;
  close(): Promise<void>;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const addr = s.address();
      const port = typeof addr === 'object' && addr !== null ? addr.port : 0;
      s.close(() => resolve(port));
    });
  });
}

export async function startTestApp(opts: { env?: Record<string, string>; clock?: Clock } = {}): Promise<TestApp> {
  const port = await freePort();
  const dataDir = await mkdtemp(join(tmpdir(), 'motcua-test-'));
  const url = `http://127.0.0.1:${port}`;
  const config = loadConfig({
    PORT: String(port),
    MOTCUA_PUBLIC_URL: url,
    MOTCUA_DATA_DIR: dataDir,
    MOTCUA_DEMO: '1',
    LOG_LEVEL: 'silent',
    ...opts.env,
  });
  const db = await freshDatabase();
  const motcua = await createMotcua(config, { db, ...(opts.clock ? { clock: opts.clock } : {}) });
  await motcua.app.listen({ port, host: '127.0.0.1' });
  const tokens = new Map<string, Promise<string>>();
  const token = (account: string): Promise<string> => {
    let t = tokens.get(account);
    if (t === undefined) {
      t = issueSandboxToken(url, account).then((x) => x.accessToken);
      tokens.set(account, t);
    }
    return t;
  };
  return {
    url,
    motcua,
    token,
    async call(method, path, o = {}) {
      const headers: Record<string, string> = { ...o.headers };
      if (o.as !== undefined) headers.authorization = `Bearer ${await token(o.as)}`;
      let body = o.body;
      if (o.json !== undefined) {
        headers['content-type'] ??= 'application/json';
        body = JSON.stringify(o.json);
      }
      const res = await fetch(`${url}${path}`, { method, headers, ...(body !== undefined ? { body } : {}) });
      const text = await res.text();
      let parsed: unknown = text;
      if ((res.headers.get('content-type') ?? '').includes('json') && text !== '') parsed = JSON.parse(text);
      return { status: res.status, body: parsed, headers: res.headers };
    },
    async close() {
      await motcua.close();
      await db.close();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

/**
 * A small valid one-page PDF (the file store accepts PDF, JPEG and PNG by content, and a PDF
 * must load: a catalog and a page tree). A comment line may be appended to vary its content.
 */
export const TINY_PDF = Buffer.from(
  '%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n' +
    '3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n',
);

/** Uploads `content` as `account` and returns the file id. */
export async function upload(app: TestApp, account: string, content: Buffer = TINY_PDF, name = 'giay-to.pdf', type = 'application/pdf'): Promise<string> {
  const form = new FormData();
  form.set('file', new Blob([new Uint8Array(content)], { type }), name);
  const r = await app.call('POST', '/api/v1/files', { as: account, body: form });
  if (r.status !== 201 && r.status !== 200) throw new Error(`upload failed: ${r.status} ${JSON.stringify(r.body)}`);
  return (r.body as { id: string }).id;
}
