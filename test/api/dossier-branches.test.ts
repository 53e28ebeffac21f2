/**
 * The other ways a dossier goes, over real HTTP: a supplement asked for and sent,
 * a withdrawal, a refusal at reception; its events delivered to a webhook; the
 * health check when the database is gone.
 */
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { after, before, describe, it } from 'node:test';
import { freePort, startTestApp, TINY_PDF, upload, type TestApp } from '../support/app.ts';

const AGENCY = '000.00.04.H12';
const example = readFileSync(new URL('../../src/modules/catalogue/demo/examples/1.001193.json', import.meta.url), 'utf8');
const birthForm = (fileId: string): unknown => JSON.parse(example.replace(/[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}/g, fileId));

/** A webhook receiver that keeps what it is sent. */
interface Received {
  headers: Record<string, string | string[] | undefined>;
  body: string;
}
let hook: Server;
const received: Received[] = [];
const SECRET = 'webhook-secret-for-tests-0123456789';

let app: TestApp;
before(async () => {
  const port = await freePort();
  hook = createServer((req, res) => {
    let body = '';
    req.on('data', (d: Buffer) => (body += d.toString()));
    req.on('end', () => {
      received.push({ headers: req.headers, body });
      res.statusCode = 204;
      res.end();
    });
  });
  await new Promise<void>((r) => hook.listen(port, '127.0.0.1', r));
  app = await startTestApp({ env: { MOTCUA_WEBHOOK_URL: `http://127.0.0.1:${port}/hooks/motcua`, MOTCUA_WEBHOOK_SECRET: SECRET } });
});
after(async () => {
  await app?.close();
  await new Promise<void>((r) => hook?.close(() => r()));
});

async function submit(as: string): Promise<string> {
  const fileId = await upload(app, as, Buffer.concat([TINY_PDF, Buffer.from(`% ${as} ${Math.random()}\n`)]));
  const r = await app.call('POST', '/api/v1/dossiers', { as, json: { procedureCode: '1.001193', agencyCode: AGENCY, form: birthForm(fileId) } });
  assert.equal(r.status, 201, JSON.stringify(r.body));
  return r.body.code as string;
}
const act = (as: string, code: string, action: string, input: unknown = {}) =>
  app.call('POST', `/api/v1/dossiers/${encodeURIComponent(code)}/actions/${action}`, { as, json: input });

