/**
 * The S3-compatible file store against an S3-protocol sandbox server (s3rver, started here
 * on a loopback port): content kept once by SHA-256, read back, listed, removed; the whole
 * app with MOTCUA_FILE_STORE=s3 takes uploads, serves downloads and the warehouse;
 * `motcua files verify` finds a changed and a missing object; the settings are validated
 * and the secret key never appears in a message or in JSON.
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { text } from 'node:stream/consumers';
import { inspect } from 'node:util';
import { after, before, describe, it } from 'node:test';
import { CreateBucketCommand, DeleteObjectCommand, ListObjectsV2Command, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import S3rver from 's3rver';
import { ConfigError, loadConfig } from '../../src/config.ts';
import { createS3FileStore } from '../../src/modules/files/s3-store.ts';
import { verifyFileStore } from '../../src/modules/files/verify.ts';
import { startTestApp, TINY_PDF, upload, type TestApp } from '../support/app.ts';

const BUCKET = 'motcua-files';
const KEY_ID = 'S3RVER';
const SECRET = 'S3RVER'; // s3rver's fixed development credentials
const sha = (b: Buffer | string): string => createHash('sha256').update(b).digest('hex');

describe('S3-compatible file store', () => {
  let dir: string;
  let server: S3rver;
  let endpoint: string;
  let admin: S3Client;

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'motcua-s3-'));
    server = new S3rver({ port: 0, address: '127.0.0.1', silent: true, directory: join(dir, 's3') });
    const addr = (await server.run()) as { port: number };
    endpoint = `http://127.0.0.1:${addr.port}`;
    admin = new S3Client({ endpoint, region: 'us-east-1', forcePathStyle: true, requestChecksumCalculation: 'WHEN_REQUIRED', responseChecksumValidation: 'WHEN_REQUIRED', credentials: { accessKeyId: KEY_ID, secretAccessKey: SECRET } });
    await admin.send(new CreateBucketCommand({ Bucket: BUCKET }));
  });
  after(async () => {
    admin?.destroy();
    await server?.close();
    await rm(dir, { recursive: true, force: true });
  });

  const objects = async (prefix = ''): Promise<string[]> => ((await admin.send(new ListObjectsV2Command({ Bucket: BUCKET, Prefix: prefix || undefined }))).Contents ?? []).map((o) => o.Key!).sort();

  it('keeps each content once under its SHA-256, reads it back, lists and removes it; refused content is never sent', async () => {
    const store = createS3FileStore({ endpoint, region: 'us-east-1', bucket: BUCKET, prefix: 'unit/', forcePathStyle: true, accessKeyId: KEY_ID, secretAccessKey: SECRET, tmpDir: join(dir, 'tmp') });
    try {
      const body = '%PDF-1.7 hello s3';
      const a = await store.put(Readable.from([Buffer.from(body)]));
      const b = await store.put(Readable.from([Buffer.from(body.slice(0, 4)), Buffer.from(body.slice(4))]));
      assert.equal(a.sha256, sha(body));
      assert.equal(a.storageKey, b.storageKey);
      assert.deepEqual(await objects('unit/'), [`unit/${a.storageKey}`], 'one object for two puts');
      assert.equal(await text(store.open(a.storageKey)), body);
      assert.equal(await store.exists(a.storageKey), true);
      const listed: string[] = [];
      for await (const k of store.list()) listed.push(k);
      assert.deepEqual(listed, [a.storageKey]);
      await assert.rejects(store.put(Readable.from([Buffer.from('MZ')]), { accept: () => { throw new Error('refused'); } }), /refused/);
      await assert.rejects(store.put(Readable.from([Buffer.alloc(2000)]), { maxBytes: 1000 }), /more than 1000 bytes/);
      assert.deepEqual(await objects('unit/'), [`unit/${a.storageKey}`], 'nothing sent for refused content');
      const missing = `${'0'.repeat(2)}/${'0'.repeat(64)}`;
      assert.equal(await store.exists(missing), false);
      await assert.rejects(text(store.open(missing)), (e: any) => e.name === 'NoSuchKey' || e.$metadata?.httpStatusCode === 404);
      assert.throws(() => store.open('../etc/passwd'), /invalid storage key/);
      await store.remove(a.storageKey);
      assert.equal(await store.exists(a.storageKey), false);
      assert.equal(store.description.includes(SECRET), false);
    } finally {
      store.close();
    }
  });

  it('the app with MOTCUA_FILE_STORE=s3: uploads go to the bucket once, downloads and the warehouse read from it, verify finds damage', async () => {
    let app: TestApp | undefined;
    try {
      app = await startTestApp({
        env: {
          MOTCUA_FILE_STORE: 's3', MOTCUA_S3_ENDPOINT: endpoint, MOTCUA_S3_BUCKET: BUCKET, MOTCUA_S3_PREFIX: 'app/',
          MOTCUA_S3_ACCESS_KEY_ID: KEY_ID, MOTCUA_S3_SECRET_ACCESS_KEY: 'S3RVER-secret-not-checked',
        },
      });
      const content = Buffer.concat([TINY_PDF, Buffer.from('% s3 upload\n')]);
      const id1 = await upload(app, 'citizen1', content);
      const id2 = await upload(app, 'citizen2', content);
      assert.notEqual(id1, id2);
      const key = `${sha(content).slice(0, 2)}/${sha(content)}`;
      assert.deepEqual(await objects('app/'), [`app/${key}`]);
      const got = await app.call('GET', `/api/v1/files/${id1}`, { as: 'citizen1' });
      assert.equal(got.status, 200);
      assert.equal(got.body, content.toString());
      const docs = await app.call('GET', '/api/v1/documents', { as: 'citizen1' });
      const doc = docs.body.items.find((d: any) => d.sha256 === sha(content));
      const dl = await app.call('GET', `/api/v1/documents/${doc.id}/content`, { as: 'citizen1' });
      assert.equal(dl.body, content.toString());

      const other = Buffer.concat([TINY_PDF, Buffer.from('% s3 second\n')]);
      await upload(app, 'citizen1', other);
      const store = createS3FileStore({ endpoint, region: 'us-east-1', bucket: BUCKET, prefix: 'app/', forcePathStyle: true, accessKeyId: KEY_ID, secretAccessKey: SECRET, tmpDir: join(dir, 'tmp') });
      try {
        assert.deepEqual((await verifyFileStore(app.motcua.db, store)).checked, 2);
        await admin.send(new PutObjectCommand({ Bucket: BUCKET, Key: `app/${key}`, Body: Buffer.from('tampered'), ContentLength: 8 }));
        await admin.send(new DeleteObjectCommand({ Bucket: BUCKET, Key: `app/${sha(other).slice(0, 2)}/${sha(other)}` }));
        const v = await verifyFileStore(app.motcua.db, store);
        assert.deepEqual(v.changed.map((c) => c.storageKey), [key]);
        assert.equal(v.changed[0]!.actual, sha('tampered'));
        assert.deepEqual(v.missing.map((m) => m.storageKey), [`${sha(other).slice(0, 2)}/${sha(other)}`]);
      } finally {
        store.close();
      }
    } finally {
      await app?.close();
    }
  });
});

describe('S3 settings', () => {
  const base = { MOTCUA_SANDBOX_IDP: '1', MOTCUA_DATA_DIR: '/tmp/x', MOTCUA_FILE_STORE: 's3', MOTCUA_S3_BUCKET: 'motcua-files', MOTCUA_S3_ACCESS_KEY_ID: 'AKIA123', MOTCUA_S3_SECRET_ACCESS_KEY: 'very-secret-value-123' };

  it('a valid setting; the secret is in no JSON, inspection or message', () => {
    const c = loadConfig({ ...base, MOTCUA_S3_ENDPOINT: 'https://s3.cao-bang.example/' });
    assert.equal(c.fileStore.kind, 's3');
    if (c.fileStore.kind !== 's3') return;
    assert.equal(c.fileStore.endpoint, 'https://s3.cao-bang.example');
    assert.equal(c.fileStore.forcePathStyle, true);
    assert.equal(c.fileStore.secretAccessKey, 'very-secret-value-123');
    assert.equal(JSON.stringify(c).includes('very-secret-value-123'), false);
    assert.equal(inspect(c, { depth: 10 }).includes('very-secret-value-123'), false);
    assert.equal(loadConfig({ MOTCUA_SANDBOX_IDP: '1', MOTCUA_DATA_DIR: '/tmp/x' }).fileStore.kind, 'folder');
  });

  it('each mistake is named, in both languages, without the secret', () => {
    const cases: [Record<string, string>, RegExp][] = [
      [{ MOTCUA_FILE_STORE: 'ftp' }, /MOTCUA_FILE_STORE="ftp": folder or s3/],
      [{ MOTCUA_S3_BUCKET: 'Bad_Bucket' }, /MOTCUA_S3_BUCKET: required/],
      [{ MOTCUA_S3_BUCKET: '' }, /MOTCUA_S3_BUCKET: required/],
      [{ MOTCUA_S3_ACCESS_KEY_ID: '' }, /MOTCUA_S3_ACCESS_KEY_ID: required/],
      [{ MOTCUA_S3_SECRET_ACCESS_KEY: '' }, /MOTCUA_S3_SECRET_ACCESS_KEY: required/],
      [{ MOTCUA_S3_SECRET_ACCESS_KEY: 'short' }, /MOTCUA_S3_SECRET_ACCESS_KEY: too short/],
      [{ MOTCUA_S3_ENDPOINT: 'ftp://x' }, /MOTCUA_S3_ENDPOINT: not a valid/],
      [{ MOTCUA_S3_ENDPOINT: 'https://user:very-secret-value-123@s3.example' }, /MOTCUA_S3_ENDPOINT: put the keys/],
      [{ MOTCUA_S3_PREFIX: '/abs' }, /MOTCUA_S3_PREFIX/],
      [{ MOTCUA_S3_FORCE_PATH_STYLE: 'maybe' }, /MOTCUA_S3_FORCE_PATH_STYLE/],
    ];
    for (const [env, pattern] of cases) {
      assert.throws(
        () => loadConfig({ ...base, ...env }),
        (e: unknown) => {
          assert.ok(e instanceof ConfigError, String(e));
          assert.match(e.message, pattern);
          assert.match(e.message, / \/ /, 'bilingual');
          assert.equal(e.message.includes('very-secret-value-123'), false, 'no secret in the message');
          return true;
        },
        JSON.stringify(env),
      );
    }
  });
});
