import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Database } from '../../db/database.ts';
import { withDb } from '../../../test/support/db.ts';
import {
  computeBackoffMs,
  drainOutboxOnce,
  enqueue,
  pruneOutbox,
  retryDeadEvents,
  startOutboxWorker,
  topicMatches,
  type OutboxEvent,
  type OutboxSink,
} from './outbox.ts';

const T0 = new Date('2030-01-01T00:00:00.000Z'); // well after the rows' default due time (now())
const at = (ms: number): Date => new Date(T0.getTime() + ms);


function recordingSink(name = 'rec', behaviour: (e: OutboxEvent) => Promise<void> | void = () => {}): OutboxSink & { got: OutboxEvent[] } {
  const got: OutboxEvent[] = [];
  return {
    name,
    got,
    async deliver(e) {
      await behaviour(e);
      got.push(e);
    },
  };
}

interface Row {
  status: string;
  attempts: number;
  next_attempt_at: Date;
  last_error: string | null;
  delivered_at: Date | null;
  claim_token: string | null;
}
async function row(db: Database, eventId: string): Promise<Row> {
  const r = await db.query<Row>('SELECT status, attempts, next_attempt_at, last_error, delivered_at, claim_token FROM outbox WHERE event_id = $1', [eventId]);
  assert.ok(r.rows[0], `no outbox row ${eventId}`);
  return r.rows[0];
}

test('backoff doubles from the base, adds at most the jitter fraction, and is capped', () => {
  const b = { baseMs: 1000, maxMs: 10_000, jitter: 0.5 };
  assert.equal(computeBackoffMs(1, b, () => 0), 1000);
  assert.equal(computeBackoffMs(2, b, () => 0), 2000);
  assert.equal(computeBackoffMs(3, b, () => 0.999), Math.round(4000 * 1.4995));
  assert.equal(computeBackoffMs(4, b, () => 1), 10_000); // 8000·1.5 capped
  assert.equal(computeBackoffMs(200, b, () => 0), 10_000);
  for (let i = 0; i < 100; i++) {
    const d = computeBackoffMs(2, b);
    assert.ok(d >= 2000 && d <= 3000, String(d));
  }
});

test('topic patterns: exact, prefix.* and *', () => {
  assert.ok(topicMatches('dossier.submitted', 'dossier.submitted'));
  assert.ok(topicMatches('dossier.*', 'dossier.submitted'));
  assert.ok(!topicMatches('dossier.*', 'dossiers.x'));
  assert.ok(!topicMatches('dossier.*', 'payment.paid'));
  assert.ok(topicMatches('*', 'anything'));
});

test('enqueue writes all events in one go with distinct stable ids, only if the transaction commits', async () => {
  await withDb(async (db) => {
    const ids = await db.transaction((tx) =>
      enqueue(tx, [
        { topic: 'dossier.submitted', key: 'D-1', payload: { code: 'D-1', fee: 50_000 } },
        { topic: 'dossier.received', key: 'D-1', payload: { note: 'Đã tiếp nhận' } },
      ]),
    );
    assert.equal(ids.length, 2);
    assert.notEqual(ids[0], ids[1]);
    await assert.rejects(
      db.transaction(async (tx) => {
        await enqueue(tx, [{ topic: 'dossier.submitted', key: 'D-2', payload: { code: 'D-2' } }]);
        throw new Error('rolled back');
      }),
      /rolled back/,
    );
    assert.deepEqual(await db.transaction((tx) => enqueue(tx, [])), []);
    await assert.rejects(db.transaction((tx) => enqueue(tx, [{ topic: '', key: 'k', payload: 1 }])), TypeError);
    await assert.rejects(db.transaction((tx) => enqueue(tx, [{ topic: 't', key: 'k', payload: undefined }])), TypeError);

    const sink = recordingSink();
    const r = await drainOutboxOnce(db, [sink], T0);
    assert.deepEqual(r, { claimed: 2, delivered: 2, retrying: 0, dead: 0, skipped: 0 });
    assert.deepEqual(sink.got.map((e) => [e.id, e.topic, e.key, e.attempt]), [
      [ids[0], 'dossier.submitted', 'D-1', 1],
      [ids[1], 'dossier.received', 'D-1', 1],
    ]);
    assert.deepEqual(sink.got[0]?.payload, { code: 'D-1', fee: 50_000 });
    assert.ok(sink.got[0]?.createdAt instanceof Date);
    assert.ok(!sink.got.some((e) => e.key === 'D-2'), 'the rolled-back event is never delivered');
    const d = await row(db, ids[0] as string);
    assert.equal(d.status, 'delivered');
    assert.equal(d.delivered_at?.toISOString(), T0.toISOString());
    assert.equal(d.claim_token, null);
    assert.deepEqual(await drainOutboxOnce(db, [sink], at(60_000)), { claimed: 0, delivered: 0, retrying: 0, dead: 0, skipped: 0 });
    const n = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM outbox');
    assert.equal(n.rows[0]?.n, 2);
  });
});

