import type { OfferingRow } from '../catalogue/index.ts';
import type { Queryable } from '../../db/database.ts';
import { staleRevision } from '../../db/errors.ts';
import type { Principal } from '../identity/index.ts';
import { visibleDossierBranches } from './access.ts';

/** A dossier as stored. `snapshot` is the workflow engine's view of it. */
export interface DossierRecord {
  id: string;
  code: string;
  procedureCode: string;
  procedureVersion: number;
  workflowId: string;
  workflowVersion: number;
  agencyCode: string;
  currentAgencyCode: string;
  applicantSub: string;
  applicant: Record<string, unknown>;
  form: Record<string, unknown>;
  status: string;
  assigneeSub: string | null;
  submittedAt: Date;
  receivedAt: Date | null;
  dueAt: Date | null;
  snapshot: Record<string, unknown>;
  revision: number;
  idempotencyKey: string | null;
  requestHash: string | null;
  /** The case of the procedure it follows (absent for a procedure without cases). */
  variantId?: string | null;
}

export interface DossierEventRecord {
  seq: number;
  type: string;
  action: string | null;
  actorSub: string;
  actorRoles: string[];
  at: Date;
  statusFrom: string | null;
  statusTo: string;
  data: Record<string, unknown>;
}

interface Row {
  id: string;
  code: string;
  procedure_code: string;
  procedure_version: number;
  workflow_id: string;
  workflow_version: number;
  agency_code: string;
  current_agency_code: string;
  applicant_sub: string;
  applicant: Record<string, unknown>;
  form: Record<string, unknown>;
  status: string;
  assignee_sub: string | null;
  submitted_at: Date;
  received_at: Date | null;
  due_at: Date | null;
  snapshot: Record<string, unknown>;
  revision: number;
  idempotency_key: string | null;
  request_hash: string | null;
  variant_id: string | null;
}

const fromRow = (r: Row): DossierRecord => ({
  id: r.id,
  code: r.code,
  procedureCode: r.procedure_code,
  procedureVersion: r.procedure_version,
  workflowId: r.workflow_id,
  workflowVersion: r.workflow_version,
  agencyCode: r.agency_code,
  currentAgencyCode: r.current_agency_code,
  applicantSub: r.applicant_sub,
  applicant: r.applicant,
  form: r.form,
  status: r.status,
  assigneeSub: r.assignee_sub,
  submittedAt: r.submitted_at,
  receivedAt: r.received_at,
  dueAt: r.due_at,
  snapshot: r.snapshot,
  revision: r.revision,
  idempotencyKey: r.idempotency_key,
  requestHash: r.request_hash,
  variantId: r.variant_id,
});

/** Columns of `dossiers d`. */
const COLUMNS = `d.id::text AS id, d.code, d.procedure_code, d.procedure_version, d.workflow_id, d.workflow_version, d.agency_code,
  d.current_agency_code, d.applicant_sub, d.applicant, d.form, d.status, d.assignee_sub, d.submitted_at, d.received_at, d.due_at,
  d.snapshot, d.revision, d.idempotency_key, d.request_hash, d.variant_id`;

export async function insertDossier(tx: Queryable, d: DossierRecord): Promise<void> {
  await tx.query(
    `INSERT INTO dossiers (id, code, procedure_code, procedure_version, workflow_id, workflow_version, agency_code, current_agency_code,
       applicant_sub, applicant, form, status, assignee_sub, submitted_at, received_at, due_at, snapshot, revision, idempotency_key, request_hash, variant_id)
     VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13,$14,$15,$16,$17,$18,$19,$20,$21)`,
    [
      d.id, d.code, d.procedureCode, d.procedureVersion, d.workflowId, d.workflowVersion, d.agencyCode, d.currentAgencyCode,
      d.applicantSub, JSON.stringify(d.applicant), JSON.stringify(d.form), d.status, d.assigneeSub, d.submittedAt, d.receivedAt, d.dueAt,
      JSON.stringify(d.snapshot), d.revision, d.idempotencyKey, d.requestHash, d.variantId ?? null,
    ],
  );
}

export async function findDossierByCode(q: Queryable, code: string, opts: { forUpdate?: boolean } = {}): Promise<DossierRecord | undefined> {
  const r = await q.query<Row>(`SELECT ${COLUMNS} FROM dossiers d WHERE d.code = $1${opts.forUpdate ? ' FOR UPDATE' : ''}`, [code]);
  return r.rows[0] ? fromRow(r.rows[0]) : undefined;
}

