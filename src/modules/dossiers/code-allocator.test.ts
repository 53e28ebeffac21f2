import assert from 'node:assert/strict';
import { test } from 'node:test';
import { freshDatabase } from '../../../test/support/db.ts';
import { allocateDossierCode } from './code-allocator.ts';

test('codes are unique and consecutive under concurrency, per agency and per local day', async () => {
  const db = await freshDatabase();
  try {
    const at = new Date('2026-11-23T03:00:00Z');
    const codes = await Promise.all(Array.from({ length: 200 }, () => allocateDossierCode(db, '000.00.04.H12', at)));
    assert.equal(new Set(codes).size, 200);
    const seqs = codes.map((c) => Number(c.split('-').pop())).sort((a, b) => a - b);
    assert.deepEqual(seqs, Array.from({ length: 200 }, (_, i) => i + 1));
    assert.ok(codes.every((c) => c.startsWith('000.00.04.H12-261123-')));
    // Another agency and the next local day start again at 0001.
    assert.equal(await allocateDossierCode(db, '000.00.05.H12', at), '000.00.05.H12-261123-0001');
    assert.equal(await allocateDossierCode(db, '000.00.04.H12', new Date('2026-11-23T17:00:00Z')), '000.00.04.H12-261124-0001');
  } finally {
    await db.close();
  }
});

test('several server processes on one database never share a code', { skip: !process.env.TEST_DATABASE_URL && 'needs a PostgreSQL server (runs in the PostgreSQL pass)' }, async () => {
  // Two independent pools stand for two processes: they share nothing but the database.
  const db = await freshDatabase();
  const { openPostgres } = await import('../../db/postgres.ts');
  const url = (db as unknown as { url?: string }).url;
  try {
    assert.ok(url, 'freshDatabase exposes its url on PostgreSQL');
    const other = await openPostgres(url, { max: 10 });
    try {
      const at = new Date('2026-11-23T03:00:00Z');
      const codes = await Promise.all(Array.from({ length: 300 }, (_, i) => allocateDossierCode(i % 2 ? db : other, '000.00.04.H12', at)));
      assert.equal(new Set(codes).size, 300);
    } finally {
      await other.close();
    }
  } finally {
    await db.close();
  }
});
