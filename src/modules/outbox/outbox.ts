/**
 * The transactional outbox. Application services `enqueue` events in the same transaction
 * as the change they announce; workers deliver them to sinks (webhooks, notifications,
 * national sync) at least once, with exponential back-off and jitter, and give up into
 * `dead` after `maxAttempts`.
 *
 * Claiming is a short statement (`FOR UPDATE SKIP LOCKED`) that leases rows by moving
 * their `next_attempt_at` past the delivery and stamping a claim token; delivery happens
 * outside any transaction (so a slow webhook holds no connection and, on PGlite, does not
 * block the one connection), then one statement records the outcome. A worker that dies
 * between delivery and recording leaves the lease to expire: the event is delivered again.
 * Receivers de-duplicate by the event id. Order is not guaranteed, not even per key.
 */
import { randomUUID } from 'node:crypto';
import type { Database, Queryable } from '../../db/database.ts';

export interface OutboxEventInput {
  topic: string;
  /** What the event is about, e.g. a dossier code. */
  key: string;
  /** JSON-serialisable. */
  payload: unknown;
}

/** An event handed to a sink. */
export interface OutboxEvent {
  /** Stable across retries: receivers de-duplicate by it. */
  id: string;
  /** The outbox row id (enqueue order), as a decimal string. */
  seq: string;
  topic: string;
  key: string;
  payload: unknown;
  /** 1 on the first delivery attempt. */
  attempt: number;
  createdAt: Date;
}

export interface OutboxSink {
  name: string;
  /** Topics taken: exact names, `prefix.*`, or `*`. Omitted: every topic. */
  topics?: readonly string[];
  /** Resolves when the event is accepted; throws (or rejects) to have it retried. */
  deliver(event: OutboxEvent): Promise<void>;
}

export interface BackoffOptions {
  /** Delay after the first failure (default 1000 ms); doubled after each further failure. */
  baseMs: number;
  /** Cap on the delay, jitter included (default 1 hour). */
  maxMs: number;
  /** Up to this fraction of the delay is added at random (default 0.2). */
  jitter: number;
}

export const DEFAULT_BACKOFF: BackoffOptions = { baseMs: 1000, maxMs: 3_600_000, jitter: 0.2 };

/** Delay before attempt `attempt + 1`, after `attempt` (>= 1) failed: base·2^(attempt-1)·(1 + jitter·random), capped. */
export function computeBackoffMs(attempt: number, backoff: BackoffOptions = DEFAULT_BACKOFF, random: () => number = Math.random): number {
  const exp = backoff.baseMs * 2 ** Math.min(Math.max(attempt - 1, 0), 52);
  return Math.round(Math.min(backoff.maxMs, exp * (1 + backoff.jitter * random())));
}

export function topicMatches(pattern: string, topic: string): boolean {
  if (pattern === '*') return true;
  if (pattern.endsWith('.*')) return topic.startsWith(pattern.slice(0, -1));
  return pattern === topic;
}

function sinksFor(sinks: readonly OutboxSink[], topic: string): OutboxSink[] {
  return sinks.filter((s) => s.topics === undefined || s.topics.some((p) => topicMatches(p, topic)));
}

const ENQUEUE_CHUNK = 1000; // 4 parameters a row; well under PostgreSQL's 65535

/**
 * Adds events to the outbox inside the caller's transaction (one multi-row INSERT per
 * 1000 events). Returns their event ids in order. Nothing is sent unless the transaction commits.
 */
export async function enqueue(tx: Queryable, events: readonly OutboxEventInput[]): Promise<string[]> {
  const ids: string[] = [];
  for (let start = 0; start < events.length; start += ENQUEUE_CHUNK) {
    const chunk = events.slice(start, start + ENQUEUE_CHUNK);
    const params: unknown[] = [];
    const values: string[] = [];
    for (const e of chunk) {
      if (typeof e.topic !== 'string' || e.topic === '') throw new TypeError('enqueue: topic must be a non-empty string');
      if (typeof e.key !== 'string') throw new TypeError('enqueue: key must be a string');
      const payload = JSON.stringify(e.payload);
      if (payload === undefined) throw new TypeError(`enqueue: payload of ${e.topic} is not JSON-serialisable`);
      const id = randomUUID();
      ids.push(id);
      const n = params.length;
      params.push(id, e.topic, e.key, payload);
      values.push(`($${n + 1}::uuid, $${n + 2}, $${n + 3}, $${n + 4}::jsonb)`);
    }
    await tx.query(`INSERT INTO outbox (event_id, topic, key, payload) VALUES ${values.join(', ')}`, params);
  }
  return ids;
}

