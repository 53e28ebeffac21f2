/**
 * Application drafts kept on the server: what an applicant has typed so far for a
 * procedure, so they can stop and come back (even after their session ended). One open
 * draft per applicant and procedure; once submitted it remembers the dossier's code.
 */
import { randomUUID } from 'node:crypto';
import type { Queryable } from '../../db/database.ts';
import { systemClock, type Clock } from '../../shared/clock.ts';

export interface Draft {
  id: string;
  ownerSub: string;
  procedureCode: string;
  variantId: string | null;
  agencyCode: string | null;
  form: Record<string, unknown>;
  step: number;
  createdAt: Date;
  updatedAt: Date;
  submittedAt: Date | null;
  dossierCode: string | null;
}

interface Row {
  id: string;
  owner_sub: string;
  procedure_code: string;
  variant_id: string | null;
  agency_code: string | null;
  form: Record<string, unknown>;
  step: number;
  created_at: Date;
  updated_at: Date;
  submitted_at: Date | null;
  dossier_code: string | null;
}

const COLUMNS = 'id::text AS id, owner_sub, procedure_code, variant_id, agency_code, form, step, created_at, updated_at, submitted_at, dossier_code';

const toDraft = (r: Row): Draft => ({
  id: r.id,
  ownerSub: r.owner_sub,
  procedureCode: r.procedure_code,
  variantId: r.variant_id,
  agencyCode: r.agency_code,
  form: typeof r.form === 'string' ? (JSON.parse(r.form) as Record<string, unknown>) : r.form,
  step: r.step,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
  submittedAt: r.submitted_at,
  dossierCode: r.dossier_code,
});

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function createDraftStore(db: Queryable, clock: Clock = systemClock) {
  return {
    /** The applicant's open (not yet submitted) draft for a procedure. */
    async findOpen(ownerSub: string, procedureCode: string): Promise<Draft | undefined> {
      const r = await db.query<Row>(`SELECT ${COLUMNS} FROM portal_drafts WHERE owner_sub = $1 AND procedure_code = $2 AND submitted_at IS NULL`, [ownerSub, procedureCode]);
      return r.rows[0] ? toDraft(r.rows[0]) : undefined;
    },

    /** A draft by id, only for its owner (submitted ones too). */
    async get(ownerSub: string, id: string): Promise<Draft | undefined> {
      if (!UUID.test(id)) return undefined;
      const r = await db.query<Row>(`SELECT ${COLUMNS} FROM portal_drafts WHERE id = $1 AND owner_sub = $2`, [id, ownerSub]);
      return r.rows[0] ? toDraft(r.rows[0]) : undefined;
    },

    /** The open draft, created when there is none (two tabs starting at once get the same one). */
    async open(ownerSub: string, procedureCode: string, choice: { variantId: string | null; agencyCode: string | null }, initial: Record<string, unknown> = {}): Promise<Draft> {
      const now = clock.now();
      await db.query(
        `INSERT INTO portal_drafts (id, owner_sub, procedure_code, variant_id, agency_code, created_at, updated_at, form)
         VALUES ($1, $2, $3, $4, $5, $6, $6, $7)
         ON CONFLICT (owner_sub, procedure_code) WHERE submitted_at IS NULL
         DO UPDATE SET variant_id = EXCLUDED.variant_id, agency_code = EXCLUDED.agency_code, updated_at = EXCLUDED.updated_at`,
        [randomUUID(), ownerSub, procedureCode, choice.variantId, choice.agencyCode, now, JSON.stringify(initial)],
      );
      const d = await this.findOpen(ownerSub, procedureCode);
      if (!d) throw new Error('draft vanished after insert');
      return d;
    },

    /** Saves the answers and the step reached; false when the draft is gone or already submitted. */
    async save(ownerSub: string, id: string, form: Record<string, unknown>, step: number): Promise<boolean> {
      const r = await db.query(
        `UPDATE portal_drafts SET form = $3, step = $4, updated_at = $5 WHERE id = $1 AND owner_sub = $2 AND submitted_at IS NULL`,
        [id, ownerSub, JSON.stringify(form), step, clock.now()],
      );
      return (r.rowCount ?? 0) > 0;
    },

    /** Records the dossier the draft became. */
    async markSubmitted(ownerSub: string, id: string, dossierCode: string): Promise<void> {
      const now = clock.now();
      await db.query(
        `UPDATE portal_drafts SET submitted_at = COALESCE(submitted_at, $3), dossier_code = COALESCE(dossier_code, $4), updated_at = $3 WHERE id = $1 AND owner_sub = $2`,
        [id, ownerSub, now, dossierCode],
      );
    },

    /** Throws an open draft away ("start again"). */
    async discard(ownerSub: string, id: string): Promise<void> {
      await db.query('DELETE FROM portal_drafts WHERE id = $1 AND owner_sub = $2 AND submitted_at IS NULL', [id, ownerSub]);
    },

    /** The applicant's open drafts, most recently touched first. */
    async listOpen(ownerSub: string, limit = 20): Promise<Draft[]> {
      const r = await db.query<Row>(`SELECT ${COLUMNS} FROM portal_drafts WHERE owner_sub = $1 AND submitted_at IS NULL ORDER BY updated_at DESC LIMIT $2`, [ownerSub, limit]);
      return r.rows.map(toDraft);
    },
  };
}
export type DraftStore = ReturnType<typeof createDraftStore>;
