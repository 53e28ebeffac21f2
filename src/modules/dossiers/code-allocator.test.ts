import assert from 'node:assert/strict';
import { test } from 'node:test';
import { freshDatabase } from '../../../test/support/db.ts';
import type { Database } from '../../db/database.ts';
import { allocateDossierCode } from './code-allocator.ts';

test('codes are unique and consecutive under concurrency, per agency and per local day', async () => {
  const db = await freshDatabase();
  try {
    const at = new Date('2026-11-23T03:00:00Z');
    const codes = await Promise.all(Array.from({ length: 200 }, () => allocateDossierCode(db, '000.00.04.H12', at)));
    assert.equal(new Set(codes).size, 200);
    // Numbers follow the order of the requests, also when concurrent ones are taken together.
    const seqs = codes.map((c) => Number(c.split('-').pop()));
    assert.deepEqual(seqs, Array.from({ length: 200 }, (_, i) => i + 1));
    const counter = (await db.query<{ last_seq: number }>("SELECT last_seq FROM dossier_code_counters WHERE agency_code = '000.00.04.H12'")).rows;
    assert.deepEqual(counter.map((r) => Number(r.last_seq)), [200]);
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

test('a failed counter statement fails the requests it served, and the next ones are served again', async () => {
  let calls = 0;
  const groups: number[] = [];
  let last = 0;
  const db = {
    async query(_sql: string, params: unknown[]) {
      calls++;
      if (calls === 1) {
        await new Promise((r) => setTimeout(r, 5));
        throw new Error('connection lost');
      }
      const n = Number(params[2]);
      groups.push(n);
      last += n;
      return { rows: [{ last_seq: last }], rowCount: 1 };
    },
  } as unknown as Database;
  const at = new Date('2026-11-23T03:00:00Z');
  const first = allocateDossierCode(db, '000.00.04.H12', at);
  const waiting = Array.from({ length: 5 }, () => allocateDossierCode(db, '000.00.04.H12', at));
  await assert.rejects(first, /connection lost/);
  // The five that waited behind the failed statement are taken together by the next one.
  assert.deepEqual(await Promise.all(waiting), ['0001', '0002', '0003', '0004', '0005'].map((s) => `000.00.04.H12-261123-${s}`));
  assert.deepEqual(groups, [5]);
  assert.equal(await allocateDossierCode(db, '000.00.04.H12', at), '000.00.04.H12-261123-0006');
});
