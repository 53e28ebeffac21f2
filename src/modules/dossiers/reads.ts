/**
 * Reads of dossiers that other modules and the pages need, offered by the module that
 * owns the tables (dossiers, dossier_events): ratings ask whose dossier it is, the
 * register lists an agency's dossiers, the portal shows an applicant's notifications
 * and answers the public lookup. Who may see what is the authorization module's rule.
 */
import type { Queryable } from '../../db/database.ts';
import type { Principal } from '../identity/index.ts';
import { knowsPublicLookupSecret } from '../authorization/index.ts';
import { isDossierCode } from './dossier-code.ts';
import { findDossierByCode } from './store.ts';
import { isOwnDossier } from './access.ts';
import type { WorkflowRef } from '../workflow/index.ts';

/** What another module may know of a dossier its caller applied for. */
export interface ApplicantDossier {
  id: string;
  code: string;
  procedureCode: string;
  agencyCode: string;
  status: string;
  workflow: WorkflowRef;
}

/**
 * The dossier with this code when the caller is its applicant (or another login of the
 * same business): the dossiers access rule. Undefined otherwise, so a caller cannot tell
 * someone else's dossier from one that does not exist.
 */
export async function findOwnDossier(q: Queryable, p: Principal, code: string): Promise<ApplicantDossier | undefined> {
  if (!isDossierCode(code)) return undefined;
  const d = await findDossierByCode(q, code);
  if (d === undefined || !isOwnDossier(p, { applicantSub: d.applicantSub, applicantTaxCode: taxCodeOf(d.applicant), agencyCode: d.agencyCode, currentAgencyCode: d.currentAgencyCode })) return undefined;
  return { id: d.id, code: d.code, procedureCode: d.procedureCode, agencyCode: d.agencyCode, status: d.status, workflow: { id: d.workflowId, version: d.workflowVersion } };
}

const taxCodeOf = (applicant: Record<string, unknown>): string | null => (typeof applicant.taxCode === 'string' ? applicant.taxCode : null);

/** One line of an agency's dossier-tracking register. */
export interface RegisterRow {
  code: string;
  applicantName: string;
  procedureCode: string;
  receivedAt: Date | null;
  dueAt: Date | null;
  status: string;
  workflow: WorkflowRef;
  /** When the result was handed back (the first event into one of `returnedStates`). */
  returnedAt: Date | null;
}

/**
 * The dossiers an agency received (or was sent) between two instants, in order; at most
 * `limit`. `returnedStates`: the states in which a result counts as handed back (the
 * workflow's `result_returned` tag).
 */
export async function registerRows(q: Queryable, agencyCode: string, from: Date, to: Date, returnedStates: readonly string[], limit = 5000): Promise<RegisterRow[]> {
  const r = await q.query<{ code: string; name: string | null; procedure_code: string; received_at: Date | null; due_at: Date | null; status: string; workflow_id: string; workflow_version: number; returned_at: Date | null }>(
    `SELECT d.code, d.applicant->>'name' AS name, d.procedure_code, d.received_at, d.due_at, d.status, d.workflow_id, d.workflow_version,
            (SELECT max(e.at) FROM dossier_events e WHERE e.dossier_id = d.id AND e.status_to = ANY($4::text[])) AS returned_at
       FROM dossiers d
      WHERE d.agency_code = $1 AND coalesce(d.received_at, d.submitted_at) >= $2 AND coalesce(d.received_at, d.submitted_at) < $3
      ORDER BY coalesce(d.received_at, d.submitted_at), d.code LIMIT $5`,
    [agencyCode, from, to, [...returnedStates], limit],
  );
  return r.rows.map((x) => ({
    code: x.code,
    applicantName: x.name ?? '',
    procedureCode: x.procedure_code,
    receivedAt: x.received_at,
    dueAt: x.due_at,
    status: x.status,
    workflow: { id: x.workflow_id, version: x.workflow_version },
    returnedAt: x.returned_at,
  }));
}

export interface Notification {
  dossierCode: string;
  procedureCode: string;
  workflow: WorkflowRef;
  type: string;
  action: string | null;
  statusFrom: string | null;
  statusTo: string;
  at: Date;
  byApplicant: boolean;
}

