import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { callerFrom, officerUnits } from './caller.ts';
import { actorFor, canSeeDossier, canSeeDossierFile } from './dossier-access.ts';
import { compilePolicy, decideRoute, expandRoles, policy, policyOf, UNDECLARED } from './policy.ts';
import { UNIT_ROLES as STAFF_ROLES } from '../../shared/roles.ts';

describe('decideRoute', () => {
  test('public lets anyone through; authenticated needs a caller; a role list needs one of its roles', () => {
    const pub = compilePolicy(policy.public());
    const auth = compilePolicy(policy.authenticated());
    const officers = compilePolicy(policy.roles(['officer']));
    assert.deepEqual(decideRoute(pub, undefined), { ok: true });
    assert.deepEqual(decideRoute(auth, undefined), { ok: false, status: 401, reason: 'unauthenticated' });
    assert.deepEqual(decideRoute(auth, { roles: [] }), { ok: true });
    assert.deepEqual(decideRoute(officers, { roles: ['leader'] }), { ok: true });
    const no = decideRoute(officers, { roles: ['citizen', 'auditor'] });
    assert.equal(no.ok, false);
    assert.equal(!no.ok && no.status, 403);
    assert.deepEqual(!no.ok && no.status === 403 && [...no.required].sort(), ['leader', 'reception', 'specialist']);
    assert.deepEqual(decideRoute(officers, undefined), { ok: false, status: 401, reason: 'unauthenticated' });
  });

  test('groups expand; `admin` is the province administrator', () => {
    assert.deepEqual(expandRoles(['applicant']), ['citizen', 'business']);
    assert.deepEqual(expandRoles(['administrator', 'admin']), ['unit_admin', 'province_admin']);
    assert.deepEqual(expandRoles(['auditor']), ['auditor']);
  });

  test('older route config shorthands are policies; nothing declared is undefined (needs a login at run time)', () => {
    assert.equal(policyOf({ auth: 'public' })?.allow, 'public');
    assert.deepEqual(policyOf({ roles: ['admin'] })?.allow, ['admin']);
    assert.equal(policyOf({}), undefined);
    assert.equal(UNDECLARED.allow, 'authenticated');
  });

  test('property: deny by default — a caller passes a role list only when holding one of its expanded roles', () => {
    const all = ['citizen', 'business', ...STAFF_ROLES, 'admin'];
    fc.assert(
      fc.property(fc.subarray(['applicant', 'officer', 'administrator', 'auditor', 'leader', 'citizen'] as const, { minLength: 1 }), fc.subarray(all), (names, held) => {
        const d = decideRoute(compilePolicy(policy.roles(names)), { roles: held });
        const wanted = new Set(expandRoles(names));
        assert.equal(d.ok, held.some((r) => wanted.has(r)));
      }),
    );
  });
});

describe('callerFrom: roles from the organisation, not the token', () => {
  const token = { sub: 's1', roles: ['citizen', 'leader', 'admin'], agencyCode: 'X' };
  test('staff roles and the agency claim of the token are dropped; the grants give them', () => {
    const c = callerFrom(token, { staffActive: null, roles: [] });
    assert.ok(c !== 'removed');
    assert.deepEqual(c.roles, ['citizen']);
    assert.equal(c.agencyCode, undefined);
    assert.deepEqual(officerUnits(c), []);
    const s = callerFrom(token, { staffActive: true, roles: [{ unitCode: 'A', role: 'unit_admin' }, { unitCode: 'B', role: 'leader' }, { unitCode: 'A', role: 'province_admin' }] });
    assert.ok(s !== 'removed');
    assert.deepEqual(s.roles, ['citizen', 'unit_admin', 'leader', 'province_admin', 'admin']);
    assert.equal(s.agencyCode, 'B');
    assert.deepEqual(officerUnits(s), ['B']);
  });
  test('a deactivated staff member is removed', () => {
    assert.equal(callerFrom(token, { staffActive: false, roles: [] }), 'removed');
  });
});

describe('dossier access', () => {
  const d = { applicantSub: 'app', applicantTaxCode: '4800206198', agencyCode: 'A', currentAgencyCode: 'B' };
  const staff = (unit: string, role: string) => callerFrom({ sub: `s-${unit}-${role}`, roles: [] }, { staffActive: true, roles: [{ unitCode: unit, role }] }) as ReturnType<typeof callerFrom> & object;
  test('applicant, the business by tax code, officers of the receiving unit and of the unit holding it', () => {
    assert.ok(canSeeDossier({ sub: 'app', roles: ['citizen'] }, d));
    assert.ok(!canSeeDossier({ sub: 'app', roles: [] }, d), 'no applicant role: not as applicant');
    assert.ok(canSeeDossier({ sub: 'colleague', roles: ['business'], taxCode: '4800206198' }, d));
    assert.ok(!canSeeDossier({ sub: 'colleague', roles: ['citizen'], taxCode: '4800206198' }, d), 'a tax code counts for a business login only');
    assert.ok(canSeeDossier(staff('A', 'reception'), d));
    assert.ok(canSeeDossier(staff('B', 'specialist'), d));
    assert.ok(!canSeeDossier(staff('C', 'leader'), d));
    for (const r of ['unit_admin', 'province_admin', 'auditor']) assert.ok(!canSeeDossier(staff('B', r), d), r);
  });
  test('the applicant opens what they sent and the result; officers every file', () => {
    assert.ok(canSeeDossierFile({ sub: 'app', roles: ['citizen'] }, d, 'result'));
    assert.ok(!canSeeDossierFile({ sub: 'app', roles: ['citizen'] }, d, 'submit_for_approval'));
    assert.ok(canSeeDossierFile(staff('B', 'leader'), d, 'submit_for_approval'));
  });
  test('the actor on a dossier holds only the roles of the unit holding it', () => {
    const multi = callerFrom({ sub: 'm', roles: [] }, { staffActive: true, roles: [{ unitCode: 'A', role: 'leader' }, { unitCode: 'B', role: 'reception' }] });
    assert.ok(multi !== 'removed');
    assert.deepEqual(actorFor(multi, d), { sub: 'm', roles: ['reception'], agencyCode: 'B' });
    assert.deepEqual(actorFor(multi, { ...d, currentAgencyCode: 'C' }), { sub: 'm', roles: [] });
    assert.deepEqual(actorFor({ sub: 'app', roles: ['citizen'] }, d), { sub: 'app', roles: ['citizen'] });
  });
});
