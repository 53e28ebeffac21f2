/**
 * One composition root: the services are built once, with one clock and one file store,
 * and the API and the portal pages use the same ones. With the S3 store configured (an
 * S3-protocol sandbox, s3rver) and a frozen clock, a submission, its signed receipt, a
 * document reused on a portal page and the draft it is saved in all land in the bucket and
 * carry the frozen time, never the machine's.
 */
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readFileSync } from 'node:fs';
import { after, before, test } from 'node:test';
import { CreateBucketCommand, ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import S3rver from 's3rver';
import { startTestApp, TINY_PDF, upload, type TestApp } from '../support/app.ts';
import { Browser } from '../support/browser.ts';

const BUCKET = 'motcua-files';
const KEY_ID = 'S3RVER';
const SECRET = 'S3RVER';
/** Far from the day the suite runs (a test that used the machine's clock would show another day). */
const FROZEN = new Date('2026-03-03T02:00:00.000Z');
const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}/g;
const example = (code: string): Record<string, unknown> =>
  JSON.parse(readFileSync(new URL(`../../src/modules/catalogue/demo/examples/${code}.json`, import.meta.url), 'utf8')) as Record<string, unknown>;
const pdf = (note: string): Buffer => Buffer.concat([TINY_PDF, Buffer.from(`% ${note}\n`)]);
const csrfOf = (page: string): string => /name="_csrf" value="([^"]+)"/.exec(page)![1]!;

let dir: string;
let server: S3rver;
let admin: S3Client;
let app: TestApp;

before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'motcua-root-'));
  server = new S3rver({ port: 0, address: '127.0.0.1', silent: true, directory: join(dir, 's3') });
  const { port } = (await server.run()) as { port: number };
  const endpoint = `http://127.0.0.1:${port}`;
  admin = new S3Client({ endpoint, region: 'us-east-1', forcePathStyle: true, requestChecksumCalculation: 'WHEN_REQUIRED', responseChecksumValidation: 'WHEN_REQUIRED', credentials: { accessKeyId: KEY_ID, secretAccessKey: SECRET } });
  await admin.send(new CreateBucketCommand({ Bucket: BUCKET }));
  app = await startTestApp({
    env: {
      MOTCUA_FILE_STORE: 's3', MOTCUA_S3_ENDPOINT: endpoint, MOTCUA_S3_BUCKET: BUCKET, MOTCUA_S3_PREFIX: 'root/',
      MOTCUA_S3_ACCESS_KEY_ID: KEY_ID, MOTCUA_S3_SECRET_ACCESS_KEY: 'S3RVER-secret-not-checked', MOTCUA_RATE_LIMITS: 'off',
    },
    clock: { now: () => new Date(FROZEN) },
  });
});
after(async () => {
  await app?.close();
  admin?.destroy();
  await server?.close();
  await rm(dir, { recursive: true, force: true });
});

const objects = async (): Promise<Set<string>> =>
  new Set(((await admin.send(new ListObjectsV2Command({ Bucket: BUCKET, Prefix: 'root/' }))).Contents ?? []).map((o) => o.Key!.slice('root/'.length)));
const storageKey = async (fileId: string): Promise<string> =>
  (await app.motcua.db.query<{ storage_key: string }>('SELECT storage_key FROM files WHERE id = $1', [fileId])).rows[0]!.storage_key;

