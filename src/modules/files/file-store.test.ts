import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { text } from 'node:stream/consumers';
import { test } from 'node:test';
import { createFolderFileStore } from './file-store.ts';

test('content is stored once under its SHA-256 and read back unchanged', async () => {
  const root = await mkdtemp(join(tmpdir(), 'motcua-files-'));
  try {
    const store = createFolderFileStore(root);
    const body = '%PDF-1.7 hello';
    const a = await store.put(Readable.from([Buffer.from(body)]));
    const b = await store.put(Readable.from([Buffer.from(body.slice(0, 5)), Buffer.from(body.slice(5))]));
    assert.equal(a.sha256, createHash('sha256').update(body).digest('hex'));
    assert.equal(a.storageKey, b.storageKey);
    assert.equal(a.size, Buffer.byteLength(body));
    assert.equal(a.head.subarray(0, 5).toString(), '%PDF-');
    assert.equal(await text(store.open(a.storageKey)), body);
    assert.deepEqual(await readdir(join(root, a.sha256.slice(0, 2))), [a.sha256]);
    assert.deepEqual(await readdir(join(root, 'tmp')), [], 'no temporary file left behind');
  } finally {
    await rm(root, { recursive: true, force: true });
  }
});

test('a stream that fails midway leaves nothing behind', async () => {
  const root = await mkdtemp(join(tmpdir(), 'motcua-files-'));
  try {
    const store = createFolderFileStore(root);
    const failing = new Readable({
      read() {
        this.push(Buffer.from('%PDF-partial'));
        this.destroy(new Error('client went away'));
      },
    });
    await assert.rejects(store.put(failing), /client went away/);
    assert.deepEqual(await readdir(join(root, 'tmp')), []);
  } finally {
    await rm(root, { recursive: true, force: true });
  }
});

test('storage keys that are not content addresses are refused (no path traversal)', () => {
  const store = createFolderFileStore('/nonexistent');
  assert.throws(() => store.open('../../etc/passwd'), /invalid storage key/);
});

test('content refused by the checks (too large, cut short, not accepted) leaves nothing behind', async () => {
  const root = await mkdtemp(join(tmpdir(), 'motcua-files-'));
  try {
    const store = createFolderFileStore(root);
    const tooLarge = () => new Error('too large');
    await assert.rejects(store.put(Readable.from([Buffer.alloc(600), Buffer.alloc(600)]), { maxBytes: 1000, tooLarge }), /too large/);
    const cut = Object.assign(Readable.from([Buffer.from('%PDF-1.7 partial')]), { truncated: true });
    await assert.rejects(store.put(cut, { maxBytes: 1000, tooLarge }), /too large/);
    await assert.rejects(
      store.put(Readable.from([Buffer.from('MZ not a document')]), {
        accept: ({ head }) => {
          if (head.toString('latin1', 0, 2) === 'MZ') throw new Error('refused');
        },
      }),
      /refused/,
    );
    const entries = await readdir(root);
    assert.deepEqual(entries.filter((e) => e !== 'tmp'), [], 'no blob kept');
    assert.deepEqual(await readdir(join(root, 'tmp')), [], 'no temporary file left behind');
    // Exactly the limit is accepted.
    const ok = await store.put(Readable.from([Buffer.alloc(1000)]), { maxBytes: 1000, tooLarge });
    assert.equal(ok.size, 1000);
  } finally {
    await rm(root, { recursive: true, force: true });
  }
});