export interface DrainOptions {
  /** Rows claimed per round (default 100). */
  batchSize?: number;
  /** Attempts before an event is given up as `dead` (default 10). */
  maxAttempts?: number;
  backoff?: Partial<BackoffOptions>;
  /** How long a claim lasts before another worker may take the row again (default 5 minutes; keep it above the slowest delivery). */
  leaseMs?: number;
  /** Deliveries run at the same time within a round (default 10). */
  concurrency?: number;
  /** For tests: the jitter's random source. */
  random?: () => number;
}

export interface DrainResult {
  claimed: number;
  delivered: number;
  /** Failed and scheduled again. */
  retrying: number;
  /** Failed for the last time. */
  dead: number;
  /** No sink takes the topic. */
  skipped: number;
}

interface ClaimedRow {
  seq: string;
  event_id: string;
  topic: string;
  key: string;
  payload: unknown;
  attempts: number;
  created_at: Date;
}

type Outcome = { kind: 'delivered' } | { kind: 'skipped' } | { kind: 'failed'; error: string };

/**
 * One round: claims up to `batchSize` due events, delivers each to every sink taking its
 * topic, and records the outcome. `now` (default: the database clock) decides what is due
 * and when retries fall due; tests pass it to move time.
 */
export async function drainOutboxOnce(
  db: Database,
  sinks: readonly OutboxSink[],
  now?: Date,
  opts: DrainOptions = {},
): Promise<DrainResult> {
  const batchSize = opts.batchSize ?? 100;
  const maxAttempts = opts.maxAttempts ?? 10;
  const leaseMs = opts.leaseMs ?? 300_000;
  const concurrency = Math.max(1, opts.concurrency ?? 10);
  const backoff: BackoffOptions = { ...DEFAULT_BACKOFF, ...opts.backoff };
  const nowParam = now ?? null;
  const token = randomUUID();

  const claimed = await db.query<ClaimedRow>(
    `WITH due AS MATERIALIZED (
       SELECT id FROM outbox
       WHERE status = 'pending' AND next_attempt_at <= COALESCE($1::timestamptz, now())
       ORDER BY next_attempt_at, id
       LIMIT $2
       FOR UPDATE SKIP LOCKED)
     UPDATE outbox o
     SET attempts = o.attempts + 1,
         next_attempt_at = COALESCE($1::timestamptz, now()) + $3::bigint * interval '1 millisecond',
         claim_token = $4::uuid
     FROM due WHERE o.id = due.id
     RETURNING o.id::text AS seq, o.event_id::text AS event_id, o.topic, o.key, o.payload, o.attempts, o.created_at`,
    [nowParam, batchSize, leaseMs, token],
  );
  const rows = claimed.rows.sort((a, b) => (BigInt(a.seq) < BigInt(b.seq) ? -1 : 1));
  const result: DrainResult = { claimed: rows.length, delivered: 0, retrying: 0, dead: 0, skipped: 0 };
  if (rows.length === 0) return result;

  const outcomes = new Array<Outcome>(rows.length);
  let next = 0;
  const runOne = async (row: ClaimedRow): Promise<Outcome> => {
    const targets = sinksFor(sinks, row.topic);
    if (targets.length === 0) return { kind: 'skipped' };
    const event: OutboxEvent = {
      id: row.event_id,
      seq: row.seq,
      topic: row.topic,
      key: row.key,
      payload: row.payload,
      attempt: row.attempts,
      createdAt: row.created_at,
    };
    for (const sink of targets) {
      try {
        await sink.deliver(event);
      } catch (err) {
        return { kind: 'failed', error: `${sink.name}: ${describeError(err)}`.slice(0, 2000) };
      }
    }
    return { kind: 'delivered' };
  };
  await Promise.all(
    Array.from({ length: Math.min(concurrency, rows.length) }, async () => {
      for (let i = next++; i < rows.length; i = next++) outcomes[i] = await runOne(rows[i] as ClaimedRow);
    }),
  );

  const done: { id: string; status: 'delivered' | 'skipped' }[] = [];
  const failed: { id: string; status: 'pending' | 'dead'; error: string; delay_ms: number }[] = [];
  rows.forEach((row, i) => {
    const o = outcomes[i] as Outcome;
    if (o.kind === 'delivered' || o.kind === 'skipped') {
      done.push({ id: row.seq, status: o.kind });
      result[o.kind === 'delivered' ? 'delivered' : 'skipped']++;
    } else if (row.attempts >= maxAttempts) {
      failed.push({ id: row.seq, status: 'dead', error: o.error, delay_ms: 0 });
      result.dead++;
    } else {
      failed.push({ id: row.seq, status: 'pending', error: o.error, delay_ms: computeBackoffMs(row.attempts, backoff, opts.random) });
      result.retrying++;
    }
  });
  // The claim token guards against a worker whose lease ran out while another re-claimed the row.
  if (done.length > 0) {
    await db.query(
      `UPDATE outbox o SET status = d.status, delivered_at = COALESCE($2::timestamptz, now()), claim_token = NULL
       FROM jsonb_to_recordset($1::jsonb) AS d(id bigint, status text)
       WHERE o.id = d.id AND o.claim_token = $3::uuid`,
      [JSON.stringify(done), nowParam, token],
    );
  }
  if (failed.length > 0) {
    await db.query(
      `UPDATE outbox o
       SET status = f.status, last_error = f.error, claim_token = NULL,
           next_attempt_at = COALESCE($2::timestamptz, now()) + f.delay_ms * interval '1 millisecond',
           delivered_at = CASE WHEN f.status = 'dead' THEN COALESCE($2::timestamptz, now()) END
       FROM jsonb_to_recordset($1::jsonb) AS f(id bigint, status text, error text, delay_ms bigint)
       WHERE o.id = f.id AND o.claim_token = $3::uuid`,
      [JSON.stringify(failed), nowParam, token],
    );
  }
  return result;
}

