/**
 * The audit log: append-only and hash-chained.
 *
 * Application transactions call `appendAudit` (one plain INSERT, no lock shared with other
 * transactions). A single sealer at a time (`sealAuditLog`, under a transaction-level
 * advisory lock) later gives committed entries, in insertion-id order, a gapless
 * `chain_pos` and `hash = sha256(prev_hash || canonical JSON of the content)`.
 * `verifyAuditLog` recomputes the chain page by page. Why sealing is deferred:
 * docs/decisions/0002-audit-chain-sealer.md.
 */
import { createHash } from 'node:crypto';
import type { Database, Queryable } from '../../db/database.ts';
import { canonicalize } from '../../shared/canonical-json.ts';

/** `prev_hash` of the first entry of the chain. */
export const GENESIS_HASH = '0'.repeat(64);
/** Advisory lock key held (per transaction) by the one sealer; 7_263_001 is the migration lock. */
export const AUDIT_SEALER_LOCK = 7_263_002;

export interface AuditEntryInput {
  actorSub: string;
  actorRoles: readonly string[];
  /** What was done, e.g. `dossier.submit`. */
  action: string;
  entityType: string;
  entityId: string;
  /** The entity before the change (JSON-serialisable), null/undefined when it did not exist. */
  before: unknown;
  /** The entity after the change, null/undefined when it was removed. */
  after: unknown;
  at: Date;
  requestId?: string | undefined;
}

/** Appends one entry inside the caller's transaction. Returns its id (insertion order). */
export async function appendAudit(tx: Queryable, entry: AuditEntryInput): Promise<{ id: string }> {
  if (!(entry.at instanceof Date) || Number.isNaN(entry.at.getTime())) throw new TypeError('appendAudit: `at` must be a valid Date');
  const r = await tx.query<{ id: string }>(
    `INSERT INTO audit_log (at, actor_sub, actor_roles, action, entity_type, entity_id, before, after, request_id)
     VALUES ($1, $2, $3::text[], $4, $5, $6, $7::jsonb, $8::jsonb, $9)
     RETURNING id::text AS id`,
    [
      entry.at,
      entry.actorSub,
      [...entry.actorRoles],
      entry.action,
      entry.entityType,
      entry.entityId,
      toJsonb(entry.before),
      toJsonb(entry.after),
      entry.requestId ?? null,
    ],
  );
  const row = r.rows[0];
  if (!row) throw new Error('appendAudit: insert returned no row');
  return { id: row.id };
}

function toJsonb(v: unknown): string | null {
  return v === undefined || v === null ? null : JSON.stringify(v);
}

/** An entry as stored; the sealing fields are null until sealed. */
export interface AuditEntry {
  id: string;
  at: Date;
  actorSub: string;
  actorRoles: string[];
  action: string;
  entityType: string;
  entityId: string;
  before: unknown;
  after: unknown;
  requestId: string | null;
  chainPos: number | null;
  prevHash: string | null;
  hash: string | null;
  sealedAt: Date | null;
}

interface AuditRow {
  id: string;
  at: Date;
  actor_sub: string;
  actor_roles: string[];
  action: string;
  entity_type: string;
  entity_id: string;
  before: unknown;
  after: unknown;
  request_id: string | null;
  chain_pos: string | null;
  prev_hash: string | null;
  hash: string | null;
  sealed_at: Date | null;
}

// Careful: ORDER BY a bare name would pick these text-cast output columns; always qualify (a.id, a.chain_pos).
const COLUMNS = `id::text AS id, at, actor_sub, actor_roles, action, entity_type, entity_id, before, after, request_id,
  chain_pos::text AS chain_pos, prev_hash, hash, sealed_at`;

function fromRow(r: AuditRow): AuditEntry {
  return {
    id: r.id,
    at: r.at,
    actorSub: r.actor_sub,
    actorRoles: r.actor_roles,
    action: r.action,
    entityType: r.entity_type,
    entityId: r.entity_id,
    before: r.before,
    after: r.after,
    requestId: r.request_id,
    chainPos: r.chain_pos === null ? null : Number(r.chain_pos),
    prevHash: r.prev_hash,
    hash: r.hash,
    sealedAt: r.sealed_at,
  };
}