/** What changed on the applicant's dossiers, newest first (from the dossier history). */
export async function notificationsFor(q: Queryable, applicantSub: string, limit = 50): Promise<Notification[]> {
  const r = await q.query<{ code: string; procedure_code: string; workflow_id: string; workflow_version: number; type: string; action: string | null; status_from: string | null; status_to: string; at: Date; actor_sub: string }>(
    `SELECT d.code, d.procedure_code, d.workflow_id, d.workflow_version, e.type, e.action, e.status_from, e.status_to, e.at, e.actor_sub
     FROM dossier_events e JOIN dossiers d ON d.id = e.dossier_id
     WHERE d.applicant_sub = $1 ORDER BY e.at DESC, e.seq DESC LIMIT $2`,
    [applicantSub, limit],
  );
  return r.rows.map((x) => ({
    dossierCode: x.code,
    procedureCode: x.procedure_code,
    workflow: { id: x.workflow_id, version: x.workflow_version },
    type: x.type,
    action: x.action,
    statusFrom: x.status_from,
    statusTo: x.status_to,
    at: x.at,
    byApplicant: x.actor_sub === applicantSub,
  }));
}

export interface PublicStatus {
  code: string;
  status: string;
  workflow: WorkflowRef;
  procedureCode: string;
  agencyCode: string;
  submittedAt: Date;
  dueAt: Date | null;
  events: { type: string; action: string | null; statusFrom: string | null; statusTo: string; at: Date }[];
}

/**
 * The public view of a dossier for its code and the last 4 digits of the applicant's
 * personal identification number (or tax code): undefined for any wrong pair, whether
 * the code exists or not, so the answer reveals nothing. No names, no form contents.
 */
export async function publicLookup(q: Queryable, code: string, last4: string): Promise<PublicStatus | undefined> {
  if (!isDossierCode(code)) return undefined;
  const r = await q.query<{ id: string; code: string; status: string; workflow_id: string; workflow_version: number; procedure_code: string; agency_code: string; submitted_at: Date; due_at: Date | null; pid: string | null; tax: string | null }>(
    `SELECT id::text AS id, code, status, workflow_id, workflow_version, procedure_code, agency_code, submitted_at, due_at,
            applicant->>'personalId' AS pid, applicant->>'taxCode' AS tax
     FROM dossiers WHERE code = $1`,
    [code],
  );
  const d = r.rows[0];
  // Compared whether or not the dossier exists, so the time taken does not tell either.
  const ok = knowsPublicLookupSecret(d?.pid ?? d?.tax ?? null, last4);
  if (!d || !ok) return undefined;
  const ev = await q.query<{ type: string; action: string | null; status_from: string | null; status_to: string; at: Date }>(
    'SELECT type, action, status_from, status_to, at FROM dossier_events WHERE dossier_id = $1 ORDER BY seq',
    [d.id],
  );
  return {
    code: d.code,
    status: d.status,
    workflow: { id: d.workflow_id, version: d.workflow_version },
    procedureCode: d.procedure_code,
    agencyCode: d.agency_code,
    submittedAt: d.submitted_at,
    dueAt: d.due_at,
    events: ev.rows.map((x) => ({ type: x.type, action: x.action, statusFrom: x.status_from, statusTo: x.status_to, at: x.at })),
  };
}

/** A document a dossier was issued (a slip, a result): for the public verification of what Motcua signed. */
export interface IssuedFile {
  dossierCode: string;
  role: string;
  fileId: string;
  fileName: string | null;
  sha256: string;
  storageKey: string;
  mediaType: string;
  createdAt: Date;
}

const ISSUED_COLUMNS = `d.code, df.role, f.id::text AS id, f.file_name, f.sha256, f.storage_key, f.media_type, f.created_at`;
type IssuedRow = { code: string; role: string; id: string; file_name: string | null; sha256: string; storage_key: string; media_type: string; created_at: Date };
const toIssued = (x: IssuedRow): IssuedFile => ({
  dossierCode: x.code, role: x.role, fileId: x.id, fileName: x.file_name, sha256: x.sha256, storageKey: x.storage_key, mediaType: x.media_type, createdAt: x.created_at,
});

