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

test('statements a transaction started without waiting for them are committed with it, in order', async () => {
  const db = await freshDatabase();
  try {
    await db.transaction(async (tx) => {
      void tx.query(`INSERT INTO agencies (code, name, level) VALUES ($1, $2, 'province')`, ['P.1', 'Tỉnh']);
      void tx.query(`INSERT INTO agencies (code, name, level, parent_code) VALUES ($1, $2, 'commune', $3)`, ['P.1.1', 'Xã', 'P.1']);
    });
    const r = await db.query<{ code: string }>(`SELECT code FROM agencies WHERE code LIKE 'P.1%' ORDER BY code`);
    assert.deepEqual(r.rows.map((x) => x.code), ['P.1', 'P.1.1']);
  } finally {
    await db.close();
  }
});

test('one failing statement that was not waited for rolls the whole transaction back, with its own error', async () => {
  const db = await freshDatabase();
  try {
    await assert.rejects(
      db.transaction(async (tx) => {
        void tx.query(`INSERT INTO agencies (code, name, level) VALUES ($1, 'A', 'province')`, ['Q.1']);
        void tx.query(`INSERT INTO agencies (code, name, level) VALUES ($1, 'B', 'nowhere')`, ['Q.2']); // violates the CHECK
        void tx.query(`INSERT INTO agencies (code, name, level) VALUES ($1, 'C', 'province')`, ['Q.3']);
      }),
      (err: { code?: string }) => err.code === '23514',
    );
    const r = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM agencies WHERE code LIKE 'Q.%'`);
    assert.equal(r.rows[0]?.n, 0);
    // The connection is usable afterwards.
    assert.equal((await db.transaction((tx) => tx.query<{ x: number }>('SELECT $1::int AS x', [7]))).rows[0]?.x, 7);
  } finally {
    await db.close();
  }
});

test('a transaction whose failed statement was caught and ignored does not report success', async () => {
  const db = await freshDatabase();
  try {
    await assert.rejects(
      db.transaction(async (tx) => {
        await tx.query(`INSERT INTO agencies (code, name, level) VALUES ($1, 'A', 'province')`, ['R.1']);
        await tx.query(`INSERT INTO agencies (code, name, level) VALUES ($1, 'B', 'nowhere')`, ['R.2']).catch(() => {});
      }),
    );
    const r = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM agencies WHERE code LIKE 'R.%'`);
    assert.equal(r.rows[0]?.n, 0);
  } finally {
    await db.close();
  }
});

test('the same statement with different parameters, concurrently and in transactions, answers each call', async () => {
  const db = await freshDatabase();
  try {
    const sql = 'SELECT $1::int * 2 AS x';
    const plain = await Promise.all(Array.from({ length: 50 }, (_, i) => db.query<{ x: number }>(sql, [i])));
    assert.deepEqual(plain.map((r) => r.rows[0]?.x), Array.from({ length: 50 }, (_, i) => i * 2));
    const inTx = await db.transaction((tx) => Promise.all(Array.from({ length: 20 }, (_, i) => tx.query<{ x: number }>(sql, [i]))));
    assert.deepEqual(inTx.map((r) => r.rows[0]?.x), Array.from({ length: 20 }, (_, i) => i * 2));
    // Many distinct texts (more than are kept prepared) still run.
    for (let i = 0; i < 600; i += 1) assert.equal((await db.query<{ x: number }>(`SELECT $1::int + ${i} AS x`, [1])).rows[0]?.x, i + 1);
  } finally {
    await db.close();
  }
});