describe('supplement, withdrawal and refusal', () => {
  it('a supplement lists everything missing, stops the clock, and the applicant answers with documents', async () => {
    const code = await submit('citizen1');
    const asked = await act('reception1', code, 'request_supplement', {
      missingDocuments: [{ name: 'Giấy chứng sinh', note: 'Bản chụp bị mờ, không đọc được họ tên người mẹ' }, { name: 'Văn bản ủy quyền' }],
      reason: 'Hồ sơ chưa đủ giấy tờ theo quy định',
    });
    assert.equal(asked.status, 200, JSON.stringify(asked.body));
    assert.equal(asked.body.status, 'supplement_requested');
    assert.equal(asked.body.dueAt, null, 'no appointment while the applicant has the dossier');
    assert.equal(asked.body.supplementRequests.length, 1);
    assert.deepEqual(asked.body.supplementRequests[0].missingDocuments.map((d: { name: string }) => d.name), ['Giấy chứng sinh', 'Văn bản ủy quyền']);

    // Only the applicant may answer, and only with their own files.
    assert.equal((await act('reception1', code, 'supplement', { documentFileIds: [] })).status, 403);
    const foreign = await upload(app, 'citizen2', Buffer.concat([TINY_PDF, Buffer.from('% not citizen1\n')]));
    const wrongFile = await act('citizen1', code, 'supplement', { documentFileIds: [foreign] });
    assert.equal(wrongFile.status, 422);
    assert.equal(wrongFile.body.error.details[0].field, '/input/documentFileIds/0');

    const doc = await upload(app, 'citizen1', Buffer.concat([TINY_PDF, Buffer.from('% giấy chứng sinh rõ\n')]));
    const sent = await act('citizen1', code, 'supplement', { documentFileIds: [doc], note: 'Đã chụp lại' });
    assert.equal(sent.status, 200, JSON.stringify(sent.body));
    assert.equal(sent.body.status, 'submitted');
    assert.ok(sent.body.files.some((f: { fileId: string; role: string }) => f.fileId === doc && f.role === 'supplement'));

    const received = await act('reception1', code, 'receive');
    assert.equal(received.status, 200);
    assert.ok(received.body.dueAt, 'the deadline restarts once the dossier is complete');
  });

  it('the applicant may withdraw before approval, and nothing can be done after', async () => {
    const code = await submit('citizen2');
    assert.equal((await act('reception1', code, 'receive')).status, 200);
    const w = await act('citizen2', code, 'withdraw', { reason: 'Đã đăng ký tại nơi khác' });
    assert.equal(w.status, 200, JSON.stringify(w.body));
    assert.equal(w.body.status, 'withdrawn');
    assert.deepEqual(w.body.allowedActions, []);
    const late = await act('reception1', code, 'assign', { assignee: 'x' });
    assert.equal(late.status, 409);
    assert.deepEqual(late.body.error.allowedActions, []);
  });

  it('reception may refuse with reasons; a refusal without reasons is 422', async () => {
    const code = await submit('citizen3');
    const none = await act('reception1', code, 'refuse', { reasons: [] });
    assert.equal(none.status, 422);
    assert.equal(none.body.error.details[0].field, '/input/reasons');
    const r = await act('reception1', code, 'refuse', { reasons: ['Không thuộc thẩm quyền: người mẹ cư trú tại tỉnh khác (Điều 13 Luật Hộ tịch)'] });
    assert.equal(r.status, 200);
    assert.equal(r.body.status, 'refused');
    assert.equal(r.body.refusalReasons.length, 1);
  });
});

describe('events reach the webhook', () => {
  it('every event of a dossier is delivered, signed with HMAC-SHA256', async () => {
    const code = await submit('citizen1');
    await act('reception1', code, 'receive');
    const deadline = Date.now() + 20_000;
    const forCode = () => received.filter((r) => r.body.includes(code));
    while (forCode().length < 2 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    const mine = forCode();
    assert.ok(mine.length >= 2, `delivered ${mine.length}`);
    const topics = mine.map((r) => (JSON.parse(r.body) as { topic: string }).topic);
    assert.ok(topics.includes('dossier.submitted') && topics.includes('dossier.received'), topics.join());
    for (const r of mine) {
      const sig = JSON.stringify(r.headers).match(/sha256=([0-9a-f]{64})/)?.[1];
      assert.ok(sig, `a signature header in ${JSON.stringify(r.headers)}`);
      const ts = Object.entries(r.headers).find(([k]) => k.endsWith('timestamp'))?.[1];
      const expected = [createHmac('sha256', SECRET).update(r.body).digest('hex'), ...(typeof ts === 'string' ? [createHmac('sha256', SECRET).update(`${ts}.${r.body}`).digest('hex')] : [])];
      assert.ok(expected.includes(sig), 'the signature is the HMAC of the body with the shared secret');
    }
  });
});

describe('health', () => {
  it('answers 200 while the database answers and 503 once it does not', async () => {
    assert.equal((await app.call('GET', '/healthz')).status, 200);
    const other = await startTestApp({ env: { MOTCUA_WORKERS: '0' } });
    try {
      assert.equal((await other.call('GET', '/healthz')).status, 200);
      await other.motcua.db.close();
      const r = await other.call('GET', '/healthz');
      assert.equal(r.status, 503);
      assert.ok(r.body.error?.message?.vi || r.body.status, JSON.stringify(r.body));
    } finally {
      await other.motcua.close();
    }
  });
});