/** The files with the roles `roles` issued for a dossier, oldest first; undefined when there is no such dossier. */
export async function issuedFilesOf(q: Queryable, code: string, roles: readonly string[]): Promise<IssuedFile[] | undefined> {
  if (!isDossierCode(code)) return undefined;
  const d = await q.query<{ id: string }>('SELECT id::text AS id FROM dossiers WHERE code = $1', [code]);
  const id = d.rows[0]?.id;
  if (id === undefined) return undefined;
  const r = await q.query<IssuedRow>(
    `SELECT ${ISSUED_COLUMNS} FROM dossier_files df JOIN files f ON f.id = df.file_id JOIN dossiers d ON d.id = df.dossier_id
      WHERE df.dossier_id = $1 AND df.role = ANY($2::text[]) ORDER BY f.created_at, df.role`,
    [id, roles],
  );
  return r.rows.map(toIssued);
}

/** Where a content (by SHA-256) was issued, with one of `roles`, oldest first. */
export async function issuedFilesWithContent(q: Queryable, sha256: string, roles: readonly string[]): Promise<IssuedFile[]> {
  const r = await q.query<IssuedRow>(
    `SELECT ${ISSUED_COLUMNS} FROM files f JOIN dossier_files df ON df.file_id = f.id JOIN dossiers d ON d.id = df.dossier_id
      WHERE f.sha256 = $1 AND df.role = ANY($2::text[]) ORDER BY f.created_at`,
    [sha256, roles],
  );
  return r.rows.map(toIssued);
}

/** How many dossiers each procedure received since `since` (how much a procedure is used). */
export async function submissionsPerProcedure(q: Queryable, since: Date): Promise<Map<string, number>> {
  const r = await q.query<{ procedure_code: string; n: number }>('SELECT procedure_code, count(*)::int AS n FROM dossiers WHERE submitted_at > $1 GROUP BY procedure_code', [since]);
  return new Map(r.rows.map((x) => [x.procedure_code, Number(x.n)]));
}

/** The codes of dossiers, by id. */
export async function dossierCodesOf(q: Queryable, ids: readonly string[]): Promise<Map<string, string>> {
  if (ids.length === 0) return new Map();
  const r = await q.query<{ id: string; code: string }>('SELECT id::text AS id, code FROM dossiers WHERE id = ANY($1::uuid[])', [[...new Set(ids)]]);
  return new Map(r.rows.map((x) => [x.id, x.code]));
}

/** A content an applicant submitted under a field of a dossier's form (or sent as a supplement). */
export interface SubmittedContent {
  sha256: string;
  pointer: string;
  dossierId: string;
  procedureCode: string;
  procedureVersion: number;
  variantId: string | null;
  /** The applicant's personal id and tax code, as the dossier holds them. */
  applicantIds: string[];
}

/** Where the given contents were submitted by the applicants themselves, oldest dossier first (purged files left out). */
export async function submittedContents(q: Queryable, sha256s: readonly string[]): Promise<SubmittedContent[]> {
  if (sha256s.length === 0) return [];
  const r = await q.query<{ sha256: string; pointer: string; dossier_id: string; procedure_code: string; procedure_version: number; variant_id: string | null; personal_id: string | null; tax_code: string | null }>(
    `SELECT f.sha256, df.pointer, d.id::text AS dossier_id, d.procedure_code, d.procedure_version, d.variant_id,
            d.applicant->>'personalId' AS personal_id, d.applicant->>'taxCode' AS tax_code
     FROM files f
     JOIN dossier_files df ON df.file_id = f.id AND df.role IN ('form', 'supplement')
     JOIN dossiers d ON d.id = df.dossier_id AND d.applicant_sub = f.owner_sub
     WHERE f.sha256 = ANY($1::text[]) AND f.purged_at IS NULL
     ORDER BY d.submitted_at`,
    [[...new Set(sha256s)]],
  );
  return r.rows.map((x) => ({
    sha256: x.sha256, pointer: x.pointer, dossierId: x.dossier_id, procedureCode: x.procedure_code, procedureVersion: Number(x.procedure_version), variantId: x.variant_id,
    applicantIds: [x.personal_id, x.tax_code].filter((v): v is string => typeof v === 'string'),
  }));
}
