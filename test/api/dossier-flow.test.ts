/**
 * End to end over real HTTP: a birth registration goes from a citizen's online
 * submission through reception, processing and approval to `returned`, with tokens
 * from the sandbox identity provider's real login flow. The same file runs on PGlite
 * and, with TEST_DATABASE_URL, on a PostgreSQL server.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { findDemoAccount } from '../../src/modules/identity/demo-accounts.ts';
import { startTestApp, TINY_PDF, upload, type TestApp } from '../support/app.ts';

const AGENCY = '000.00.04.H12';
const example = JSON.parse(readFileSync(new URL('../../src/modules/catalogue/demo/examples/1.001193.json', import.meta.url), 'utf8')) as Record<string, unknown>;
const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}/g;
const specialistSub = findDemoAccount('specialist1')!.sub;

/** The example birth registration with its attachments replaced by files this applicant uploaded. */
function birthForm(fileId: string): Record<string, unknown> {
  return JSON.parse(JSON.stringify(example).replace(UUID, fileId)) as Record<string, unknown>;
}

let app: TestApp;
before(async () => {
  app = await startTestApp();
});
after(async () => {
  await app?.close();
});

async function submitBirth(as = 'citizen1', key?: string): Promise<{ status: number; body: any }> {
  const fileId = await upload(app, as);
  return app.call('POST', '/api/v1/dossiers', {
    as,
    json: { procedureCode: '1.001193', agencyCode: AGENCY, form: birthForm(fileId) },
    ...(key ? { headers: { 'idempotency-key': key } } : {}),
  });
}

async function act(as: string, code: string, action: string, input: unknown = {}): Promise<{ status: number; body: any }> {
  return app.call('POST', `/api/v1/dossiers/${encodeURIComponent(code)}/actions/${action}`, { as, json: input });
}

async function dossierCount(): Promise<number> {
  const r = await app.motcua.db.query<{ n: number }>('SELECT count(*)::int AS n FROM dossiers');
  return r.rows[0]!.n;
}

