import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Database } from '../../db/database.ts';
import { withDb } from '../../../test/support/db.ts';
import {
  appendAudit,
  auditEntryHash,
  GENESIS_HASH,
  listAuditEntries,
  sealAuditLog,
  startAuditSealer,
  verifyAuditLog,
  type AuditEntryInput,
} from './audit.ts';

const T0 = Date.UTC(2026, 1, 17, 1, 0, 0);

function entry(i: number, over: Partial<AuditEntryInput> = {}): AuditEntryInput {
  return {
    actorSub: `officer-${i % 3}`,
    actorRoles: ['officer', 'receiver'],
    action: 'dossier.update',
    entityType: 'dossier',
    entityId: `d-${i % 5}`,
    before: { status: 'received', n: i, nested: { b: 2, a: 1 } },
    after: { status: 'processing', n: i + 1, note: 'Hồ sơ đã tiếp nhận' },
    at: new Date(T0 + i * 1000),
    requestId: `req-${i}`,
    ...over,
  };
}


async function appendMany(db: Database, n: number, from = 0): Promise<void> {
  for (let i = from; i < from + n; i++) await db.transaction((tx) => appendAudit(tx, entry(i)));
}

/** Tampers with the log as someone with direct database access would: guard trigger off, change, back on. */
async function tamper(db: Database, sql: string, params: unknown[] = []): Promise<void> {
  await db.transaction(async (tx) => {
    await tx.query('ALTER TABLE audit_log DISABLE TRIGGER audit_log_append_only');
    await tx.query(sql, params);
    await tx.query('ALTER TABLE audit_log ENABLE TRIGGER audit_log_append_only');
  });
}

async function chain(db: Database): Promise<{ id: string; chain_pos: string | null; prev_hash: string | null; hash: string | null }[]> {
  return (
    await db.query<{ id: string; chain_pos: string | null; prev_hash: string | null; hash: string | null }>(
      'SELECT id::text AS id, chain_pos::text AS chain_pos, prev_hash, hash FROM audit_log ORDER BY id',
    )
  ).rows;
}

test('appended entries are unsealed until the sealer chains them gaplessly from the genesis hash', async () => {
  await withDb(async (db) => {
    await appendMany(db, 5);
    assert.ok((await chain(db)).every((r) => r.chain_pos === null && r.hash === null));
    const s = await sealAuditLog(db, { batchSize: 2 });
    assert.equal(s.sealed, 5);
    assert.equal(s.busy, false);
    const rows = await chain(db);
    assert.deepEqual(rows.map((r) => r.chain_pos), ['1', '2', '3', '4', '5']);
    assert.equal(rows[0]?.prev_hash, GENESIS_HASH);
    for (let i = 1; i < rows.length; i++) assert.equal(rows[i]?.prev_hash, rows[i - 1]?.hash);
    assert.deepEqual(s.head, { chainPos: 5, hash: rows[4]?.hash });
    // The stored hash is exactly sha256(prev || canonical content incl. position).
    const [first] = await listAuditEntries(db, { entityType: 'dossier', entityId: 'd-0' });
    assert.ok(first);
    assert.equal(first.hash, auditEntryHash(GENESIS_HASH, first, 1));
    assert.deepEqual(first.before, { status: 'received', n: 0, nested: { a: 1, b: 2 } });
    assert.deepEqual(first.actorRoles, ['officer', 'receiver']);
    assert.equal(first.at.toISOString(), '2026-02-17T01:00:00.000Z');
    // Nothing left: sealing again does nothing.
    assert.equal((await sealAuditLog(db)).sealed, 0);
    await appendMany(db, 2, 5);
    assert.equal((await sealAuditLog(db)).sealed, 2);
    const v = await verifyAuditLog(db, { pageSize: 3 });
    assert.deepEqual(v.problems, []);
    assert.equal(v.ok, true);
    assert.equal(v.checked, 7);
    assert.equal(v.unsealed, 0);
  });
});

test('an entry appended in a transaction that rolls back leaves no trace in the chain', async () => {
  await withDb(async (db) => {
    await appendMany(db, 2);
    await assert.rejects(
      db.transaction(async (tx) => {
        await appendAudit(tx, entry(99));
        throw new Error('domain refused');
      }),
      /domain refused/,
    );
    await appendMany(db, 2, 2);
    const v = await verifyAuditLog(db);
    assert.equal(v.ok, true);
    assert.equal(v.checked, 4);
    assert.deepEqual((await chain(db)).map((r) => r.chain_pos), ['1', '2', '3', '4']);
  });
});

test('null and missing before/after and requestId are stored as NULL and hash alike', async () => {
  await withDb(async (db) => {
    await db.transaction((tx) => appendAudit(tx, entry(1, { before: null, requestId: undefined })));
    await db.transaction((tx) => appendAudit(tx, { ...entry(2), before: undefined, after: undefined, requestId: undefined }));
    const v = await verifyAuditLog(db);
    assert.equal(v.ok, true);
    const r = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM audit_log WHERE before IS NULL AND request_id IS NULL');
    assert.equal(r.rows[0]?.n, 2);
    await assert.rejects(db.transaction((tx) => appendAudit(tx, entry(3, { at: new Date(Number.NaN) }))), TypeError);
  });
});

