import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { checkDelegation, checkGrant, checkRevoke, inForce, MAX_DELEGATION_DAYS, UNIT_ROLES, type Actor, type HeldRole, type UnitRole } from './roles.ts';

const U1 = '000.00.100.H12';
const U2 = '000.00.101.H12';
const T0 = new Date('2026-11-23T00:00:00Z');
const days = (n: number): Date => new Date(T0.getTime() + n * 86_400_000);
const actor = (held: HeldRole[], tokenRoles: string[] = []): Actor => ({ sub: 'actor', tokenRoles, held });
const provinceAdmin = actor([], ['admin']);
const dbProvinceAdmin = actor([{ unitCode: U1, role: 'province_admin' }]);
const unitAdmin = actor([{ unitCode: U1, role: 'unit_admin' }]);
const leader = actor([{ unitCode: U1, role: 'leader' }]);
const actingLeader = actor([{ unitCode: U1, role: 'leader', delegatedBy: 'boss' }]);

describe('checkGrant (table)', () => {
  const cases: { name: string; a: Actor; sub?: string; unit?: string; role: string; until?: Date; want: undefined | [number, string, string] }[] = [
    { name: 'token admin grants province_admin', a: provinceAdmin, role: 'province_admin', want: undefined },
    { name: 'province_admin from a grant grants anything anywhere', a: dbProvinceAdmin, unit: U2, role: 'leader', want: undefined },
    { name: 'unit admin grants leader in their unit', a: unitAdmin, role: 'leader', want: undefined },
    { name: 'unit admin grants unit_admin in their unit', a: unitAdmin, role: 'unit_admin', want: undefined },
    { name: 'unit admin never grants province_admin', a: unitAdmin, role: 'province_admin', want: [403, '/role', 'not_allowed'] },
    { name: 'unit admin not in another unit', a: unitAdmin, unit: U2, role: 'reception', want: [403, '/unitCode', 'not_your_unit'] },
    { name: 'a leader grants nothing', a: leader, role: 'reception', want: [403, '/unitCode', 'not_your_unit'] },
    { name: 'nobody grants to themselves, not even an admin', a: provinceAdmin, sub: 'actor', role: 'auditor', want: [403, '/sub', 'self_grant'] },
    { name: 'unknown role', a: provinceAdmin, role: 'king', want: [422, '/role', 'enum'] },
    { name: 'end before start', a: provinceAdmin, role: 'reception', until: days(-1), want: [422, '/validUntil', 'before_start'] },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const r = checkGrant(c.a, { sub: c.sub ?? 'someone', unitCode: c.unit ?? U1, role: c.role, validFrom: T0, validUntil: c.until });
      if (c.want === undefined) assert.equal(r, undefined);
      else {
        assert.ok(r);
        assert.deepEqual([r.status, r.problems[0]!.field, r.problems[0]!.code], c.want);
        assert.ok(r.problems[0]!.message.vi && r.problems[0]!.message.en);
      }
    });
  }
});

describe('checkDelegation (table)', () => {
  const cases: { name: string; a: Actor; role?: string; sub?: string; until?: Date; staff?: boolean; want: undefined | [number, string, string] }[] = [
    { name: 'a leader delegates leader for 30 days', a: leader, until: days(30), want: undefined },
    { name: 'exactly 90 days is allowed', a: leader, until: days(MAX_DELEGATION_DAYS), want: undefined },
    { name: 'more than 90 days is refused', a: leader, until: new Date(days(MAX_DELEGATION_DAYS).getTime() + 1), want: [422, '/validUntil', 'maximum'] },
    { name: 'a delegation must end', a: leader, until: undefined, want: [422, '/validUntil', 'required'] },
    { name: 'only leader is delegated', a: leader, role: 'reception', until: days(3), want: [422, '/role', 'not_delegable'] },
    { name: 'an admin who is not the leader does not delegate leader', a: provinceAdmin, until: days(3), want: [403, '/unitCode', 'not_leader'] },
    { name: 'an acting leader does not delegate further', a: actingLeader, until: days(3), want: [403, '/unitCode', 'not_leader'] },
    { name: 'not to oneself', a: leader, sub: 'actor', until: days(3), want: [403, '/sub', 'self_grant'] },
    { name: 'only to staff of the unit', a: leader, until: days(3), staff: false, want: [422, '/sub', 'not_unit_staff'] },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const r = checkDelegation(c.a, { sub: c.sub ?? 'deputy', unitCode: U1, role: c.role ?? 'leader', validFrom: T0, validUntil: c.until }, c.staff ?? true);
      if (c.want === undefined) assert.equal(r, undefined);
      else {
        assert.ok(r);
        assert.deepEqual([r.status, r.problems[0]!.field, r.problems[0]!.code], c.want);
      }
    });
  }
});

