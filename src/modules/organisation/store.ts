/**
 * SQL for units (the `agencies` table), staff and role grants. Plain SQL, the same on
 * PGlite and PostgreSQL; access rules are applied in the queries (effectiveRoles).
 */
import type { Queryable } from '../../db/database.ts';
import type { UnitRole } from './roles.ts';
import type { Unit, UnitKind } from './units.ts';

interface UnitRow {
  code: string;
  name: string;
  name_en: string | null;
  level: Unit['level'];
  kind: UnitKind | null;
  parent_code: string | null;
  admin_unit_code: string | null;
  active: boolean;
  merged_into: string | null;
  merged_at: Date | string | null;
}

const iso = (d: Date | string): string => new Date(d).toISOString();

const toUnit = (r: UnitRow): Unit => ({
  code: r.code,
  name: r.name,
  ...(r.name_en !== null ? { nameEn: r.name_en } : {}),
  level: r.level,
  ...(r.kind !== null ? { kind: r.kind } : {}),
  ...(r.parent_code !== null ? { parentCode: r.parent_code } : {}),
  ...(r.admin_unit_code !== null ? { adminUnitCode: r.admin_unit_code } : {}),
  active: r.active,
  ...(r.merged_into !== null ? { mergedInto: r.merged_into } : {}),
  ...(r.merged_at !== null ? { mergedAt: iso(r.merged_at) } : {}),
});

const UNIT_COLUMNS = 'code, name, name_en, level, kind, parent_code, admin_unit_code, active, merged_into, merged_at';

export async function findUnit(q: Queryable, code: string, opts: { forUpdate?: boolean } = {}): Promise<Unit | undefined> {
  const r = await q.query<UnitRow>(`SELECT ${UNIT_COLUMNS} FROM agencies WHERE code = $1${opts.forUpdate ? ' FOR UPDATE' : ''}`, [code]);
  return r.rows[0] ? toUnit(r.rows[0]) : undefined;
}

export async function allUnits(q: Queryable): Promise<Unit[]> {
  return (await q.query<UnitRow>(`SELECT ${UNIT_COLUMNS} FROM agencies ORDER BY code`)).rows.map(toUnit);
}