test('a statement started after its transaction ended is refused, not run outside it', async () => {
  const db = await freshDatabase();
  try {
    let late: Promise<unknown> | undefined;
    await db.transaction(async (tx) => {
      await tx.query('SELECT 1');
      late = new Promise((resolve) => setTimeout(resolve, 20)).then(() => tx.query(`INSERT INTO agencies (code, name, level) VALUES ('L.1', 'Late', 'commune')`));
    });
    await assert.rejects(late!);
    const r = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM agencies WHERE code = 'L.1'`);
    assert.equal(r.rows[0]?.n, 0);
  } finally {
    await db.close();
  }
});

test('a new embedded database is made from the template; an existing one is opened as it is', async () => {
  const { connectDatabase } = await import('./connect.ts');
  const { mkdtemp, rm } = await import('node:fs/promises');
  const { tmpdir } = await import('node:os');
  const { join } = await import('node:path');
  const dir = await mkdtemp(join(tmpdir(), 'motcua-db-test-'));
  const template = join(dir, 'cache', 'template.tar.gz');
  try {
    // No template yet: the first new database makes it.
    const first = await connectDatabase({ dataDir: join(dir, 'a'), pgliteTemplate: template });
    const applied = await migrate(first);
    // The template holds the migrations; they are reported as applied to the new database, once.
    assert.equal(applied.applied[0], '0001_core');
    assert.equal(applied.alreadyApplied, 0);
    assert.deepEqual((await migrate(first)).applied, []);
    await first.query(`INSERT INTO agencies (code, name, level) VALUES ('T.1', 'Kept', 'province')`);
    await first.close();
    const { stat } = await import('node:fs/promises');
    assert.ok((await stat(template)).size > 100_000);
    // A second new database from the kept template: empty, migrations apply.
    const second = await connectDatabase({ dataDir: join(dir, 'b'), pgliteTemplate: template });
    assert.equal((await migrate(second)).applied[0], '0001_core');
    assert.equal((await second.query<{ n: number }>('SELECT count(*)::int AS n FROM agencies')).rows[0]?.n, 0);
    await second.close();
    // Reopened: the data is there, nothing is copied over it.
    const again = await connectDatabase({ dataDir: join(dir, 'a'), pgliteTemplate: template });
    assert.deepEqual((await migrate(again)).applied, []);
    assert.equal((await again.query<{ name: string }>(`SELECT name FROM agencies WHERE code = 'T.1'`)).rows[0]?.name, 'Kept');
    await again.close();
    // A damaged template: PGlite initialises the folder itself.
    const { writeFile } = await import('node:fs/promises');
    await writeFile(template, 'not a template');
    const fallback = await connectDatabase({ dataDir: join(dir, 'c'), pgliteTemplate: template });
    assert.equal((await migrate(fallback)).applied[0], '0001_core');
    await fallback.close();
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('a unique violation is a conflict (409) with a bilingual message, the database error kept as its cause', async () => {
  const { AppError } = await import('../shared/errors.ts');
  const { statusOf } = await import('../http/errors.ts');
  const db = await freshDatabase();
  try {
    await db.query(`INSERT INTO agencies (code, name, level) VALUES ('U.1', 'A', 'province')`);
    const check = (e: unknown): boolean => {
      assert.ok(e instanceof AppError, String(e));
      assert.equal(e.kind, 'conflict');
      assert.equal(e.code, 'already_exists');
      assert.equal(statusOf(e), 409);
      assert.ok(e.messages.vi.length > 0 && e.messages.en.length > 0);
      assert.equal((e.cause as { code?: string }).code, '23505');
      return true;
    };
    await assert.rejects(db.query(`INSERT INTO agencies (code, name, level) VALUES ('U.1', 'B', 'province')`), check);
    await assert.rejects(db.transaction((tx) => tx.query(`INSERT INTO agencies (code, name, level) VALUES ($1, 'B', 'province')`, ['U.1'])), check);
  } finally {
    await db.close();
  }
});

test('a deadlock between two transactions is a conflict for the one the server cancels (PostgreSQL server only)', async (t) => {
  const { AppError } = await import('../shared/errors.ts');
  const db = await freshDatabase();
  try {
    if (db.kind !== 'postgres') return t.skip('one connection on the embedded engine: transactions never overlap');
    await db.query(`INSERT INTO agencies (code, name, level) VALUES ('D.1', 'A', 'province'), ('D.2', 'B', 'province')`);
    let meet!: () => void;
    const both = new Promise<void>((resolve) => {
      let n = 0;
      meet = () => {
        if (++n === 2) resolve();
      };
    });
    // Each locks one row, waits until the other has its own, then wants the other's.
    const crosswise = (first: string, second: string) =>
      db.transaction(async (tx) => {
        await tx.query(`UPDATE agencies SET name = name WHERE code = $1`, [first]);
        meet();
        await both;
        await tx.query(`UPDATE agencies SET name = name WHERE code = $1`, [second]);
      });
    const results = await Promise.allSettled([crosswise('D.1', 'D.2'), crosswise('D.2', 'D.1')]);
    const failed = results.filter((r) => r.status === 'rejected');
    assert.equal(failed.length, 1, 'the server cancels one of the two');
    const e = failed[0]!.reason as unknown;
    assert.ok(e instanceof AppError, String(e));
    assert.equal(e.kind, 'conflict');
    assert.equal(e.code, 'concurrent_update');
  } finally {
    await db.close();
  }
});