test('the API, the signed slips and the portal share one S3 store and one frozen clock', { timeout: 120_000 }, async () => {
  // A submission through the API: its files in the bucket, its times the clock's.
  const evidence = await upload(app, 'citizen1', pdf('giấy chứng sinh'));
  const residence = await upload(app, 'citizen1', pdf('giấy tờ cư trú'));
  const form = JSON.parse(JSON.stringify(example('1.001193')).replace(UUID, evidence)) as Record<string, unknown>;
  form.attachments = { residenceProof: residence };
  const sent = await app.call('POST', '/api/v1/dossiers', { as: 'citizen1', json: { procedureCode: '1.001193', agencyCode: '000.00.04.H12', form } });
  assert.equal(sent.status, 201, JSON.stringify(sent.body));
  const code = sent.body.code as string;
  assert.equal(sent.body.submittedAt, FROZEN.toISOString());

  // Received: the receipt is signed at the clock's time and kept in the bucket.
  const received = await app.call('POST', `/api/v1/dossiers/${code}/actions/receive`, { as: 'reception1', json: {} });
  assert.equal(received.status, 200, JSON.stringify(received.body));
  assert.equal(received.body.receivedAt, FROZEN.toISOString());
  const receipt = (received.body.files as { fileId: string; role: string }[]).find((f) => f.role === 'receipt');
  assert.ok(receipt, JSON.stringify(received.body.files));
  const inBucket = await objects();
  for (const id of [evidence, residence, receipt.fileId]) assert.ok(inBucket.has(await storageKey(id)), `file ${id} is in the bucket`);
  const receiptPdf = await app.call('GET', `/api/v1/files/${receipt.fileId}`, { as: 'citizen1' });
  assert.equal(receiptPdf.status, 200);
  const bytes = await fetch(`${app.url}/api/v1/files/${receipt.fileId}`, { headers: { authorization: `Bearer ${await app.token('citizen1')}` } }).then((r) => r.arrayBuffer());
  const check = new FormData();
  check.set('file', new Blob([bytes], { type: 'application/pdf' }), 'receipt.pdf');
  const report = await app.call('POST', '/api/v1/verify', { body: check });
  assert.equal(report.status, 200, JSON.stringify(report.body));
  const times = JSON.stringify(report.body).match(/"signingTime":"[^"]+"/g) ?? [];
  assert.deepEqual(times, [`"signingTime":"${FROZEN.toISOString()}"`], 'signed at the clock\'s time');
  const audit = await app.motcua.db.query<{ at: Date }>("SELECT at FROM audit_log WHERE entity_id = $1 AND action LIKE 'dossier.%'", [code]);
  assert.ok(audit.rows.length >= 2);
  for (const r of audit.rows) assert.equal(new Date(r.at).toISOString(), FROZEN.toISOString());

  // The portal: a document from the warehouse reused on a step and the draft saved.
  const docs = await app.call('GET', '/api/v1/documents?type=residence_proof', { as: 'citizen1' });
  const residenceDoc = (docs.body.items as { id: string }[])[0]!;
  const b = new Browser();
  const start = await b.navigate(`${app.url}/nop-ho-so/1.004873`, 'citizen1');
  assert.equal(start.status, 200, start.body.slice(0, 300));
  const csrf = csrfOf(start.body);
  const agency = /name="agencyCode" value="([^"]+)"/.exec(start.body)?.[1];
  const opened = await b.fetch(`${app.url}/nop-ho-so/1.004873/bat-dau`, {
    method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'text/html' },
    body: new URLSearchParams({ _csrf: csrf, ...(agency ? { agencyCode: agency } : {}) }).toString(),
  });
  assert.equal(opened.status, 303, opened.body.slice(0, 500));
  let step = 0;
  for (let n = 1; n <= 12 && step === 0; n++) {
    const page = await b.fetch(`${app.url}/nop-ho-so/1.004873/buoc/${n}`);
    if (page.status !== 200) break;
    if (page.body.includes('name="_reuse:/attachments/residenceProof"')) {
      assert.ok(page.body.includes(`value="${residenceDoc.id}"`), 'the document is offered');
      step = n;
    }
  }
  assert.ok(step > 0, 'a step offers the residence document for reuse');
  const post = new FormData();
  post.set('_csrf', csrf);
  post.set('_action', 'save');
  post.set('_reuse:/attachments/residenceProof', residenceDoc.id);
  const saved = await b.fetch(`${app.url}/nop-ho-so/1.004873/buoc/${step}`, { method: 'POST', body: post, headers: { accept: 'text/html' } });
  assert.equal(saved.status, 303, saved.body.slice(0, 800));
  const draft = (await app.motcua.db.query<{ form: { attachments?: { residenceProof?: string } }; updated_at: Date }>(
    "SELECT form, updated_at FROM portal_drafts WHERE procedure_code = '1.004873' AND submitted_at IS NULL",
  )).rows[0]!;
  assert.equal(new Date(draft.updated_at).toISOString(), FROZEN.toISOString(), 'the draft is saved at the clock\'s time');
  const reusedId = draft.form.attachments?.residenceProof;
  assert.ok(reusedId && reusedId !== residence, 'the draft holds a new file record for the reused document');
  assert.ok((await objects()).has(await storageKey(reusedId)), 'the reused document is read from the bucket');
  const reusedContent = await app.call('GET', `/api/v1/files/${reusedId}`, { as: 'citizen1' });
  assert.equal(reusedContent.status, 200);
  assert.equal(reusedContent.body, pdf('giấy tờ cư trú').toString());
  const consent = await app.motcua.db.query<{ at: Date }>("SELECT at FROM audit_log WHERE action = 'document.reuse'");
  assert.deepEqual(consent.rows.map((r) => new Date(r.at).toISOString()), [FROZEN.toISOString()]);
});