test('a sink failing twice then succeeding gets the event exactly when each back-off ends; attempts = 3', async () => {
  await withDb(async (db) => {
    const [id] = await db.transaction((tx) => enqueue(tx, [{ topic: 'dossier.submitted', key: 'D-1', payload: {} }]));
    assert.ok(id);
    let calls = 0;
    const sink = recordingSink('flaky', () => {
      calls++;
      if (calls <= 2) throw new Error(`receiver down (${calls})`);
    });
    const opts = { backoff: { baseMs: 1000, maxMs: 60_000, jitter: 0.5 }, random: () => 0.5 };

    assert.equal((await drainOutboxOnce(db, [sink], T0, opts)).retrying, 1);
    let r = await row(db, id);
    assert.deepEqual([r.status, r.attempts, r.last_error], ['pending', 1, 'flaky: receiver down (1)']);
    assert.equal(r.next_attempt_at.toISOString(), at(1250).toISOString()); // 1000·(1 + 0.5·0.5)

    assert.equal((await drainOutboxOnce(db, [sink], at(1249), opts)).claimed, 0, 'not before the back-off ends');
    assert.equal((await drainOutboxOnce(db, [sink], at(1250), opts)).retrying, 1);
    r = await row(db, id);
    assert.deepEqual([r.status, r.attempts, r.last_error], ['pending', 2, 'flaky: receiver down (2)']);
    assert.equal(r.next_attempt_at.toISOString(), at(1250 + 2500).toISOString());

    assert.equal((await drainOutboxOnce(db, [sink], at(3749), opts)).claimed, 0);
    assert.equal((await drainOutboxOnce(db, [sink], at(3750), opts)).delivered, 1);
    r = await row(db, id);
    assert.deepEqual([r.status, r.attempts], ['delivered', 3]);
    assert.equal(sink.got.length, 1);
    assert.equal(sink.got[0]?.attempt, 3);
    assert.equal(sink.got[0]?.id, id, 'the same event id on every attempt');
  });
});

test('an event is given up as dead after maxAttempts, and can be put back by an operator', async () => {
  await withDb(async (db) => {
    const [id] = await db.transaction((tx) => enqueue(tx, [{ topic: 't', key: 'k', payload: { x: 1 } }]));
    assert.ok(id);
    const failing: OutboxSink = {
      name: 'down',
      deliver: async () => {
        throw new Error('HTTP 503');
      },
    };
    const opts = { maxAttempts: 3, backoff: { baseMs: 10, maxMs: 10, jitter: 0 } };
    let t = 0;
    const results = [];
    for (let i = 0; i < 5; i++) {
      results.push(await drainOutboxOnce(db, [failing], at(t), opts));
      t += 10;
    }
    assert.deepEqual(results.map((r) => [r.retrying, r.dead]), [[1, 0], [1, 0], [0, 1], [0, 0], [0, 0]]);
    const r = await row(db, id);
    assert.deepEqual([r.status, r.attempts, r.last_error], ['dead', 3, 'down: HTTP 503']);
    assert.equal(r.delivered_at?.toISOString(), at(20).toISOString());

    assert.equal(await retryDeadEvents(db, [id]), 1);
    const sink = recordingSink();
    assert.equal((await drainOutboxOnce(db, [sink], at(1000), opts)).delivered, 1);
    assert.equal(sink.got[0]?.attempt, 1);
    assert.equal(await pruneOutbox(db, at(999)), 0);
    assert.equal(await pruneOutbox(db, at(1001)), 1);
  });
});

