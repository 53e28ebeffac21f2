/**
 * MOTCUA_DEMO=1: the sandbox's officer accounts are staff of the demo units with the
 * roles their login page shows, so that the organisation — which alone gives staff
 * roles — agrees with the demo. Written once (a staff record already there is left as
 * it is, and a demo grant revoked since is not given again), audited as `system:demo`.
 */
import { systemClock, type Clock } from '../../shared/clock.ts';
import { randomUUID } from 'node:crypto';
import type { Database } from '../../db/database.ts';
import { appendAudit } from '../audit/index.ts';
import { DEMO_ACCOUNTS, type DemoAccount } from '../identity/index.ts';
import { isUnitRole, TOKEN_ADMIN_ROLE } from '../../shared/roles.ts';

const DEMO_ACTOR = 'system:demo';
/** Demo grants hold from a fixed past instant: tests that move the clock back still see them. */
const DEMO_VALID_FROM = new Date('2020-01-01T00:00:00Z');

/** The unit roles of a demo account: its token roles that are unit roles; `admin` is the province administrator. */
export function demoStaffRoles(a: DemoAccount): string[] {
  return a.roles.flatMap((r) => (r === TOKEN_ADMIN_ROLE ? ['province_admin'] : isUnitRole(r) ? [r] : []));
}

export async function seedDemoStaff(db: Database, accounts: readonly DemoAccount[] = DEMO_ACCOUNTS, clock: Clock = systemClock): Promise<{ staffCreated: number; grantsCreated: number }> {
  const staff = accounts.filter((a) => demoStaffRoles(a).length > 0 && a.agencyCode !== undefined);
  if (staff.length === 0) return { staffCreated: 0, grantsCreated: 0 };
  const have = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM staff WHERE sub = ANY($1::text[])', [staff.map((a) => a.sub)]);
  if ((have.rows[0]?.n ?? 0) === staff.length) return { staffCreated: 0, grantsCreated: 0 };
  return db.transaction(async (tx) => {
    const now = clock.now();
    let staffCreated = 0;
    let grantsCreated = 0;
    for (const a of staff) {
      const unit = await tx.query('SELECT 1 FROM agencies WHERE code = $1', [a.agencyCode]);
      if (unit.rows.length === 0) continue;
      const ins = await tx.query('INSERT INTO staff (sub, name, active) VALUES ($1, $2, true) ON CONFLICT (sub) DO NOTHING', [a.sub, a.name]);
      if (ins.rowCount !== 1) continue;
      staffCreated++;
      await appendAudit(tx, { actorSub: DEMO_ACTOR, actorRoles: [], action: 'organisation.staff.create', entityType: 'staff', entityId: a.sub, before: null, after: { sub: a.sub, name: a.name, active: true }, at: now });
      for (const role of demoStaffRoles(a)) {
        const id = randomUUID();
        await tx.query(
          `INSERT INTO role_grants (id, sub, unit_code, role, valid_from, granted_by, granted_at) VALUES ($1, $2, $3, $4, $5, $6, $7)`,
          [id, a.sub, a.agencyCode, role, DEMO_VALID_FROM, DEMO_ACTOR, now],
        );
        await appendAudit(tx, {
          actorSub: DEMO_ACTOR, actorRoles: [], action: 'organisation.role.grant', entityType: 'role_grant', entityId: id, before: null,
          after: { id, sub: a.sub, unitCode: a.agencyCode, role, validFrom: DEMO_VALID_FROM.toISOString() }, at: now,
        });
        grantsCreated++;
      }
    }
    return { staffCreated, grantsCreated };
  });
}