describe('the happy path of a birth registration', () => {
  it('goes from submission to returned, and the citizen opens the result file', async () => {
    const sub = await submitBirth('citizen1');
    assert.equal(sub.status, 201, JSON.stringify(sub.body));
    const code = sub.body.code as string;
    assert.match(code, /^000\.00\.04\.H12-\d{6}-\d{4}$/);
    assert.equal(sub.body.status, 'submitted');
    assert.equal(sub.body.applicant.personalId, findDemoAccount('citizen1')!.personalId);
    // Dates typed dd/mm/yyyy are stored as ISO.
    assert.equal(sub.body.form.child.dateOfBirth, '2026-11-08');
    // The applicant may withdraw; reception actions are not offered to them.
    assert.deepEqual(sub.body.allowedActions.map((a: { name: string }) => a.name), ['withdraw']);

    const queue = await app.call('GET', '/api/v1/dossiers?status=submitted', { as: 'reception1' });
    assert.equal(queue.status, 200);
    assert.ok(queue.body.items.some((d: { code: string }) => d.code === code));

    const received = await act('reception1', code, 'receive');
    assert.equal(received.status, 200, JSON.stringify(received.body));
    assert.equal(received.body.status, 'received');
    assert.ok(received.body.dueAt, 'an appointment date is set on receipt');
    const assignAction = received.body.allowedActions.find((a: { name: string }) => a.name === 'assign');
    assert.ok(assignAction, 'reception may assign');
    assert.equal(assignAction.input.type, 'object', 'each allowed action carries the JSON Schema of its input');

    assert.equal((await act('reception1', code, 'assign', { assignee: specialistSub })).body.status, 'assigned');
    assert.equal((await act('specialist1', code, 'start_processing')).body.status, 'processing');
    const resultPdf = Buffer.concat([TINY_PDF, Buffer.from('% kết quả\n')]);
    const draft = await upload(app, 'specialist1', resultPdf, 'giay-khai-sinh.pdf');
    const submitted = await act('specialist1', code, 'submit_for_approval', { draftResultFileId: draft });
    assert.equal(submitted.status, 200, JSON.stringify(submitted.body));
    assert.equal(submitted.body.status, 'awaiting_approval');

    // The draft is a working file: the citizen may not open it before approval.
    assert.equal((await app.call('GET', `/api/v1/files/${draft}`, { as: 'citizen1' })).status, 404);

    const approved = await act('leader1', code, 'approve');
    assert.equal(approved.status, 200, JSON.stringify(approved.body));
    assert.equal(approved.body.status, 'approved');
    // The specialist's own PDF was signed by them at submission and is countersigned on approval: the result is a new file.
    assert.notEqual(approved.body.resultFileId, draft);

    const returned = await act('reception1', code, 'return_result');
    assert.equal(returned.body.status, 'returned');

    const seen = await app.call('GET', `/api/v1/dossiers/${code}`, { as: 'citizen1' });
    assert.equal(seen.status, 200);
    assert.equal(seen.body.status, 'returned');
    assert.deepEqual(seen.body.allowedActions, []);
    assert.deepEqual(
      seen.body.history.map((e: { action: string }) => e.action),
      ['submit', 'receive', 'assign', 'start_processing', 'submit_for_approval', 'approve', 'return_result'],
    );
    const result = seen.body.files.find((f: { role: string }) => f.role === 'result');
    assert.ok(result, 'the result file is listed for the citizen');
    assert.ok(seen.body.files.every((f: { role: string }) => f.role !== 'submit_for_approval'), 'working files are not listed for the citizen');
    const file = await fetch(`${app.url}/api/v1/files/${result.fileId}`, { headers: { authorization: `Bearer ${await app.token('citizen1')}` } });
    assert.equal(file.status, 200);
    assert.equal(file.headers.get('content-type'), 'application/pdf');
    const bytes = Buffer.from(await file.arrayBuffer());
    assert.notDeepEqual(bytes, resultPdf);
    const form = new FormData();
    form.set('file', new Blob([new Uint8Array(bytes)], { type: 'application/pdf' }), 'ket-qua.pdf');
    const verified = await app.call('POST', '/api/v1/verify', { body: form });
    assert.equal(verified.body.valid, true, JSON.stringify(verified.body.problems));
    assert.equal(verified.body.signatures.length, 2, 'signed by the specialist, countersigned by the leader');

    // Every change is in the audit log, in order.
    const audit = await app.motcua.db.query<{ action: string }>(
      "SELECT action FROM audit_log WHERE entity_type = 'dossier' AND entity_id = $1 ORDER BY chain_pos NULLS LAST, id",
      [code],
    );
    assert.deepEqual(audit.rows.map((r) => r.action), [
      'dossier.submit', 'dossier.receive', 'dossier.assign', 'dossier.start_processing', 'dossier.submit_for_approval', 'dossier.approve', 'dossier.return_result',
    ]);
    // ...and its events in the outbox, written by the same transactions.
    const outbox = await app.motcua.db.query<{ n: number }>('SELECT count(*)::int AS n FROM outbox WHERE key = $1', [code]);
    assert.equal(outbox.rows[0]!.n, 7);
  });

  it('shows applicants their own dossiers only, and officers their agency queue', async () => {
    const a = await submitBirth('citizen2');
    const b = await submitBirth('citizen3');
    assert.equal(a.status, 201);
    assert.equal(b.status, 201);
    const mine = await app.call('GET', '/api/v1/dossiers', { as: 'citizen2' });
    assert.ok(mine.body.items.length >= 1);
    assert.ok(mine.body.items.every((d: { code: string }) => d.code !== b.body.code));
    assert.ok(mine.body.items.some((d: { code: string }) => d.code === a.body.code));
    // Another applicant's dossier does not exist for them: 404, not 403, so codes cannot be probed.
    assert.equal((await app.call('GET', `/api/v1/dossiers/${b.body.code}`, { as: 'citizen2' })).status, 404);
    const queue = await app.call('GET', '/api/v1/dossiers?limit=1', { as: 'reception1' });
    assert.equal(queue.body.items.length, 1);
    assert.ok(queue.body.nextCursor, 'more than one page');
    const page2 = await app.call('GET', `/api/v1/dossiers?limit=1&cursor=${encodeURIComponent(queue.body.nextCursor)}`, { as: 'reception1' });
    assert.equal(page2.status, 200);
    assert.notEqual(page2.body.items[0].code, queue.body.items[0].code);
  });
});