describe('checkRevoke (table)', () => {
  it('the delegating leader revokes their delegation', () => assert.equal(checkRevoke(leader, { sub: 'deputy', unitCode: U1, role: 'leader', delegatedBy: 'actor' }), undefined));
  it('a unit admin revokes in their unit', () => assert.equal(checkRevoke(unitAdmin, { sub: 'x', unitCode: U1, role: 'reception' }), undefined));
  it('a unit admin does not revoke province_admin', () => assert.equal(checkRevoke(unitAdmin, { sub: 'x', unitCode: U1, role: 'province_admin' })?.status, 403));
  it('a unit admin does not revoke in another unit', () => assert.equal(checkRevoke(unitAdmin, { sub: 'x', unitCode: U2, role: 'reception' })?.status, 403));
  it('nobody revokes their own role', () => assert.equal(checkRevoke(provinceAdmin, { sub: 'actor', unitCode: U1, role: 'province_admin' })?.problems[0]?.code, 'self_revoke'));
});

const roleArb = fc.constantFrom<UnitRole>(...UNIT_ROLES);
const unitArb = fc.constantFrom(U1, U2, '000.00.02.H12');
const heldArb = fc.array(fc.record({ unitCode: unitArb, role: roleArb, delegatedBy: fc.option(fc.constant('boss'), { nil: undefined }) }), { maxLength: 6 });
const actorArb = fc.record({ sub: fc.constantFrom('actor', 'a2'), tokenRoles: fc.subarray(['admin', 'leader', 'citizen']), held: heldArb });
const reqArb = fc.record({ sub: fc.constantFrom('actor', 'a2', 'someone'), unitCode: unitArb, role: roleArb, from: fc.integer({ min: -1000, max: 1000 }), len: fc.option(fc.integer({ min: -5, max: 400 }), { nil: undefined }) });

describe('grant rules (properties)', () => {
  it('nobody ever grants or delegates to themselves', () => {
    fc.assert(
      fc.property(actorArb, reqArb, fc.boolean(), (a, r, staff) => {
        const g = { sub: a.sub, unitCode: r.unitCode, role: r.role, validFrom: days(r.from), validUntil: r.len === undefined ? undefined : days(r.from + r.len) };
        assert.ok(checkGrant(a, g));
        assert.ok(checkDelegation(a, g, staff));
      }),
    );
  });
  it('province_admin is granted only by a province administrator', () => {
    fc.assert(
      fc.property(actorArb, reqArb, (a, r) => {
        const ok = checkGrant(a, { sub: r.sub, unitCode: r.unitCode, role: 'province_admin', validFrom: T0 }) === undefined;
        if (ok) assert.ok(a.tokenRoles.includes('admin') || a.held.some((h) => h.role === 'province_admin'));
      }),
    );
  });
  it('whoever is not a province administrator grants only in a unit they administer by a standing grant', () => {
    fc.assert(
      fc.property(actorArb, reqArb, (a, r) => {
        const ok = checkGrant(a, { sub: r.sub, unitCode: r.unitCode, role: r.role, validFrom: T0 }) === undefined;
        const pa = a.tokenRoles.includes('admin') || a.held.some((h) => h.role === 'province_admin');
        if (ok && !pa) assert.ok(a.held.some((h) => h.role === 'unit_admin' && h.unitCode === r.unitCode && h.delegatedBy === undefined));
      }),
    );
  });
  it('an accepted delegation is leader, ends, lasts at most 90 days, by a standing leader of the unit', () => {
    fc.assert(
      fc.property(actorArb, reqArb, fc.boolean(), (a, r, staff) => {
        const g = { sub: r.sub, unitCode: r.unitCode, role: r.role, validFrom: days(r.from), validUntil: r.len === undefined ? undefined : days(r.from + r.len) };
        if (checkDelegation(a, g, staff) !== undefined) return;
        assert.equal(g.role, 'leader');
        assert.ok(staff);
        assert.ok(g.validUntil && g.validUntil > g.validFrom);
        assert.ok(g.validUntil.getTime() - g.validFrom.getTime() <= MAX_DELEGATION_DAYS * 86_400_000);
        assert.ok(a.held.some((h) => h.role === 'leader' && h.unitCode === g.unitCode && h.delegatedBy === undefined));
      }),
    );
  });
  it('a refusal always names a field in Vietnamese and English', () => {
    fc.assert(
      fc.property(actorArb, reqArb, (a, r) => {
        const x = checkGrant(a, { sub: r.sub, unitCode: r.unitCode, role: r.role, validFrom: days(r.from), validUntil: r.len === undefined ? undefined : days(r.from + r.len) });
        if (x) for (const pr of x.problems) assert.ok(pr.field.startsWith('/') && pr.message.vi.length > 0 && pr.message.en.length > 0);
      }),
    );
  });
  it('inForce: from inclusive, until and revocation exclusive', () => {
    fc.assert(
      fc.property(fc.integer({ min: -50, max: 50 }), fc.option(fc.integer({ min: 1, max: 50 }), { nil: undefined }), fc.integer({ min: -100, max: 100 }), (from, len, at) => {
        const g = { validFrom: days(from), validUntil: len === undefined ? undefined : days(from + len) };
        assert.equal(inForce(g, days(at)), at >= from && (len === undefined || at < from + len));
        assert.equal(inForce({ ...g, revokedAt: days(at) }, days(at)), false);
      }),
    );
  });
});
