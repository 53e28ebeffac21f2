import type { Queryable } from '../../db/database.ts';
import type { Offering } from './offering.ts';
import type { ProcedureFee } from './types.ts';

export interface OfferingRow {
  procedure_code: string;
  agency_code: string;
  online_level: 'full' | 'partial';
  online_level_reason: string | null;
  processing_days: number | null;
  fees: ProcedureFee[] | null;
  active: boolean;
}

export const toOffering = (r: OfferingRow): Offering => ({
  procedureCode: r.procedure_code,
  agencyCode: r.agency_code,
  onlineLevel: r.online_level,
  ...(r.online_level_reason !== null ? { onlineLevelReason: r.online_level_reason } : {}),
  ...(r.processing_days !== null ? { processingDays: r.processing_days } : {}),
  ...(r.fees !== null ? { fees: r.fees } : {}),
  active: r.active,
});

/** Inserts or replaces the offering of a procedure at an agency; returns the previous one (for the audit log). */
export async function saveOffering(tx: Queryable, o: Offering, actorSub: string): Promise<Offering | undefined> {
  const prev = await tx.query<OfferingRow>('SELECT * FROM procedure_offerings WHERE procedure_code = $1 AND agency_code = $2 FOR UPDATE', [o.procedureCode, o.agencyCode]);
  await tx.query(
    `INSERT INTO procedure_offerings (procedure_code, agency_code, online_level, online_level_reason, processing_days, fees, active, updated_at, updated_by)
     VALUES ($1, $2, $3, $4, $5, $6::jsonb, $7, now(), $8)
     ON CONFLICT (procedure_code, agency_code) DO UPDATE SET
       online_level = EXCLUDED.online_level, online_level_reason = EXCLUDED.online_level_reason,
       processing_days = EXCLUDED.processing_days, fees = EXCLUDED.fees, active = EXCLUDED.active,
       updated_at = EXCLUDED.updated_at, updated_by = EXCLUDED.updated_by`,
    [o.procedureCode, o.agencyCode, o.onlineLevel, o.onlineLevelReason ?? null, o.processingDays ?? null, o.fees ? JSON.stringify(o.fees) : null, o.active, actorSub],
  );
  return prev.rows[0] ? toOffering(prev.rows[0]) : undefined;
}

/** The offerings of a procedure (active only unless asked), by agency code. */
export async function findOfferings(q: Queryable, procedureCode: string, opts: { includeInactive?: boolean } = {}): Promise<Offering[]> {
  const r = await q.query<OfferingRow>(
    `SELECT * FROM procedure_offerings WHERE procedure_code = $1 ${opts.includeInactive ? '' : 'AND active'} ORDER BY agency_code`,
    [procedureCode],
  );
  return r.rows.map(toOffering);
}

/** Every offering, optionally of one agency (the admin's list). */
export async function listOfferings(q: Queryable, opts: { agencyCode?: string | undefined; limit: number; offset: number }): Promise<{ total: number; items: Offering[] }> {
  const params: unknown[] = [];
  let where = 'TRUE';
  if (opts.agencyCode !== undefined) {
    params.push(opts.agencyCode);
    where = `agency_code = $${params.length}`;
  }
  const total = await q.query<{ n: number }>(`SELECT count(*)::int AS n FROM procedure_offerings WHERE ${where}`, params);
  const r = await q.query<OfferingRow>(
    `SELECT * FROM procedure_offerings WHERE ${where} ORDER BY procedure_code, agency_code LIMIT $${params.length + 1} OFFSET $${params.length + 2}`,
    [...params, opts.limit, opts.offset],
  );
  return { total: total.rows[0]?.n ?? 0, items: r.rows.map(toOffering) };
}
