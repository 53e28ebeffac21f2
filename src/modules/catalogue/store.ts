import { canonicalize } from '../../shared/canonical-json.ts';
import type { Queryable } from '../../db/database.ts';
import type { Procedure } from './types.ts';

export interface AgencyRecord {
  code: string;
  name: string;
  level: 'province' | 'commune' | 'ministry' | 'other';
  parentCode?: string | undefined;
}

/** Adds the procedure as a new catalogue version (the previous one stays for dossiers that use it). */
export async function saveProcedureVersion(tx: Queryable, p: Procedure): Promise<number> {
  const cur = await tx.query<{ version: number; data: Procedure }>('SELECT version, data FROM procedures WHERE code = $1 AND is_current FOR UPDATE', [p.code]);
  const prev = cur.rows[0];
  // Canonical JSON: the database (jsonb) does not keep the order of keys.
  if (prev && canonicalize({ ...prev.data, version: 0 }) === canonicalize({ ...p, version: 0 })) return prev.version;
  const version = (prev?.version ?? 0) + 1;
  if (prev) await tx.query('UPDATE procedures SET is_current = false WHERE code = $1 AND is_current', [p.code]);
  await tx.query(
    `INSERT INTO procedures (code, version, is_current, name, field, level, online_level, legal_processing_days, workflow_id, workflow_version, data)
     VALUES ($1, $2, true, $3, $4, $5, $6, $7, $8, $9, $10)`,
    [p.code, version, p.name, p.field, p.level, p.onlineLevel, p.legalProcessingDays, p.workflow.id, p.workflow.version, JSON.stringify({ ...p, version })],
  );
  return version;
}

export async function saveAgency(tx: Queryable, a: AgencyRecord): Promise<void> {
  await tx.query(
    `INSERT INTO agencies (code, name, level, parent_code) VALUES ($1, $2, $3, $4)
     ON CONFLICT (code) DO UPDATE SET name = EXCLUDED.name, level = EXCLUDED.level, parent_code = EXCLUDED.parent_code`,
    [a.code, a.name, a.level, a.parentCode ?? null],
  );
}

export async function findCurrentProcedure(q: Queryable, code: string): Promise<Procedure | undefined> {
  const r = await q.query<{ data: Procedure }>('SELECT data FROM procedures WHERE code = $1 AND is_current', [code]);
  return r.rows[0]?.data;
}

export async function findProcedureVersion(q: Queryable, code: string, version: number): Promise<Procedure | undefined> {
  const r = await q.query<{ data: Procedure }>('SELECT data FROM procedures WHERE code = $1 AND version = $2', [code, version]);
  return r.rows[0]?.data;
}

/** Procedure names (current versions) by code. */
export async function procedureNames(q: Queryable, codes: readonly string[]): Promise<Map<string, string>> {
  if (codes.length === 0) return new Map();
  const r = await q.query<{ code: string; name: string }>('SELECT code, name FROM procedures WHERE is_current AND code = ANY($1::text[])', [[...new Set(codes)]]);
  return new Map(r.rows.map((x) => [x.code, x.name]));
}