/**
 * The canonical text an entry's hash covers: every content field, its id and its chain
 * position (so an entry can be neither edited nor moved), not `sealedAt`.
 */
export function auditContentText(e: Omit<AuditEntry, 'prevHash' | 'hash' | 'sealedAt' | 'chainPos'>, chainPos: number): string {
  return canonicalize({
    id: e.id,
    chainPos,
    at: e.at,
    actorSub: e.actorSub,
    actorRoles: e.actorRoles,
    action: e.action,
    entityType: e.entityType,
    entityId: e.entityId,
    before: e.before ?? null,
    after: e.after ?? null,
    requestId: e.requestId ?? null,
  });
}

export function auditEntryHash(prevHash: string, e: Omit<AuditEntry, 'prevHash' | 'hash' | 'sealedAt' | 'chainPos'>, chainPos: number): string {
  return createHash('sha256').update(prevHash, 'utf8').update(auditContentText(e, chainPos), 'utf8').digest('hex');
}

export interface SealOptions {
  /** Entries sealed per transaction (default 1000). */
  batchSize?: number;
  /** Wait for a running sealer (true, default) or give up at once when another holds the lock. */
  wait?: boolean;
  /** Stop after this many batches (default: until nothing committed is left unsealed). */
  maxBatches?: number;
}

export interface SealResult {
  sealed: number;
  /** True when `wait: false` and another sealer held the lock. */
  busy: boolean;
  head: { chainPos: number; hash: string };
}

/** Seals committed, unsealed entries in insertion-id order, one transaction per batch. */
/** Entries hashed between two turns of the event loop while sealing. */
const YIELD_EVERY = 32;

export async function sealAuditLog(db: Database, opts: SealOptions = {}): Promise<SealResult> {
  const batchSize = opts.batchSize ?? 1000;
  if (!Number.isInteger(batchSize) || batchSize < 1) throw new RangeError('sealAuditLog: batchSize must be a positive integer');
  const wait = opts.wait ?? true;
  const maxBatches = opts.maxBatches ?? Number.POSITIVE_INFINITY;
  let sealed = 0;
  let head: { chainPos: number; hash: string } | undefined;
  for (let batch = 0; batch < maxBatches; batch++) {
    const r = await db.transaction(async (tx) => {
      if (wait) {
        await tx.query('SELECT pg_advisory_xact_lock($1)', [AUDIT_SEALER_LOCK]);
      } else {
        const got = await tx.query<{ ok: boolean }>('SELECT pg_try_advisory_xact_lock($1) AS ok', [AUDIT_SEALER_LOCK]);
        if (!got.rows[0]?.ok) return undefined;
      }
      // A new statement, so a new snapshot: everything the previous sealer committed is visible.
      const h = await tx.query<{ last_pos: string; last_hash: string }>(
        'SELECT last_pos::text AS last_pos, last_hash FROM audit_chain_head FOR UPDATE',
      );
      const hr = h.rows[0];
      if (!hr) throw new Error('audit_chain_head is missing its row');
      let pos = Number(hr.last_pos);
      let prev = hr.last_hash;
      const rows = await tx.query<AuditRow>(
        `SELECT ${COLUMNS} FROM audit_log a WHERE a.chain_pos IS NULL ORDER BY a.id LIMIT $1`,
        [batchSize],
      );
      if (rows.rows.length === 0) return { n: 0, head: { chainPos: pos, hash: prev } };
      const seals: { id: string; pos: number; prev: string; hash: string }[] = [];
      for (const [i, row] of rows.rows.entries()) {
        // Hashing a full batch at once would hold the event loop for tens of milliseconds,
        // delaying every request of this process; let them through every few entries.
        if (i > 0 && i % YIELD_EVERY === 0) await new Promise((resolve) => setImmediate(resolve));
        pos += 1;
        const hash = auditEntryHash(prev, fromRow(row), pos);
        seals.push({ id: row.id, pos, prev, hash });
        prev = hash;
      }
      await tx.query(
        `UPDATE audit_log a SET chain_pos = u.pos, prev_hash = u.prev, hash = u.hash, sealed_at = now()
         FROM jsonb_to_recordset($1::jsonb) AS u(id bigint, pos bigint, prev text, hash text)
         WHERE a.id = u.id`,
        [JSON.stringify(seals)],
      );
      await tx.query('UPDATE audit_chain_head SET last_pos = $1, last_hash = $2, updated_at = now()', [pos, prev]);
      return { n: seals.length, head: { chainPos: pos, hash: prev } };
    });
    if (r === undefined) return { sealed, busy: true, head: head ?? (await readHead(db)) };
    sealed += r.n;
    head = r.head;
    if (r.n < batchSize) break;
  }
  return { sealed, busy: false, head: head ?? (await readHead(db)) };
}

