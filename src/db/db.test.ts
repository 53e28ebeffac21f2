import assert from 'node:assert/strict';
import { test } from 'node:test';
import { freshDatabase } from '../../test/support/db.ts';
import { migrate } from './migrate.ts';

test('migrations apply once and are recorded; a second run applies nothing', async () => {
  const db = await freshDatabase();
  try {
    const again = await migrate(db);
    assert.deepEqual(again.applied, []);
    assert.ok(again.alreadyApplied >= 1);
    const r = await db.query<{ version: string }>('SELECT version FROM schema_migrations ORDER BY version');
    assert.equal(r.rows[0]?.version, '0001_core');
  } finally {
    await db.close();
  }
});

test('a transaction that throws leaves nothing behind', async () => {
  const db = await freshDatabase();
  try {
    await assert.rejects(
      db.transaction(async (tx) => {
        await tx.query(`INSERT INTO agencies (code, name, level) VALUES ('X.1', 'Test', 'commune')`);
        throw new Error('boom');
      }),
      /boom/,
    );
    const r = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM agencies WHERE code = 'X.1'`);
    assert.equal(r.rows[0]?.n, 0);
  } finally {
    await db.close();
  }
});

test('dates come back as YYYY-MM-DD strings and timestamps as Date on both adapters', async () => {
  const db = await freshDatabase();
  try {
    const r = await db.query<{ d: string; t: Date }>(`SELECT DATE '2026-02-17' AS d, TIMESTAMPTZ '2026-02-17T01:00:00Z' AS t`);
    assert.equal(r.rows[0]?.d, '2026-02-17');
    assert.ok(r.rows[0]?.t instanceof Date);
    assert.equal(r.rows[0]?.t.toISOString(), '2026-02-17T01:00:00.000Z');
  } finally {
    await db.close();
  }
});