test('the database refuses changes to entries: content updates, resealing, deletes, truncation, pre-sealed inserts', async () => {
  await withDb(async (db) => {
    await appendMany(db, 3);
    await sealAuditLog(db);
    await appendMany(db, 1, 3); // one unsealed entry
    const forbidden = /append-only|already sealed|inserted unsealed/;
    await assert.rejects(db.query(`UPDATE audit_log SET after = '{"status":"forged"}' WHERE chain_pos = 2`), forbidden);
    await assert.rejects(db.query(`UPDATE audit_log SET actor_sub = 'someone-else' WHERE chain_pos IS NULL`), forbidden);
    await assert.rejects(db.query(`UPDATE audit_log SET hash = repeat('a', 64) WHERE chain_pos = 1`), forbidden);
    await assert.rejects(db.query(`UPDATE audit_log SET chain_pos = 9 WHERE chain_pos = 3`), forbidden);
    await assert.rejects(db.query('DELETE FROM audit_log WHERE chain_pos = 3'), forbidden);
    await assert.rejects(db.query('DELETE FROM audit_log WHERE chain_pos IS NULL'), forbidden);
    await assert.rejects(db.query('TRUNCATE audit_log'), forbidden);
    await assert.rejects(
      db.query(
        `INSERT INTO audit_log (at, actor_sub, actor_roles, action, entity_type, entity_id, chain_pos, prev_hash, hash, sealed_at)
         VALUES (now(), 'x', '{}', 'a', 'dossier', 'd', 4, repeat('0', 64), repeat('1', 64), now())`,
      ),
      forbidden,
    );
    // Sealing columns must be set all together (check constraint), even from NULL.
    await assert.rejects(db.query(`UPDATE audit_log SET hash = repeat('a', 64) WHERE chain_pos IS NULL`));
    const v = await verifyAuditLog(db);
    assert.equal(v.ok, true);
    assert.equal(v.checked, 4);
  });
});

test('verify finds a changed entry (hash mismatch)', async () => {
  await withDb(async (db) => {
    await appendMany(db, 6);
    await sealAuditLog(db);
    await tamper(db, `UPDATE audit_log SET after = jsonb_set(after, '{status}', '"approved"') WHERE chain_pos = 4`);
    const v = await verifyAuditLog(db, { pageSize: 2 });
    assert.equal(v.ok, false);
    assert.equal(v.checked, 6);
    assert.deepEqual(v.problems.map((p) => [p.chainPos, p.kind]), [[4, 'hash_mismatch']]);
  });
});

test('verify finds a changed actor or timestamp, and a re-hashed forgery by the broken link after it', async () => {
  await withDb(async (db) => {
    await appendMany(db, 5);
    await sealAuditLog(db);
    await tamper(db, `UPDATE audit_log SET at = at + interval '1 second' WHERE chain_pos = 1`);
    await tamper(db, `UPDATE audit_log SET actor_roles = '{officer,leader}' WHERE chain_pos = 2`);
    // Forge entry 4 and give it the hash its new content yields: entry 5 no longer links to it.
    const [e4] = (await listAuditEntries(db, { entityType: 'dossier', entityId: 'd-3' })).filter((e) => e.chainPos === 4);
    assert.ok(e4 && e4.prevHash);
    const forged = { ...e4, after: { status: 'approved' } };
    await tamper(db, 'UPDATE audit_log SET after = $1::jsonb, hash = $2 WHERE chain_pos = 4', [
      JSON.stringify(forged.after),
      auditEntryHash(e4.prevHash, forged, 4),
    ]);
    const v = await verifyAuditLog(db);
    assert.deepEqual(v.problems.map((p) => [p.chainPos, p.kind]), [
      [1, 'hash_mismatch'],
      [2, 'hash_mismatch'],
      [5, 'broken_link'],
    ]);
  });
});

test('verify finds deleted entries: in the middle, a run of them, and at the end of the chain', async () => {
  await withDb(async (db) => {
    await appendMany(db, 10);
    await sealAuditLog(db);
    await tamper(db, 'DELETE FROM audit_log WHERE chain_pos = 3');
    await tamper(db, 'DELETE FROM audit_log WHERE chain_pos IN (6, 7)');
    await tamper(db, 'DELETE FROM audit_log WHERE chain_pos IN (9, 10)');
    const v = await verifyAuditLog(db, { pageSize: 2 });
    assert.equal(v.ok, false);
    assert.equal(v.checked, 5);
    assert.deepEqual(v.problems.map((p) => [p.chainPos, p.kind]), [
      [3, 'missing'],
      [6, 'missing'],
      [9, 'missing'],
    ]);
    assert.match(v.problems[1]?.detail ?? '', /6\.\.7/);
  });
});