function describeError(err: unknown): string {
  if (err instanceof Error) return err.message || err.name;
  return String(err);
}

export interface OutboxWorkerOptions extends DrainOptions {
  sinks: readonly OutboxSink[];
  /** Pause between rounds when nothing more is due (default 1000 ms). */
  pollMs?: number;
  onError?: (err: unknown) => void;
}

export interface OutboxWorker {
  /** Polls now instead of at the end of the current pause. */
  wake(): void;
  /** Stops polling and waits for the round in progress to be delivered and recorded. */
  stop(): Promise<void>;
}

/** Delivers due events in rounds; several workers (replicas) can run at once. */
export function startOutboxWorker(db: Database, opts: OutboxWorkerOptions): OutboxWorker {
  const pollMs = opts.pollMs ?? 1000;
  const batchSize = opts.batchSize ?? 100;
  const onError = opts.onError ?? ((err: unknown) => console.error('outbox worker:', err));
  let stopped = false;
  let woken = false; // a wake() during a round ends the next pause at once
  let wakeUp: (() => void) | undefined;
  const pause = (): Promise<void> =>
    new Promise((resolve) => {
      if (woken) {
        woken = false;
        resolve();
        return;
      }
      const timer = setTimeout(done, pollMs);
      function done(): void {
        clearTimeout(timer);
        wakeUp = undefined;
        resolve();
      }
      wakeUp = done;
    });
  const loop = (async () => {
    while (!stopped) {
      let full = false;
      try {
        const r = await drainOutboxOnce(db, opts.sinks, undefined, { ...opts, batchSize });
        full = r.claimed === batchSize;
      } catch (err) {
        onError(err);
      }
      if (!stopped && !full) await pause();
      woken = false;
    }
  })();
  return {
    wake() {
      if (wakeUp) wakeUp();
      else woken = true;
    },
    async stop() {
      stopped = true;
      wakeUp?.();
      await loop;
    },
  };
}

/** Puts dead events (all, or those with the given event ids) back in the queue, due now, with a fresh count of attempts. */
export async function retryDeadEvents(db: Queryable, eventIds?: readonly string[]): Promise<number> {
  const r = await db.query(
    `UPDATE outbox SET status = 'pending', attempts = 0, next_attempt_at = now(), delivered_at = NULL
     WHERE status = 'dead' AND ($1::uuid[] IS NULL OR event_id = ANY($1::uuid[]))`,
    [eventIds ? [...eventIds] : null],
  );
  return r.rowCount;
}

/** Deletes delivered and skipped events finished before `before`; returns how many. */
export async function pruneOutbox(db: Queryable, before: Date): Promise<number> {
  const r = await db.query(`DELETE FROM outbox WHERE status IN ('delivered', 'skipped') AND delivered_at < $1`, [before]);
  return r.rowCount;
}