test('events no sink takes are marked skipped; each sink gets only its topics; one failing sink retries the event', async () => {
  await withDb(async (db) => {
    const ids = await db.transaction((tx) =>
      enqueue(tx, [
        { topic: 'dossier.submitted', key: 'a', payload: 1 },
        { topic: 'payment.paid', key: 'b', payload: 2 },
        { topic: 'internal.tick', key: 'c', payload: 3 },
      ]),
    );
    const dossiers = recordingSink('dossiers', () => {});
    dossiers.topics = ['dossier.*'];
    let payFails = true;
    const payments = recordingSink('payments', () => {
      if (payFails) throw new Error('nope');
    });
    payments.topics = ['payment.paid', 'dossier.submitted'];
    const r = await drainOutboxOnce(db, [dossiers, payments], T0, { backoff: { baseMs: 100, maxMs: 100, jitter: 0 } });
    assert.deepEqual(r, { claimed: 3, delivered: 0, retrying: 2, dead: 0, skipped: 1 });
    assert.equal((await row(db, ids[2] as string)).status, 'skipped');
    payFails = false;
    const r2 = await drainOutboxOnce(db, [dossiers, payments], at(100));
    assert.equal(r2.delivered, 2);
    // At least once: the sink that had accepted dossier.submitted gets it again on the retry.
    assert.deepEqual(dossiers.got.map((e) => e.topic), ['dossier.submitted', 'dossier.submitted']);
    assert.deepEqual(payments.got.map((e) => e.topic).sort(), ['dossier.submitted', 'payment.paid']);
  });
});

test('a worker that dies after delivering but before recording: the event is delivered again once the lease ends', async () => {
  await withDb(async (db) => {
    const [id] = await db.transaction((tx) => enqueue(tx, [{ topic: 't', key: 'k', payload: {} }]));
    assert.ok(id);
    // Simulate the crash: claim the row (as a worker does) and never record an outcome.
    const claim = await db.query<{ n: number }>(
      `UPDATE outbox SET attempts = attempts + 1, next_attempt_at = $1::timestamptz + interval '60 seconds', claim_token = gen_random_uuid()
       WHERE event_id = $2 RETURNING attempts AS n`,
      [T0, id],
    );
    assert.equal(claim.rows[0]?.n, 1);
    const sink = recordingSink();
    assert.equal((await drainOutboxOnce(db, [sink], at(59_999))).claimed, 0, 'still leased');
    const r = await drainOutboxOnce(db, [sink], at(60_000));
    assert.equal(r.delivered, 1);
    assert.equal(sink.got[0]?.attempt, 2);
    assert.equal(sink.got[0]?.id, id);
  });
});

test('a late worker cannot record over a newer claim of the same row', async () => {
  await withDb(async (db) => {
    const [id] = await db.transaction((tx) => enqueue(tx, [{ topic: 't', key: 'k', payload: {} }]));
    assert.ok(id);
    // Worker A claims with a short lease and is slow; worker B re-claims after the lease and delivers.
    let releaseA!: () => void;
    const gateA = new Promise<void>((r) => (releaseA = r));
    let aStarted!: () => void;
    const aStartedP = new Promise<void>((r) => (aStarted = r));
    const slow: OutboxSink = {
      name: 'slow',
      deliver: async () => {
        aStarted();
        await gateA;
        throw new Error('A timed out late');
      },
    };
    const a = drainOutboxOnce(db, [slow], T0, { leaseMs: 1000 });
    await aStartedP;
    const b = await drainOutboxOnce(db, [recordingSink()], at(1000));
    assert.equal(b.delivered, 1);
    releaseA();
    await a;
    const r = await row(db, id);
    assert.deepEqual([r.status, r.attempts, r.last_error], ['delivered', 2, null]);
  });
});

