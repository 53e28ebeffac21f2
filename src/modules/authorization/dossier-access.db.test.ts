/**
 * The access rule inside the list query agrees with the rule as a predicate: for random
 * dossiers (applicants, businesses, units, transfers, statuses) and random callers
 * (citizens, businesses, officers of one or two units, administrators, auditors), the
 * list of a caller — read page by page with the cursor — is exactly the dossiers
 * `canSeeDossier` lets them see, newest first, whatever the status filter.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import fc from 'fast-check';
import type { Database } from '../../db/database.ts';
import { freshDatabase } from '../../../test/support/db.ts';
import { listVisibleDossiers, type DossierRecord } from '../dossiers/store.ts';
import type { Principal } from '../identity/principal.ts';
import { callerFrom } from './caller.ts';
import { canSeeDossier } from './dossier-access.ts';

const UNITS = ['000.00.100.H12', '000.00.101.H12', '000.00.102.H12'];
const SUBS = ['c1', 'c2', 'c3', 'b1', 'b2'];
const TAX = ['4800000001', '4800000002'];
const STATUSES = ['submitted', 'received', 'returned'];

interface D {
  applicant: number;
  tax: number | null;
  agency: number;
  current: number;
  status: number;
  minutes: number;
}

const dossierArb = fc.record({
  applicant: fc.nat(SUBS.length - 1),
  tax: fc.option(fc.nat(TAX.length - 1), { nil: null }),
  agency: fc.nat(UNITS.length - 1),
  current: fc.nat(UNITS.length - 1),
  status: fc.nat(STATUSES.length - 1),
  minutes: fc.nat(30),
});

const callerArb: fc.Arbitrary<Principal> = fc.oneof(
  fc.record({ sub: fc.constantFrom(...SUBS), role: fc.constantFrom('citizen', 'business'), tax: fc.option(fc.nat(TAX.length - 1), { nil: null }) }).map(({ sub, role, tax }) => {
    const c = callerFrom({ sub, roles: [role], ...(tax !== null ? { taxCode: TAX[tax]! } : {}) }, { staffActive: null, roles: [] });
    return c as Principal;
  }),
  fc.record({ units: fc.subarray([0, 1, 2], { minLength: 1, maxLength: 2 }), role: fc.constantFrom('reception', 'specialist', 'leader', 'unit_admin', 'province_admin', 'auditor') }).map(({ units, role }) => {
    const c = callerFrom({ sub: 'officer', roles: ['leader'], agencyCode: UNITS[0]! }, { staffActive: true, roles: units.map((u) => ({ unitCode: UNITS[u]!, role })) });
    return c as Principal;
  }),
);

describe('dossier lists apply the access rule in SQL exactly as the predicate does (property, on the database)', () => {
  let db: Database;
  let run = 0;
  before(async () => {
    db = await freshDatabase();
    await db.query(`INSERT INTO agencies (code, name, level) VALUES ${UNITS.map((_, i) => `($${i + 1}, 'Xã ${i}', 'commune')`).join(', ')}`, UNITS);
    await db.query(
      `INSERT INTO procedures (code, version, is_current, name, field, level, online_level, legal_processing_days, workflow_id, workflow_version, data)
       VALUES ('9.999999', 1, true, 'P', 'F', 'commune', 'full', 5, 'one-stop', 1, '{}')`,
    );
  });
  after(async () => db?.close());

  it('for random dossiers and callers, every page and status filter', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(dossierArb, { maxLength: 25 }), fc.array(callerArb, { minLength: 1, maxLength: 4 }), fc.constantFrom(undefined, ...STATUSES), fc.integer({ min: 1, max: 7 }), async (ds, callers, status, pageSize) => {
        run++;
        await db.query('DELETE FROM dossiers');
        const records = ds.map((d: D, i) => ({
          id: `00000000-0000-4000-8000-${String(run).padStart(6, '0')}${String(i).padStart(6, '0')}`,
          code: `R${run}-${i}`,
          applicantSub: SUBS[d.applicant]!,
          applicant: d.tax !== null ? { type: 'business', taxCode: TAX[d.tax]! } : { type: 'citizen' },
          agencyCode: UNITS[d.agency]!,
          currentAgencyCode: UNITS[d.current]!,
          status: STATUSES[d.status]!,
          submittedAt: new Date(Date.UTC(2026, 0, 1, 0, d.minutes)),
        }));
        for (const r of records) {
          await db.query(
            `INSERT INTO dossiers (id, code, procedure_code, procedure_version, workflow_id, workflow_version, agency_code, current_agency_code, applicant_sub, applicant, form, status, submitted_at, snapshot)
             VALUES ($1, $2, '9.999999', 1, 'one-stop', 1, $3, $4, $5, $6, '{}', $7, $8, '{}')`,
            [r.id, r.code, r.agencyCode, r.currentAgencyCode, r.applicantSub, JSON.stringify(r.applicant), r.status, r.submittedAt],
          );
        }
        for (const p of callers) {
          const expected = records
            .filter((r) => (status === undefined || r.status === status) && canSeeDossier(p, { ...r, applicantTaxCode: (r.applicant as { taxCode?: string }).taxCode ?? null }))
            .sort((a, b) => b.submittedAt.getTime() - a.submittedAt.getTime() || (a.id < b.id ? 1 : -1))
            .map((r) => r.code);
          const got: string[] = [];
          let after: { submittedAt: Date; id: string } | undefined;
          for (let guard = 0; guard < 50; guard++) {
            const page: DossierRecord[] = await listVisibleDossiers(db, p, { status, limit: pageSize, after });
            got.push(...page.map((d) => d.code));
            if (page.length < pageSize) break;
            const last = page[page.length - 1]!;
            after = { submittedAt: last.submittedAt, id: last.id };
          }
          assert.deepEqual(got, expected, JSON.stringify({ caller: p, status, pageSize }));
        }
      }),
      { numRuns: 40 },
    );
  });
});