export async function findDossierByIdempotencyKey(q: Queryable, applicantSub: string, key: string): Promise<DossierRecord | undefined> {
  const r = await q.query<Row>(`SELECT ${COLUMNS} FROM dossiers d WHERE d.applicant_sub = $1 AND d.idempotency_key = $2`, [applicantSub, key]);
  return r.rows[0] ? fromRow(r.rows[0]) : undefined;
}

export async function updateDossierState(tx: Queryable, d: DossierRecord): Promise<void> {
  const r = await tx.query(
    `UPDATE dossiers SET status = $2, current_agency_code = $3, assignee_sub = $4, received_at = $5, due_at = $6, snapshot = $7,
       revision = revision + 1, updated_at = now()
     WHERE id = $1 AND revision = $8`,
    [d.id, d.status, d.currentAgencyCode, d.assigneeSub, d.receivedAt, d.dueAt, JSON.stringify(d.snapshot), d.revision],
  );
  // Another transaction moved the revision on since `d` was read: a conflict (409), never a 500.
  if (r.rowCount !== 1) throw staleRevision('dossier', d.code);
}

export async function appendDossierEvents(tx: Queryable, dossierId: string, firstSeq: number, events: Omit<DossierEventRecord, 'seq'>[]): Promise<void> {
  if (events.length === 0) return;
  const values: string[] = [];
  const params: unknown[] = [];
  events.forEach((e, i) => {
    const b = params.length;
    values.push(`($${b + 1}, $${b + 2}, $${b + 3}, $${b + 4}, $${b + 5}, $${b + 6}, $${b + 7}, $${b + 8}, $${b + 9}, $${b + 10})`);
    params.push(dossierId, firstSeq + i, e.type, e.action, e.actorSub, e.actorRoles, e.at, e.statusFrom, e.statusTo, JSON.stringify(e.data));
  });
  await tx.query(
    `INSERT INTO dossier_events (dossier_id, seq, type, action, actor_sub, actor_roles, at, status_from, status_to, data) VALUES ${values.join(', ')}`,
    params,
  );
}

export async function nextEventSeq(q: Queryable, dossierId: string): Promise<number> {
  const r = await q.query<{ n: number }>('SELECT coalesce(max(seq), 0)::int + 1 AS n FROM dossier_events WHERE dossier_id = $1', [dossierId]);
  return r.rows[0]!.n;
}

export async function listDossierEvents(q: Queryable, dossierId: string): Promise<DossierEventRecord[]> {
  const r = await q.query<{ seq: number; type: string; action: string | null; actor_sub: string; actor_roles: string[]; at: Date; status_from: string | null; status_to: string; data: Record<string, unknown> }>(
    'SELECT seq, type, action, actor_sub, actor_roles, at, status_from, status_to, data FROM dossier_events WHERE dossier_id = $1 ORDER BY seq',
    [dossierId],
  );
  return r.rows.map((e) => ({ seq: e.seq, type: e.type, action: e.action, actorSub: e.actor_sub, actorRoles: e.actor_roles, at: e.at, statusFrom: e.status_from, statusTo: e.status_to, data: e.data }));
}

export async function linkDossierFiles(tx: Queryable, dossierId: string, links: { fileId: string; role: string; pointer: string }[]): Promise<void> {
  if (links.length === 0) return;
  const values: string[] = [];
  const params: unknown[] = [dossierId];
  for (const l of links) {
    params.push(l.fileId, l.role, l.pointer);
    values.push(`($1, $${params.length - 2}, $${params.length - 1}, $${params.length})`);
  }
  await tx.query(`INSERT INTO dossier_files (dossier_id, file_id, role, pointer) VALUES ${values.join(', ')} ON CONFLICT DO NOTHING`, params);
}

/**
 * A dossier's files. `source` says where each came from (upload, digitised at the counter,
 * slip, result, or reused from the records warehouse with `reusedFromDocumentId`).
 */
export async function listDossierFiles(q: Queryable, dossierId: string): Promise<{ fileId: string; role: string; pointer: string; mediaType: string; size: number; sha256: string; fileName: string | null; source: string; reused: boolean; reusedFromDocumentId: string | null }[]> {
  const r = await q.query<{ file_id: string; role: string; pointer: string; media_type: string; size_bytes: string; sha256: string; file_name: string | null; source: string; reused_from: string | null }>(
    `SELECT df.file_id::text AS file_id, df.role, df.pointer, f.media_type, f.size_bytes, f.sha256, f.file_name, f.source, f.reused_from_document::text AS reused_from
     FROM dossier_files df JOIN files f ON f.id = df.file_id WHERE df.dossier_id = $1 ORDER BY df.role, df.pointer`,
    [dossierId],
  );
  return r.rows.map((x) => ({
    fileId: x.file_id, role: x.role, pointer: x.pointer, mediaType: x.media_type, size: Number(x.size_bytes), sha256: x.sha256, fileName: x.file_name,
    source: x.source, reused: x.source === 'reused', reusedFromDocumentId: x.reused_from,
  }));
}

