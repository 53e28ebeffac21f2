/**
 * Bad input that once answered 500: a form nested thousands of levels deep, a multipart body
 * cut off before its closing boundary, a register asked for from the year 1, a PDF bomb. Each gets a 4xx
 * naming what is wrong, in Vietnamese and English, and nothing is written.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { startTestApp, TINY_PDF, type TestApp } from '../support/app.ts';
import { bombPdf } from '../support/pdfs.ts';

let app: TestApp;
before(async () => {
  app = await startTestApp({ env: { MOTCUA_RATE_LIMITS: 'off' } });
});
after(async () => {
  await app?.close();
});

const count = async (table: string): Promise<number> => (await app.motcua.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${table}`)).rows[0]!.n;
const nest = (levels: number): Record<string, unknown> => {
  let v: Record<string, unknown> = {};
  for (let i = 0; i < levels; i++) v = { a: v };
  return v;
};
const bilingual = (body: any): void => {
  assert.ok(body.error.message.vi.length > 10 && body.error.message.en.length > 10, JSON.stringify(body));
};

test('a form nested 3,000 levels deep is refused at the edge (400 naming where), and no dossier is made', async () => {
  const before = await count('dossiers');
  for (const form of [nest(3000), { child: nest(3000) }]) {
    const r = await app.call('POST', '/api/v1/dossiers', { as: 'citizen1', json: { procedureCode: '1.001193', agencyCode: '000.00.04.H12', form } });
    assert.equal(r.status, 400, JSON.stringify(r.body).slice(0, 300));
    assert.equal(r.body.error.code, 'json_too_deep');
    assert.match(r.body.error.field, /^\/form\/(child\/)?a\/a\//);
    bilingual(r.body);
  }
  // Within the limit the form is checked as usual: a 422 naming a field of the form.
  const shallow = await app.call('POST', '/api/v1/dossiers', { as: 'citizen1', json: { procedureCode: '1.001193', agencyCode: '000.00.04.H12', form: { child: nest(40) } } });
  assert.equal(shallow.status, 422, JSON.stringify(shallow.body).slice(0, 300));
  assert.match(shallow.body.error.field, /^\/form\//);
  assert.equal(await count('dossiers'), before);
});

test('a multipart upload cut off before its closing boundary is a 400 naming the file; nothing is kept', async () => {
  const before = await count('files');
  const boundary = '----motcua-cut';
  const cut = Buffer.concat([
    Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="giay-to.pdf"\r\nContent-Type: application/pdf\r\n\r\n`),
    TINY_PDF,
  ]);
  for (const path of ['/api/v1/files', '/api/v1/verify']) {
    const r = await app.call('POST', path, { as: 'citizen1', body: cut, headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } });
    assert.equal(r.status, 400, `${path}: ${JSON.stringify(r.body)}`);
    assert.equal(r.body.error.code, 'multipart_incomplete', path);
    assert.equal(r.body.error.field, 'file', path);
    bilingual(r.body);
  }
  assert.equal(await count('files'), before, 'no file record for a cut upload');
});

test('the register refuses days that are not real or out of its years, naming the query field', async () => {
  const ask = (q: string) => app.call('GET', `/api/v1/agencies/000.00.04.H12/register?${q}`, { as: 'reception1' });
  const cases: [string, string, string][] = [
    ['from=0001-01-01&to=2026-03-01', 'date_out_of_range', 'query.from'],
    ['from=2026-03-01&to=9999-12-31', 'date_out_of_range', 'query.to'],
    ['from=2026-02-30&to=2026-03-01', 'invalid_date', 'query.from'],
    ['from=2026-03-01&to=2026-13-01', 'invalid_date', 'query.to'],
    ['from=2026-03-02&to=2026-03-01', 'invalid_range', 'query.to'],
  ];
  for (const [q, code, field] of cases) {
    const r = await ask(q);
    assert.equal(r.status, 400, `${q}: ${JSON.stringify(r.body)}`);
    assert.equal(r.body.error.code, code, q);
    assert.equal(r.body.error.field, field, q);
    bilingual(r.body);
  }
  const ok = await ask('from=2026-03-01&to=2026-03-01');
  assert.equal(ok.status, 200);
  assert.equal(ok.headers.get('content-type'), 'application/pdf');
});

test('a PDF bomb (256 MiB of object stream in a few hundred KB) is refused naming the file; nothing is kept', async () => {
  const before = await count('files');
  const bomb = bombPdf(256 * 1024 * 1024);
  const form = new FormData();
  form.set('file', new Blob([new Uint8Array(bomb)], { type: 'application/pdf' }), 'to-khai.pdf');
  const r = await app.call('POST', '/api/v1/files', { as: 'citizen1', body: form });
  assert.equal(r.status, 422, JSON.stringify(r.body));
  assert.equal(r.body.error.code, 'pdf_too_large_inflated');
  assert.equal(r.body.error.field, 'file');
  bilingual(r.body);
  assert.equal(await count('files'), before);
});