describe('bad input', () => {
  it('refuses calls without a valid token (401) and naming the field', async () => {
    const r = await app.call('GET', '/api/v1/dossiers');
    assert.equal(r.status, 401);
    assert.equal(r.body.error.field, 'authorization');
    const bad = await app.call('GET', '/api/v1/dossiers', { headers: { authorization: 'Bearer not-a-token' } });
    assert.equal(bad.status, 401);
    assert.ok(bad.body.error.message.vi && bad.body.error.message.en);
  });

  it('answers 404 for an unknown procedure or dossier', async () => {
    const p = await app.call('POST', '/api/v1/dossiers', { as: 'citizen1', json: { procedureCode: '9.999999', form: {} } });
    assert.equal(p.status, 404);
    assert.equal(p.body.error.field, '/procedureCode');
    assert.equal((await app.call('GET', '/api/v1/procedures/9.999999')).status, 404);
    assert.equal((await app.call('GET', '/api/v1/dossiers/000.00.04.H12-261123-9999', { as: 'citizen1' })).status, 404);
    assert.equal((await app.call('GET', '/api/v1/dossiers/nonsense', { as: 'citizen1' })).status, 404);
    assert.equal((await act('reception1', '000.00.04.H12-261123-9999', 'receive')).status, 404);
  });

  it('lists every failing field of an invalid form (422) and writes nothing', async () => {
    const before = await dossierCount();
    const fileId = await upload(app, 'citizen1');
    const form = birthForm(fileId) as { child: Record<string, unknown>; declarant: Record<string, unknown> };
    delete form.child.fullName;
    form.declarant.personalId = '12345';
    form.declarant.phone = '12';
    const r = await app.call('POST', '/api/v1/dossiers', { as: 'citizen1', json: { procedureCode: '1.001193', agencyCode: AGENCY, form } });
    assert.equal(r.status, 422, JSON.stringify(r.body));
    const fields = r.body.error.details.map((d: { field: string }) => d.field);
    for (const f of ['/form/child/fullName', '/form/declarant/personalId', '/form/declarant/phone']) assert.ok(fields.includes(f), `${f} in ${fields}`);
    for (const d of r.body.error.details) assert.ok(d.message.vi && d.message.en, 'messages in Vietnamese and English');
    assert.equal(await dossierCount(), before);
  });

  it('asks which agency when several may receive, and refuses one that may not', async () => {
    const fileId = await upload(app, 'citizen1');
    const none = await app.call('POST', '/api/v1/dossiers', { as: 'citizen1', json: { procedureCode: '1.001193', form: birthForm(fileId) } });
    assert.equal(none.status, 422);
    assert.equal(none.body.error.field, '/agencyCode');
    const wrong = await app.call('POST', '/api/v1/dossiers', { as: 'citizen1', json: { procedureCode: '1.001193', agencyCode: '000.00.99.H12', form: birthForm(fileId) } });
    assert.equal(wrong.status, 422);
    assert.equal(wrong.body.error.field, '/agencyCode');
  });

  it('refuses a file that is not the applicant’s (422 naming the form field)', async () => {
    const other = await upload(app, 'citizen2', Buffer.concat([TINY_PDF, Buffer.from('% citizen2\n')]));
    const r = await app.call('POST', '/api/v1/dossiers', { as: 'citizen1', json: { procedureCode: '1.001193', agencyCode: AGENCY, form: birthForm(other) } });
    assert.equal(r.status, 422);
    assert.ok(r.body.error.details.every((d: { code: string }) => d.code === 'file_not_found'));
    assert.ok(r.body.error.details[0].field.startsWith('/form/'));
  });

  it('answers malformed JSON with 400 and an oversized body with 413', async () => {
    const token = await app.token('citizen1');
    const res = await fetch(`${app.url}/api/v1/dossiers`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: '{"procedureCode": "1.001193", "form": {' });
    assert.equal(res.status, 400);
    const body = (await res.json()) as { error: { message: { vi: string; en: string } } };
    assert.ok(body.error.message.vi && body.error.message.en);
    const huge = JSON.stringify({ procedureCode: '1.001193', form: { x: 'a'.repeat(2 * 1024 * 1024) } });
    const big = await fetch(`${app.url}/api/v1/dossiers`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: huge });
    assert.equal(big.status, 413);
    const extra = await app.call('POST', '/api/v1/dossiers', { as: 'citizen1', json: { procedureCode: '1.001193', form: {}, surprise: 1 } });
    assert.equal(extra.status, 400);
    assert.equal(extra.body.error.field, '/surprise');
    assert.ok(extra.body.error.details[0].message.vi && extra.body.error.details[0].message.en);
    const shortKey = await app.call('POST', '/api/v1/dossiers', { as: 'citizen1', json: { procedureCode: '1.001193', form: {} }, headers: { 'idempotency-key': 'x' } });
    assert.equal(shortKey.status, 400);
    assert.equal(shortKey.body.error.field, 'headers.idempotency-key');
    const badLimit = await app.call('GET', '/api/v1/dossiers?limit=0', { as: 'citizen1' });
    assert.equal(badLimit.status, 400);
    assert.equal(badLimit.body.error.field, 'query.limit');
  });

  it('refuses uploads that are not PDF, JPEG or PNG by content (415), whatever their name', async () => {
    const form = new FormData();
    form.set('file', new Blob([new TextEncoder().encode('MZ\x90\x00 not really a pdf')], { type: 'application/pdf' }), 'thu.pdf');
    const r = await app.call('POST', '/api/v1/files', { as: 'citizen1', body: form });
    assert.equal(r.status, 415);
    assert.equal(r.body.error.field, 'file');
  });

  it('refuses an upload over the size limit (413) and keeps nothing of it', async () => {
    const before = (await app.motcua.db.query<{ n: number }>('SELECT count(*)::int AS n FROM files')).rows[0]!.n;
    const big = Buffer.alloc(app.motcua.config.fileMaxBytes + 1024, 0x20);
    TINY_PDF.copy(big);
    const form = new FormData();
    form.set('file', new Blob([new Uint8Array(big)], { type: 'application/pdf' }), 'lon.pdf');
    const r = await app.call('POST', '/api/v1/files', { as: 'citizen1', body: form });
    assert.equal(r.status, 413);
    assert.ok(r.body.error.message.vi && r.body.error.message.en);
    assert.equal((await app.motcua.db.query<{ n: number }>('SELECT count(*)::int AS n FROM files')).rows[0]!.n, before);
  });

  it('names the allowed actions when an action is refused: 409 for the state, 403 for the role, 404 when unknown', async () => {
    const sub = await submitBirth('citizen1');
    const code = sub.body.code as string;
    const early = await act('leader1', code, 'approve');
    assert.equal(early.status, 409);
    assert.equal(early.body.error.code, 'not_allowed_in_state');
    assert.ok(Array.isArray(early.body.error.allowedActions));
    const wrongRole = await act('citizen1', code, 'receive');
    assert.equal(wrongRole.status, 403);
    assert.deepEqual(wrongRole.body.error.allowedActions, ['withdraw']);
    const unknown = await act('reception1', code, 'teleport');
    assert.equal(unknown.status, 404);
    assert.equal((await app.call('GET', `/api/v1/dossiers/${code}`, { as: 'citizen1' })).body.status, 'submitted', 'a refused action changes nothing');
  });

  it('validates action input against its schema (422 naming the field) and leaves the dossier as it was', async () => {
    const code = (await submitBirth('citizen1')).body.code as string;
    assert.equal((await act('reception1', code, 'receive')).status, 200);
    const r = await act('reception1', code, 'assign', {});
    assert.equal(r.status, 422, JSON.stringify(r.body));
    assert.ok(r.body.error.details.some((d: { field: string }) => d.field === '/input/assignee'));
    const seen = await app.call('GET', `/api/v1/dossiers/${code}`, { as: 'reception1' });
    assert.equal(seen.body.status, 'received');
    assert.equal(seen.body.history.length, 2);
  });

  it('returns the same dossier for the same Idempotency-Key and body, and refuses the key with another body', async () => {
    const before = await dossierCount();
    const fileId = await upload(app, 'citizen1');
    const body = { procedureCode: '1.001193', agencyCode: AGENCY, form: birthForm(fileId) };
    const headers = { 'idempotency-key': 'birth-2026-11-23-a' };
    const [a, b] = await Promise.all([
      app.call('POST', '/api/v1/dossiers', { as: 'citizen1', json: body, headers }),
      app.call('POST', '/api/v1/dossiers', { as: 'citizen1', json: body, headers }),
    ]);
    assert.deepEqual([a.status, b.status].sort(), [200, 201]);
    assert.equal(a.body.code, b.body.code);
    assert.equal(await dossierCount(), before + 1);
    const changed = { ...body, form: { ...body.form, declarant: { ...(body.form.declarant as object), phone: '0987654321' } } };
    const c = await app.call('POST', '/api/v1/dossiers', { as: 'citizen1', json: changed, headers });
    assert.equal(c.status, 422);
    assert.equal(c.body.error.code, 'idempotency_key_reused');
    assert.equal(await dossierCount(), before + 1);
  });

  it('lets only applicants submit (403 for an officer)', async () => {
    const r = await app.call('POST', '/api/v1/dossiers', { as: 'reception1', json: { procedureCode: '1.001193', form: {} } });
    assert.equal(r.status, 403);
  });
});

describe('operations', () => {
  it('serves the OpenAPI 3.1 description, the docs page and a health check', async () => {
    const spec = await app.call('GET', '/api/v1/openapi.json');
    assert.equal(spec.status, 200);
    assert.match(spec.body.openapi, /^3\.1/);
    for (const p of ['/api/v1/dossiers', '/api/v1/dossiers/{code}', '/api/v1/dossiers/{code}/actions/{name}', '/api/v1/procedures', '/api/v1/procedures/{code}', '/api/v1/files']) {
      assert.ok(spec.body.paths[p], `${p} documented`);
    }
    assert.equal((await fetch(`${app.url}/docs`, { redirect: 'follow' })).status, 200);
    const health = await app.call('GET', '/healthz');
    assert.equal(health.status, 200);
  });

  it('gives the procedure detail with its eForm as form.schema', async () => {
    const r = await app.call('GET', '/api/v1/procedures/1.001193');
    assert.equal(r.status, 200);
    assert.equal(r.body.code, '1.001193');
    assert.equal(r.body.form.schema.$schema, 'https://json-schema.org/draft/2020-12/schema');
    assert.ok(r.body.legalProcessingDays >= 1);
  });
});