async function readHead(db: Queryable): Promise<{ chainPos: number; hash: string }> {
  const h = await db.query<{ last_pos: string; last_hash: string }>('SELECT last_pos::text AS last_pos, last_hash FROM audit_chain_head');
  const hr = h.rows[0];
  if (!hr) throw new Error('audit_chain_head is missing its row');
  return { chainPos: Number(hr.last_pos), hash: hr.last_hash };
}

export type AuditProblemKind = 'hash_mismatch' | 'missing' | 'broken_link';

export interface AuditProblem {
  chainPos: number;
  kind: AuditProblemKind;
  detail: string;
}

export interface AuditVerification {
  ok: boolean;
  /** Sealed entries examined. */
  checked: number;
  /** Entries not yet sealed when verification ended (not covered by the chain yet). */
  unsealed: number;
  /** The chain head verified against (what an external anchor would record). */
  head: { chainPos: number; hash: string };
  problems: AuditProblem[];
  /** True when more problems were found than `maxProblems` and the rest were not listed. */
  problemsTruncated: boolean;
}

export interface VerifyOptions {
  /** Seal pending entries first (default true). */
  seal?: boolean;
  /** Entries read per query (default 1000). */
  pageSize?: number;
  /** Problems listed at most (default 1000); verification still reads the whole chain. */
  maxProblems?: number;
}

/**
 * Recomputes the chain in `chain_pos` order, page by page, up to the head recorded when
 * verification started (entries sealed meanwhile are left for the next run).
 * - `hash_mismatch`: an entry's content (or position) no longer gives its stored hash: it was changed.
 * - `missing`: positions absent from the chain (deleted entries), including cut off the end.
 * - `broken_link`: an entry's `prev_hash` is not the previous entry's hash (an entry was
 *   replaced and re-hashed, or the head does not match the last entry).
 */
export async function verifyAuditLog(db: Database, opts: VerifyOptions = {}): Promise<AuditVerification> {
  const pageSize = opts.pageSize ?? 1000;
  const maxProblems = opts.maxProblems ?? 1000;
  if (opts.seal ?? true) await sealAuditLog(db, { batchSize: pageSize });
  const head = await readHead(db);
  const problems: AuditProblem[] = [];
  let problemCount = 0;
  const report = (p: AuditProblem): void => {
    problemCount++;
    if (problems.length < maxProblems) problems.push(p);
  };

  let checked = 0;
  let lastPos = 0;
  let lastHash = GENESIS_HASH;
  for (;;) {
    const page = await db.query<AuditRow>(
      `SELECT ${COLUMNS} FROM audit_log a
       WHERE a.chain_pos > $1 AND a.chain_pos <= $2 ORDER BY a.chain_pos LIMIT $3`,
      [lastPos, head.chainPos, pageSize],
    );
    for (const row of page.rows) {
      const e = fromRow(row);
      const pos = e.chainPos as number;
      const expected = lastPos + 1;
      if (pos !== expected) {
        report({
          chainPos: expected,
          kind: 'missing',
          detail: pos - 1 === expected ? `entry ${expected} is missing` : `entries ${expected}..${pos - 1} are missing`,
        });
      } else if (e.prevHash !== lastHash) {
        report({
          chainPos: pos,
          kind: 'broken_link',
          detail: `prev_hash ${e.prevHash} is not the hash of entry ${pos - 1} (${lastHash})`,
        });
      }
      const recomputed = auditEntryHash(e.prevHash ?? '', e, pos);
      if (recomputed !== e.hash) {
        report({
          chainPos: pos,
          kind: 'hash_mismatch',
          detail: `entry id ${e.id}: stored hash ${e.hash}, content gives ${recomputed}`,
        });
      }
      checked++;
      lastPos = pos;
      lastHash = e.hash ?? '';
    }
    if (page.rows.length < pageSize) break;
  }
  if (lastPos < head.chainPos) {
    const from = lastPos + 1;
    report({
      chainPos: from,
      kind: 'missing',
      detail: from === head.chainPos ? `entry ${from} (the head) is missing` : `entries ${from}..${head.chainPos} are missing (the end of the chain)`,
    });
  } else if (head.chainPos > 0 && lastHash !== head.hash) {
    report({ chainPos: head.chainPos, kind: 'broken_link', detail: `the chain head records hash ${head.hash}, the last entry has ${lastHash}` });
  }
  const u = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM audit_log WHERE chain_pos IS NULL');
  return {
    ok: problemCount === 0,
    checked,
    unsealed: u.rows[0]?.n ?? 0,
    head,
    problems,
    problemsTruncated: problemCount > problems.length,
  };
}