export async function insertUnit(tx: Queryable, u: Unit): Promise<void> {
  await tx.query(
    `INSERT INTO agencies (code, name, name_en, level, kind, parent_code, admin_unit_code, active) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
    [u.code, u.name, u.nameEn ?? null, u.level, u.kind ?? null, u.parentCode ?? null, u.adminUnitCode ?? null, u.active],
  );
}

/** Writes name, kind, national code and parent of an existing unit (its code, activity and merge stay). */
export async function updateUnit(tx: Queryable, u: Unit): Promise<void> {
  await tx.query(
    `UPDATE agencies SET name = $2, name_en = $3, kind = $4, parent_code = $5, admin_unit_code = $6, updated_at = now() WHERE code = $1`,
    [u.code, u.name, u.nameEn ?? null, u.kind ?? null, u.parentCode ?? null, u.adminUnitCode ?? null],
  );
}

export async function markMerged(tx: Queryable, code: string, into: string, at: Date): Promise<void> {
  await tx.query(`UPDATE agencies SET active = false, merged_into = $2, merged_at = $3, updated_at = now() WHERE code = $1`, [code, into, at]);
}

export async function listUnits(
  q: Queryable,
  opts: { q?: string | undefined; kind?: string | undefined; parentCode?: string | undefined; includeInactive?: boolean | undefined; limit: number; offset: number },
): Promise<{ total: number; items: Unit[] }> {
  const params: unknown[] = [];
  const where: string[] = [];
  if (!opts.includeInactive) where.push('active');
  if (opts.kind !== undefined) where.push(`kind = $${params.push(opts.kind)}`);
  if (opts.parentCode !== undefined) where.push(`parent_code = $${params.push(opts.parentCode)}`);
  if (opts.q !== undefined) where.push(`(lower(name) LIKE $${params.push(`%${opts.q.toLocaleLowerCase('vi')}%`)} OR code = $${params.push(opts.q)} OR admin_unit_code = $${params.length})`);
  const w = where.length > 0 ? `WHERE ${where.join(' AND ')}` : '';
  const total = await q.query<{ n: number }>(`SELECT count(*)::int AS n FROM agencies ${w}`, params);
  const r = await q.query<UnitRow>(`SELECT ${UNIT_COLUMNS} FROM agencies ${w} ORDER BY code LIMIT $${params.length + 1} OFFSET $${params.length + 2}`, [...params, opts.limit, opts.offset]);
  return { total: total.rows[0]?.n ?? 0, items: r.rows.map(toUnit) };
}

export interface Staff {
  sub: string;
  name: string;
  email?: string | undefined;
  active: boolean;
}

interface StaffRow {
  sub: string;
  name: string;
  email: string | null;
  active: boolean;
}
const toStaff = (r: StaffRow): Staff => ({ sub: r.sub, name: r.name, ...(r.email !== null ? { email: r.email } : {}), active: r.active });

export async function findStaff(q: Queryable, sub: string, opts: { forUpdate?: boolean } = {}): Promise<Staff | undefined> {
  const r = await q.query<StaffRow>(`SELECT sub, name, email, active FROM staff WHERE sub = $1${opts.forUpdate ? ' FOR UPDATE' : ''}`, [sub]);
  return r.rows[0] ? toStaff(r.rows[0]) : undefined;
}

export async function saveStaff(tx: Queryable, s: Staff): Promise<void> {
  await tx.query(
    `INSERT INTO staff (sub, name, email, active) VALUES ($1, $2, $3, $4)
     ON CONFLICT (sub) DO UPDATE SET name = EXCLUDED.name, email = EXCLUDED.email, active = EXCLUDED.active, updated_at = now()`,
    [s.sub, s.name, s.email ?? null, s.active],
  );
}

export async function listStaff(q: Queryable, opts: { unitCode?: string | undefined; limit: number; offset: number }): Promise<{ total: number; items: Staff[] }> {
  const params: unknown[] = [];
  let w = '';
  if (opts.unitCode !== undefined) w = `WHERE sub IN (SELECT sub FROM role_grants WHERE unit_code = $${params.push(opts.unitCode)} AND revoked_at IS NULL)`;
  const total = await q.query<{ n: number }>(`SELECT count(*)::int AS n FROM staff ${w}`, params);
  const r = await q.query<StaffRow>(`SELECT sub, name, email, active FROM staff ${w} ORDER BY name, sub LIMIT $${params.length + 1} OFFSET $${params.length + 2}`, [...params, opts.limit, opts.offset]);
  return { total: total.rows[0]?.n ?? 0, items: r.rows.map(toStaff) };
}

export interface RoleGrant {
  id: string;
  sub: string;
  unitCode: string;
  role: UnitRole;
  validFrom: string;
  validUntil?: string | undefined;
  delegatedBy?: string | undefined;
  grantedBy: string;
  grantedAt: string;
  revokedAt?: string | undefined;
  revokedBy?: string | undefined;
}

interface GrantRow {
  id: string;
  sub: string;
  unit_code: string;
  role: UnitRole;
  valid_from: Date | string;
  valid_until: Date | string | null;
  delegated_by: string | null;
  granted_by: string;
  granted_at: Date | string;
  revoked_at: Date | string | null;
  revoked_by: string | null;
}

const toGrant = (r: GrantRow): RoleGrant => ({
  id: r.id,
  sub: r.sub,
  unitCode: r.unit_code,
  role: r.role,
  validFrom: iso(r.valid_from),
  ...(r.valid_until !== null ? { validUntil: iso(r.valid_until) } : {}),
  ...(r.delegated_by !== null ? { delegatedBy: r.delegated_by } : {}),
  grantedBy: r.granted_by,
  grantedAt: iso(r.granted_at),
  ...(r.revoked_at !== null ? { revokedAt: iso(r.revoked_at) } : {}),
  ...(r.revoked_by !== null ? { revokedBy: r.revoked_by } : {}),
});

const GRANT_COLUMNS = 'id::text AS id, sub, unit_code, role, valid_from, valid_until, delegated_by, granted_by, granted_at, revoked_at, revoked_by';

export async function insertGrant(tx: Queryable, g: RoleGrant): Promise<void> {
  await tx.query(
    `INSERT INTO role_grants (id, sub, unit_code, role, valid_from, valid_until, delegated_by, granted_by, granted_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
    [g.id, g.sub, g.unitCode, g.role, g.validFrom, g.validUntil ?? null, g.delegatedBy ?? null, g.grantedBy, g.grantedAt],
  );
}

/** The standing (not delegated, not revoked) grant of a role in a unit, if any. */
export async function findStandingGrant(q: Queryable, sub: string, unitCode: string, role: string): Promise<RoleGrant | undefined> {
  const r = await q.query<GrantRow>(`SELECT ${GRANT_COLUMNS} FROM role_grants WHERE sub = $1 AND unit_code = $2 AND role = $3 AND revoked_at IS NULL AND delegated_by IS NULL`, [sub, unitCode, role]);
  return r.rows[0] ? toGrant(r.rows[0]) : undefined;
}

export async function findGrant(q: Queryable, id: string, opts: { forUpdate?: boolean } = {}): Promise<RoleGrant | undefined> {
  const r = await q.query<GrantRow>(`SELECT ${GRANT_COLUMNS} FROM role_grants WHERE id = $1${opts.forUpdate ? ' FOR UPDATE' : ''}`, [id]);
  return r.rows[0] ? toGrant(r.rows[0]) : undefined;
}

export async function markRevoked(tx: Queryable, id: string, by: string, at: Date): Promise<void> {
  await tx.query('UPDATE role_grants SET revoked_at = $2, revoked_by = $3 WHERE id = $1 AND revoked_at IS NULL', [id, at, by]);
}

/** Every grant of a person, newest first (revoked and expired included). */
export async function grantsOf(q: Queryable, sub: string): Promise<RoleGrant[]> {
  return (await q.query<GrantRow>(`SELECT ${GRANT_COLUMNS} FROM role_grants WHERE sub = $1 ORDER BY granted_at DESC, id`, [sub])).rows.map(toGrant);
}

/** Does the person hold any role in the unit at `at` (by grant or delegation)? */
export async function isStaffOfUnit(q: Queryable, sub: string, unitCode: string, at: Date): Promise<boolean> {
  return (await effectiveRoles(q, sub, at)).some((r) => r.unitCode === unitCode);
}

export interface EffectiveRole {
  unitCode: string;
  role: UnitRole;
  grantId: string;
  validUntil?: string | undefined;
  /** Set when held by delegation (acting): who delegated it. */
  delegatedBy?: string | undefined;
}

/**
 * The grants of subject $1 in force at $2, as rows `g`: started, not ended, not revoked by
 * then, in an active unit, the person active staff; a delegation only while the
 * delegating leader still holds a standing leader grant there. One rule for every reader.
 */
const grantsInForce = (which: string): string => `FROM role_grants g
       JOIN staff s ON s.sub = g.sub AND s.active
       JOIN agencies a ON a.code = g.unit_code AND a.active
      WHERE ${which}
        AND g.valid_from <= $2 AND (g.valid_until IS NULL OR g.valid_until > $2)
        AND (g.revoked_at IS NULL OR g.revoked_at > $2)
        AND (g.delegated_by IS NULL OR EXISTS (
              SELECT 1 FROM role_grants d JOIN staff ds ON ds.sub = d.sub AND ds.active
               WHERE d.sub = g.delegated_by AND d.unit_code = g.unit_code AND d.role = 'leader' AND d.delegated_by IS NULL
                 AND d.valid_from <= $2 AND (d.valid_until IS NULL OR d.valid_until > $2)
                 AND (d.revoked_at IS NULL OR d.revoked_at > $2)))`;
const GRANTS_IN_FORCE = grantsInForce('g.sub = $1');

/**
 * The people who hold `role` in a unit at `at` (by grant or delegation, the same rule as
 * `effectiveRoles`): active staff of an active unit, by name.
 */
export async function holdersOfRole(q: Queryable, unitCode: string, role: UnitRole, at: Date): Promise<{ sub: string; name: string }[]> {
  const r = await q.query<{ sub: string; name: string }>(
    `SELECT DISTINCT s.sub, s.name ${grantsInForce('g.unit_code = $1 AND g.role = $3')} ORDER BY s.name, s.sub`,
    [unitCode, at, role],
  );
  return r.rows;
}

/**
 * The unit roles a person holds at `at`: their grants in force (started, not ended, not
 * revoked by then) in active units while they are active staff, and the delegations
 * they received while the delegating leader still holds a standing leader grant.
 */
export async function effectiveRoles(q: Queryable, sub: string, at: Date): Promise<EffectiveRole[]> {
  const r = await q.query<{ grant_id: string; unit_code: string; role: UnitRole; valid_until: Date | string | null; delegated_by: string | null }>(
    `SELECT g.id::text AS grant_id, g.unit_code, g.role, g.valid_until, g.delegated_by
       ${GRANTS_IN_FORCE}
      ORDER BY g.unit_code, g.role, g.delegated_by NULLS FIRST, g.id`,
    [sub, at],
  );
  return r.rows.map((x) => ({
    unitCode: x.unit_code,
    role: x.role,
    grantId: x.grant_id,
    ...(x.valid_until !== null ? { validUntil: iso(x.valid_until) } : {}),
    ...(x.delegated_by !== null ? { delegatedBy: x.delegated_by } : {}),
  }));
}

/**
 * What authorization needs about a subject, in one query: whether they are staff (and
 * active), and the roles they hold at `at` — the same rule as `effectiveRoles`.
 */
export async function organisationStanding(
  q: Queryable,
  sub: string,
  at: Date,
  opts: { nextChange?: boolean } = {},
): Promise<{ staffActive: boolean | null; roles: { unitCode: string; role: UnitRole; delegatedBy?: string }[]; nextChange?: Date | null }> {
  // When asked: the next instant after `at` at which the answer can change by itself (a grant
  // of the person starting, ending or revoked ahead of time, or the grant of a leader who
  // delegated to them ending) — how long a copy of the answer stays true without any write.
  const next = opts.nextChange
    ? `, (SELECT min(t) FROM (
          SELECT unnest(ARRAY[g.valid_from, g.valid_until, g.revoked_at]) AS t FROM role_grants g WHERE g.sub = $1
          UNION ALL
          SELECT unnest(ARRAY[d.valid_from, d.valid_until, d.revoked_at]) FROM role_grants g
            JOIN role_grants d ON d.sub = g.delegated_by AND d.unit_code = g.unit_code AND d.role = 'leader' AND d.delegated_by IS NULL
           WHERE g.sub = $1) x WHERE t > $2) AS next_change`
    : '';
  const r = await q.query<{ staff_active: boolean | null; roles: { unitCode: string; role: UnitRole; delegatedBy: string | null }[] | null; next_change?: Date | string | null }>(
    `SELECT (SELECT s.active FROM staff s WHERE s.sub = $1) AS staff_active,
            (SELECT json_agg(json_build_object('unitCode', g.unit_code, 'role', g.role, 'delegatedBy', g.delegated_by) ORDER BY g.unit_code, g.role, g.delegated_by NULLS FIRST)
               ${GRANTS_IN_FORCE}) AS roles${next}`,
    [sub, at],
  );
  const row = r.rows[0];
  return {
    staffActive: row?.staff_active ?? null,
    roles: (row?.roles ?? []).map((x) => ({ unitCode: x.unitCode, role: x.role, ...(x.delegatedBy !== null ? { delegatedBy: x.delegatedBy } : {}) })),
    ...(opts.nextChange ? { nextChange: row?.next_change != null ? new Date(row.next_change) : null } : {}),
  };
}

/** Agency (unit) names by code; codes not found are left out. */
export async function agencyNames(q: Queryable, codes: readonly string[]): Promise<Map<string, string>> {
  if (codes.length === 0) return new Map();
  const r = await q.query<{ code: string; name: string }>('SELECT code, name FROM agencies WHERE code = ANY($1::text[])', [[...new Set(codes)]]);
  return new Map(r.rows.map((x) => [x.code, x.name]));
}

/** An agency's name and its parent's (the heading of its documents); the code itself when it is not known. */
export async function agencyHeading(q: Queryable, code: string): Promise<{ name: string; parentName: string | null }> {
  const r = await q.query<{ name: string; parent_name: string | null }>(
    'SELECT a.name, p.name AS parent_name FROM agencies a LEFT JOIN agencies p ON p.code = a.parent_code WHERE a.code = $1',
    [code],
  );
  return { name: r.rows[0]?.name ?? code, parentName: r.rows[0]?.parent_name ?? null };
}
