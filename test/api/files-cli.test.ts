/**
 * `motcua files verify` and `motcua files purge` as an operator runs them: the package's
 * bin in a child process, on an embedded database folder (or the PostgreSQL server of
 * TEST_DATABASE_URL), against the folder file store.
 */
import assert from 'node:assert/strict';
import { mkdtemp, rm, unlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { after, before, describe, it } from 'node:test';
import { connectDatabase } from '../../src/db/connect.ts';
import type { Database } from '../../src/db/database.ts';
import { migrate } from '../../src/db/migrate.ts';
import { createFolderFileStore } from '../../src/modules/files/file-store.ts';
import { createFileService } from '../../src/modules/files/service.ts';
import { motcua } from '../support/cli.ts';
import { freshDatabase } from '../support/db.ts';
import { handPdf } from '../support/pdfs.ts';

const citizen = { sub: 'sub-cli', roles: ['citizen'], personalId: '004085012345' };
const pdf = (note: string): Buffer => Buffer.concat([handPdf(), Buffer.from(`% ${note}\n`)]);

describe('motcua files verify | purge', () => {
  let dir: string;
  let env: Record<string, string>;
  let serverDb: (Database & { url?: string }) | undefined;
  const ids: Record<string, { sha256: string }> = {};

  /** The database the command uses: the server's (kept open) or the data folder's (opened only between commands). */
  async function withDatabase<T>(fn: (db: Database) => Promise<T>): Promise<T> {
    if (serverDb) return fn(serverDb);
    const db = await connectDatabase({ databaseUrl: undefined, dataDir: dir });
    try {
      await migrate(db);
      return await fn(db);
    } finally {
      await db.close();
    }
  }

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'motcua-files-cli-'));
    env = { MOTCUA_DATA_DIR: dir, MOTCUA_SANDBOX_IDP: '1', LOG_LEVEL: 'silent' };
    if (process.env.TEST_DATABASE_URL) {
      serverDb = await freshDatabase();
      env.DATABASE_URL = serverDb.url!;
    }
    await withDatabase(async (db) => {
      const files = createFileService(db, createFolderFileStore(join(dir, 'files')));
      for (const [name, type] of [['birth', 'birth_certificate'], ['residence', 'residence_proof'], ['other', 'other']] as const) {
        ids[name] = (await files.upload(citizen, Readable.from([pdf(name)]), `${name}.pdf`, { documentType: type })).file;
      }
    });
  });
  after(async () => {
    await serverDb?.close();
    await rm(dir, { recursive: true, force: true });
  });

  const blobPath = (sha: string): string => join(dir, 'files', sha.slice(0, 2), sha);

  it('verify: all intact exits 0', async () => {
    const r = await motcua(['files', 'verify'], env);
    assert.equal(r.code, 0, r.stderr + r.stdout);
    assert.match(r.stdout, /OK: 3 files checked .* 0 changed, 0 missing/);
  });

  it('verify: a changed blob and a missing one are named, exit 1', async () => {
    await writeFile(blobPath(ids.residence!.sha256), pdf('tampered'));
    await unlink(blobPath(ids.other!.sha256));
    const r = await motcua(['files', 'verify'], env);
    assert.equal(r.code, 1, r.stderr + r.stdout);
    assert.match(r.stdout, new RegExp(`CHANGED / BỊ THAY ĐỔI ${ids.residence!.sha256.slice(0, 2)}/${ids.residence!.sha256}: expected ${ids.residence!.sha256}`));
    assert.match(r.stdout, new RegExp(`MISSING / BỊ MẤT ${ids.other!.sha256.slice(0, 2)}/${ids.other!.sha256}`));
    assert.match(r.stdout, /DAMAGED \/ HƯ HỎNG: 3 files checked .* 1 changed, 1 missing/);
  });

  it('purge: nothing is due today; 30 years on, all but the birth certificate are deleted, each audited', async () => {
    const none = await motcua(['files', 'purge'], env);
    assert.equal(none.code, 0, none.stderr);
    assert.match(none.stdout, /Purged \/ Đã xóa: 0 documents/);
    const later = new Date(Date.now() + 30 * 366 * 86400_000).toISOString();
    const dry = await motcua(['files', 'purge', '--dry-run', '--now', later], env);
    assert.equal(dry.code, 0, dry.stderr);
    assert.match(dry.stdout, /Dry run \/ Chạy thử: 2 documents/);
    const r = await motcua(['files', 'purge', '--now', later], env);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /deleted \/ đã xóa .* residence_proof/);
    assert.match(r.stdout, /Purged \/ Đã xóa: 2 documents, 2 file records, 2 stored contents removed/);
    assert.equal((await motcua(['files', 'purge', '--now', 'yesterday'], env)).code, 2);
    await withDatabase(async (db) => {
      const docs = await db.query<{ document_type: string }>('SELECT document_type FROM documents');
      assert.deepEqual(docs.rows.map((d) => d.document_type), ['birth_certificate']);
      const audit = await db.query("SELECT 1 FROM audit_log WHERE action = 'document.purge' AND actor_sub = 'system:retention'");
      assert.equal(audit.rows.length, 2);
    });
    // What is left is intact: the tampered and the missing contents went with their documents.
    const v = await motcua(['files', 'verify'], env);
    assert.equal(v.code, 0, v.stdout);
    assert.match(v.stdout, /OK: 1 files checked/);
  });
});