/** The entries about one entity, oldest first (sealed or not). */
export async function listAuditEntries(
  db: Queryable,
  q: { entityType: string; entityId: string; limit?: number; afterId?: string },
): Promise<AuditEntry[]> {
  const r = await db.query<AuditRow>(
    `SELECT ${COLUMNS} FROM audit_log a
     WHERE a.entity_type = $1 AND a.entity_id = $2 AND a.id > $3
     ORDER BY a.id LIMIT $4`,
    [q.entityType, q.entityId, q.afterId ?? '0', q.limit ?? 100],
  );
  return r.rows.map(fromRow);
}

export interface AuditSealerHandle {
  /** Stops the timer and waits for a seal in progress. */
  stop(): Promise<void>;
}

/** Seals periodically; with several replicas, one seals at a time and the others skip their turn. */
export function startAuditSealer(
  db: Database,
  opts: { intervalMs: number; batchSize?: number; onError?: (err: unknown) => void },
): AuditSealerHandle {
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let inFlight: Promise<void> | undefined;
  const onError = opts.onError ?? ((err: unknown) => console.error('audit sealer:', err));
  const tick = (): void => {
    timer = undefined;
    if (stopped) return;
    inFlight = sealAuditLog(db, { batchSize: opts.batchSize ?? 1000, wait: false })
      .then(
        () => {},
        (err: unknown) => onError(err),
      )
      .finally(() => {
        inFlight = undefined;
        if (!stopped) timer = setTimeout(tick, opts.intervalMs);
      });
  };
  timer = setTimeout(tick, opts.intervalMs);
  return {
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      timer = undefined;
      await inFlight;
    },
  };
}

/**
 * The log for those who audit it, newest first: optionally one entity, one action (or an
 * action prefix ending in `.`), one actor; `beforeId` pages on.
 */
export async function searchAuditEntries(
  db: Queryable,
  q: { entityType?: string | undefined; entityId?: string | undefined; action?: string | undefined; actorSub?: string | undefined; beforeId?: string | undefined; limit: number },
): Promise<AuditEntry[]> {
  const params: unknown[] = [];
  const where: string[] = [];
  if (q.entityType !== undefined) where.push(`a.entity_type = $${params.push(q.entityType)}`);
  if (q.entityId !== undefined) where.push(`a.entity_id = $${params.push(q.entityId)}`);
  if (q.action !== undefined) where.push(q.action.endsWith('.') ? `starts_with(a.action, $${params.push(q.action)})` : `a.action = $${params.push(q.action)}`);
  if (q.actorSub !== undefined) where.push(`a.actor_sub = $${params.push(q.actorSub)}`);
  if (q.beforeId !== undefined) where.push(`a.id < $${params.push(q.beforeId)}::bigint`);
  const r = await db.query<AuditRow>(
    `SELECT ${COLUMNS} FROM audit_log a ${where.length > 0 ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY a.id DESC LIMIT $${params.push(q.limit)}`,
    params,
  );
  return r.rows.map(fromRow);
}