export interface DossierListFilter {
  status?: string | undefined;
  limit: number;
  /** Keyset cursor: the last item's submittedAt and id. */
  after?: { submittedAt: Date; id: string } | undefined;
}

/** Each visibility condition with the index that serves it (migration 0007): `d.<column> = $n`, newest first. */
const BRANCH_COLUMN = {
  applicant_sub: 'd.applicant_sub',
  tax_code: "(d.applicant->>'taxCode')",
  current_agency_code: 'd.current_agency_code',
  agency_code: 'd.agency_code',
} as const;
/** The receiving unit's branch needs only what it transferred away (the rest is in its own queue): a small partial index. */
const BRANCH_EXTRA: Partial<Record<keyof typeof BRANCH_COLUMN, string>> = { agency_code: ' AND d.agency_code <> d.current_agency_code' };

/**
 * The caller's dossiers, newest first: own for an applicant (and their business's),
 * the units' queues for an officer; nothing for anybody else. The access rule is part
 * of the query: one branch per condition (see visibleDossierBranches), each an ordered
 * index scan stopped at the page size, merged; never one check per item.
 */
export async function listVisibleDossiers(q: Queryable, p: Principal, f: DossierListFilter): Promise<DossierRecord[]> {
  const branches = visibleDossierBranches(p);
  if (branches.length === 0) return [];
  const params: unknown[] = [];
  const filters: string[] = [];
  if (f.status) filters.push(`d.status = $${params.push(f.status)}`);
  if (f.after) {
    const at = params.push(f.after.submittedAt);
    const id = params.push(f.after.id);
    filters.push(`(d.submitted_at, d.id) < ($${at}, $${id}::uuid)`);
  }
  const limit = `$${params.push(f.limit)}`;
  const extra = filters.map((x) => ` AND ${x}`).join('');
  const parts = branches.map(
    (b) => `(SELECT d.id, d.submitted_at FROM dossiers d WHERE ${BRANCH_COLUMN[b.column]} = $${params.push(b.value)}${BRANCH_EXTRA[b.column] ?? ''}${extra} ORDER BY d.submitted_at DESC, d.id DESC LIMIT ${limit})`,
  );
  const page = parts.length === 1 ? parts[0]! : `SELECT id, submitted_at FROM (${parts.join(' UNION ')}) u ORDER BY submitted_at DESC, id DESC LIMIT ${limit}`;
  const r = await q.query<Row>(`SELECT ${COLUMNS} FROM (${page}) v JOIN dossiers d ON d.id = v.id ORDER BY d.submitted_at DESC, d.id DESC`, params);
  return r.rows.map(fromRow);
}

/**
 * What a submission needs to know before it validates, in one round trip: the current
 * version of the procedure, its active offerings, the dossier already submitted
 * under this Idempotency-Key (if any), and which of the given file ids are the
 * applicant's own uploads (the form's file fields are known only after validation, so
 * the caller passes every id-shaped string of the form).
 */
export async function loadSubmissionContext(
  q: Queryable,
  procedureCode: string,
  applicantSub: string,
  idempotencyKey: string | undefined,
  candidateFileIds: readonly string[] = [],
): Promise<{ version: number | null; offerings: OfferingRow[]; existingCode: string | null; ownedFileIds: Set<string> }> {
  const r = await q.query<{ version: number | null; offerings: OfferingRow[] | null; existing_code: string | null; owned_files: string[] | null }>(
    `SELECT (SELECT version FROM procedures WHERE code = $1 AND is_current) AS version,
            (SELECT json_agg(o ORDER BY o.agency_code) FROM procedure_offerings o WHERE o.procedure_code = $1 AND o.active) AS offerings,
            (SELECT code FROM dossiers WHERE applicant_sub = $2 AND idempotency_key = $3) AS existing_code,
            (SELECT array_agg(id::text) FROM files WHERE id = ANY($4::uuid[]) AND owner_sub = $2) AS owned_files`,
    [procedureCode, applicantSub, idempotencyKey ?? null, candidateFileIds],
  );
  const row = r.rows[0];
  return { version: row?.version ?? null, offerings: row?.offerings ?? [], existingCode: row?.existing_code ?? null, ownedFileIds: new Set(row?.owned_files ?? []) };
}