test('two workers draining at the same time never deliver the same row twice (SKIP LOCKED)', async () => {
  await withDb(async (db) => {
    const total = 120;
    await db.transaction((tx) => enqueue(tx, Array.from({ length: total }, (_, i) => ({ topic: 't', key: `k${i}`, payload: { i } }))));
    const seen = new Map<string, string[]>();
    const sinkFor = (worker: string): OutboxSink => ({
      name: worker,
      deliver: async (e) => {
        await new Promise((r) => setTimeout(r, 2));
        seen.set(e.id, [...(seen.get(e.id) ?? []), worker]);
      },
    });
    let rounds = 0;
    for (;;) {
      rounds++;
      const [a, b] = await Promise.all([
        drainOutboxOnce(db, [sinkFor('A')], T0, { batchSize: 25 }),
        drainOutboxOnce(db, [sinkFor('B')], T0, { batchSize: 25 }),
      ]);
      if (a.claimed + b.claimed === 0) break;
      assert.ok(rounds < 20);
    }
    assert.equal(seen.size, total);
    for (const [id, workers] of seen) assert.equal(workers.length, 1, `${id} delivered by ${workers.join(', ')}`);
    if (db.kind === 'postgres') {
      const byWorker = new Set([...seen.values()].map((w) => w[0]));
      assert.deepEqual([...byWorker].sort(), ['A', 'B'], 'both workers took part');
    }
    const n = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM outbox WHERE status = 'delivered' AND attempts = 1`);
    assert.equal(n.rows[0]?.n, total);
  });
});

test('stop() waits for the round in flight to be delivered and recorded', async () => {
  await withDb(async (db) => {
    let inFlight = 0;
    const sink: OutboxSink = {
      name: 'slowish',
      deliver: async () => {
        inFlight++;
        await new Promise((r) => setTimeout(r, 50));
        inFlight--;
      },
    };
    await db.transaction((tx) => enqueue(tx, [{ topic: 't', key: 'a', payload: 1 }, { topic: 't', key: 'b', payload: 2 }]));
    const errors: unknown[] = [];
    const worker = startOutboxWorker(db, { sinks: [sink], pollMs: 10_000, onError: (e) => errors.push(e) });
    for (let i = 0; i < 400 && inFlight === 0; i++) await new Promise((r) => setTimeout(r, 5));
    assert.ok(inFlight > 0, 'a delivery is in flight');
    await worker.stop();
    assert.equal(inFlight, 0);
    const r = await db.query<{ status: string; n: number }>('SELECT status, count(*)::int AS n FROM outbox GROUP BY status');
    assert.deepEqual(r.rows, [{ status: 'delivered', n: 2 }]);
    assert.deepEqual(errors, []);
  });
});

test('wake() makes an idle worker poll now rather than after pollMs', async () => {
  await withDb(async (db) => {
    const sink = recordingSink();
    const worker = startOutboxWorker(db, { sinks: [sink], pollMs: 60_000 });
    try {
      await new Promise((r) => setTimeout(r, 50));
      await db.transaction((tx) => enqueue(tx, [{ topic: 't', key: 'a', payload: 1 }]));
      worker.wake();
      for (let i = 0; i < 400 && sink.got.length === 0; i++) await new Promise((r) => setTimeout(r, 5));
      assert.equal(sink.got.length, 1);
    } finally {
      await worker.stop();
    }
  });
});

test('a worker keeps going after a database error and reports it', async () => {
  await withDb(async (db) => {
    const errors: unknown[] = [];
    let fail = true;
    const flakyDb: Database = {
      ...db,
      query: async (sql, params) => {
        if (fail) {
          fail = false;
          throw new Error('connection reset');
        }
        return db.query(sql, params);
      },
    };
    await db.transaction((tx) => enqueue(tx, [{ topic: 't', key: 'a', payload: 1 }]));
    const sink = recordingSink();
    const worker = startOutboxWorker(flakyDb, { sinks: [sink], pollMs: 5, onError: (e) => errors.push(e) });
    for (let i = 0; i < 200 && sink.got.length === 0; i++) await new Promise((r) => setTimeout(r, 5));
    await worker.stop();
    assert.equal(sink.got.length, 1);
    assert.match(String(errors[0]), /connection reset/);
  });
});