test('verify finds a deletion hidden by renumbering the positions after it', async () => {
  await withDb(async (db) => {
    await appendMany(db, 5);
    await sealAuditLog(db);
    await tamper(db, 'DELETE FROM audit_log WHERE chain_pos = 2');
    await tamper(db, 'UPDATE audit_log SET chain_pos = chain_pos - 1 WHERE chain_pos > 2');
    await tamper(db, 'UPDATE audit_chain_head SET last_pos = 4');
    const v = await verifyAuditLog(db);
    assert.equal(v.ok, false);
    assert.deepEqual(v.problems.map((p) => [p.chainPos, p.kind]), [
      [2, 'broken_link'],
      [2, 'hash_mismatch'],
      [3, 'hash_mismatch'],
      [4, 'hash_mismatch'],
    ]);
  });
});

test('problems listed are capped, the verdict is not', async () => {
  await withDb(async (db) => {
    await appendMany(db, 6);
    await sealAuditLog(db);
    await tamper(db, `UPDATE audit_log SET action = 'forged'`);
    const v = await verifyAuditLog(db, { maxProblems: 2 });
    assert.equal(v.ok, false);
    assert.equal(v.problems.length, 2);
    assert.equal(v.problemsTruncated, true);
  });
});

test('concurrent appends from many transactions and two sealers racing give one gapless, valid chain', async () => {
  await withDb(async (db) => {
    const clients = db.kind === 'postgres' ? 8 : 2;
    const perClient = 25;
    let sealing = true;
    const sealerLoop = async (): Promise<number> => {
      let n = 0;
      while (sealing) {
        n += (await sealAuditLog(db, { batchSize: 7, wait: n % 2 === 0 })).sealed;
        await new Promise((r) => setTimeout(r, 1));
      }
      return n;
    };
    const sealers = [sealerLoop(), sealerLoop()];
    await Promise.all(
      Array.from({ length: clients }, async (_, c) => {
        for (let i = 0; i < perClient; i++) {
          await db.transaction(async (tx) => {
            await appendAudit(tx, entry(c * 1000 + i));
            await appendAudit(tx, entry(c * 1000 + i, { action: 'dossier.note' }));
          });
        }
      }),
    );
    sealing = false;
    const byLoops = (await Promise.all(sealers)).reduce((a, b) => a + b, 0);
    const rest = (await sealAuditLog(db)).sealed;
    const total = clients * perClient * 2;
    assert.equal(byLoops + rest, total);
    const v = await verifyAuditLog(db, { pageSize: 50 });
    assert.deepEqual(v.problems, []);
    assert.equal(v.checked, total);
    assert.equal(v.head.chainPos, total);
  });
});

test('an entry committed after a later-inserted one is sealed after it, and verify reports it unsealed until then', async (t) => {
  await withDb(async (db) => {
    if (db.kind !== 'postgres') return t.skip('needs two connections (PostgreSQL server)');
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    let inserted!: () => void;
    const insertedP = new Promise<void>((r) => (inserted = r));
    const slow = db.transaction(async (tx) => {
      await appendAudit(tx, entry(1, { action: 'slow' })); // takes the lower id
      inserted();
      await gate;
    });
    await insertedP;
    await appendMany(db, 2, 2);
    const v1 = await verifyAuditLog(db, { seal: false });
    assert.equal(v1.checked, 0);
    assert.equal((await sealAuditLog(db)).sealed, 2); // the uncommitted row is invisible, not waited for
    release();
    await slow;
    assert.equal((await sealAuditLog(db)).sealed, 1);
    const rows = await chain(db);
    assert.deepEqual(rows.map((r) => r.chain_pos), ['3', '1', '2']);
    const v = await verifyAuditLog(db);
    assert.equal(v.ok, true);
    assert.equal(v.checked, 3);
  });
});

test('with wait: false a sealer skips its turn while another holds the lock', async (t) => {
  await withDb(async (db) => {
    if (db.kind !== 'postgres') return t.skip('needs two connections (PostgreSQL server)');
    await appendMany(db, 2);
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    let locked!: () => void;
    const lockedP = new Promise<void>((r) => (locked = r));
    const holder = db.transaction(async (tx) => {
      await tx.query('SELECT pg_advisory_xact_lock(7263002)');
      locked();
      await gate;
    });
    await lockedP;
    const skipped = await sealAuditLog(db, { wait: false });
    assert.deepEqual([skipped.sealed, skipped.busy], [0, true]);
    release();
    await holder;
    assert.equal((await sealAuditLog(db, { wait: false })).sealed, 2);
  });
});

test('the periodic sealer seals new entries and stops cleanly', async () => {
  await withDb(async (db) => {
    const sealer = startAuditSealer(db, { intervalMs: 5, onError: (e) => assert.fail(String(e)) });
    try {
      await appendMany(db, 3);
      for (let i = 0; i < 200; i++) {
        const r = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM audit_log WHERE chain_pos IS NULL');
        if (r.rows[0]?.n === 0) break;
        await new Promise((r) => setTimeout(r, 10));
      }
    } finally {
      await sealer.stop();
    }
    const v = await verifyAuditLog(db, { seal: false });
    assert.equal(v.checked, 3);
    assert.equal(v.unsealed, 0);
    assert.equal(v.ok, true);
  });
});
