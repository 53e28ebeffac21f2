/**
 * effectiveRoles on the database agrees with the rule written in TypeScript: a grant is
 * in force from its start to its end or revocation; a delegation only while its
 * delegator's standing leader grant is in force; inactive staff and units hold nothing.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import fc from 'fast-check';
import type { Database } from '../../db/database.ts';
import { freshDatabase } from '../../../test/support/db.ts';
import { inForce, UNIT_ROLES, type UnitRole } from './roles.ts';
import { effectiveRoles, insertGrant, insertUnit, markRevoked, saveStaff } from './store.ts';

const T0 = Date.parse('2026-01-01T00:00:00Z');
const H = 3_600_000;
const at = (h: number): Date => new Date(T0 + h * H);
const UNITS = ['000.00.100.H12', '000.00.101.H12', '000.00.102.H12'];

interface G {
  unit: number;
  role: UnitRole;
  from: number;
  len: number | undefined;
  revokedAt: number | undefined;
  delegated: boolean;
}

describe('effectiveRoles (property, on the database)', () => {
  let db: Database;
  let run = 0;
  before(async () => {
    db = await freshDatabase();
    await db.transaction(async (tx) => {
      await insertUnit(tx, { code: '000.00.00.H12', name: 'UBND', level: 'province', kind: 'people_committee', active: true });
      for (const [i, code] of UNITS.entries()) await insertUnit(tx, { code, name: `Xã ${i}`, level: 'commune', kind: 'commune', parentCode: '000.00.00.H12', active: i !== 2 });
    });
  });
  after(async () => db?.close());

  it('matches the model at every probed time', async () => {
    const grantArb = fc.record({
      unit: fc.integer({ min: 0, max: 2 }),
      role: fc.constantFrom<UnitRole>(...UNIT_ROLES),
      from: fc.integer({ min: 0, max: 100 }),
      len: fc.option(fc.integer({ min: 1, max: 100 }), { nil: undefined }),
      revokedAt: fc.option(fc.integer({ min: 0, max: 200 }), { nil: undefined }),
      delegated: fc.boolean(),
    });
    const leaderArb = fc.record({ unit: fc.integer({ min: 0, max: 2 }), from: fc.integer({ min: 0, max: 100 }), len: fc.option(fc.integer({ min: 1, max: 100 }), { nil: undefined }), revokedAt: fc.option(fc.integer({ min: 0, max: 200 }), { nil: undefined }) });
    await fc.assert(
      fc.asyncProperty(fc.array(grantArb, { maxLength: 6 }), fc.array(leaderArb, { maxLength: 3 }), fc.boolean(), fc.array(fc.integer({ min: -5, max: 210 }), { minLength: 1, maxLength: 6 }), async (grants, leaders, active, probes) => {
        run++;
        const sub = `p${run}`;
        const boss = `boss${run}`;
        const model: { g: G; bossOk: (t: number) => boolean }[] = [];
        await db.transaction(async (tx) => {
          await saveStaff(tx, { sub, name: 'P', active });
          await saveStaff(tx, { sub: boss, name: 'B', active: true });
          const standing = new Set<string>();
          for (const l of leaders) {
            if (standing.has(UNITS[l.unit]!)) continue; // one standing grant per unit and role
            standing.add(UNITS[l.unit]!);
            const id = randomUUID();
            await insertGrant(tx, { id, sub: boss, unitCode: UNITS[l.unit]!, role: 'leader', validFrom: at(l.from).toISOString(), ...(l.len ? { validUntil: at(l.from + l.len).toISOString() } : {}), grantedBy: 'x', grantedAt: at(0).toISOString() });
            if (l.revokedAt !== undefined) await markRevoked(tx, id, 'x', at(l.revokedAt));
          }
          const mine = new Set<string>();
          for (const g of grants) {
            const delegated = g.delegated && g.len !== undefined;
            const key = `${g.unit}/${g.role}`;
            if (!delegated && mine.has(key)) continue;
            if (!delegated) mine.add(key);
            const id = randomUUID();
            await insertGrant(tx, {
              id, sub, unitCode: UNITS[g.unit]!, role: delegated ? 'leader' : g.role, validFrom: at(g.from).toISOString(),
              ...(g.len ? { validUntil: at(g.from + g.len).toISOString() } : {}), ...(delegated ? { delegatedBy: boss } : {}), grantedBy: 'x', grantedAt: at(0).toISOString(),
            });
            if (g.revokedAt !== undefined) await markRevoked(tx, id, 'x', at(g.revokedAt));
            const bossGrants = leaders.filter((l, i) => leaders.findIndex((m) => m.unit === l.unit) === i && l.unit === g.unit);
            model.push({
              g: { ...g, role: delegated ? 'leader' : g.role, delegated },
              bossOk: (t) => bossGrants.some((l) => inForce({ validFrom: at(l.from), validUntil: l.len ? at(l.from + l.len) : undefined, revokedAt: l.revokedAt !== undefined ? at(l.revokedAt) : undefined }, at(t))),
            });
          }
        });
        for (const t of probes) {
          const got = (await effectiveRoles(db, sub, at(t))).map((r) => `${r.unitCode}/${r.role}/${r.delegatedBy ? 'd' : 's'}`).sort();
          const want = model
            .filter(({ g, bossOk }) => active && g.unit !== 2 && inForce({ validFrom: at(g.from), validUntil: g.len ? at(g.from + g.len) : undefined, revokedAt: g.revokedAt !== undefined ? at(g.revokedAt) : undefined }, at(t)) && (!g.delegated || bossOk(t)))
            .map(({ g }) => `${UNITS[g.unit]}/${g.role}/${g.delegated ? 'd' : 's'}`)
            .sort();
          assert.deepEqual(got, want, `t=${t}`);
        }
      }),
      { numRuns: 40 },
    );
  });
});
