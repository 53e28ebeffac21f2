import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { DEMO_ACCOUNTS, DEMO_AGENCY_CODE, findDemoAccount, findDemoAccountBySub, type DemoAccount, type DemoRole } from './demo-accounts.ts';

const ALL_ROLES: readonly DemoRole[] = ['citizen', 'business', 'reception', 'specialist', 'leader', 'admin', 'unit_admin', 'auditor'];
const withRole = (r: DemoRole): DemoAccount[] => DEMO_ACCOUNTS.filter((a) => a.roles.includes(r));

/** Check digit of a Vietnamese tax code (mã số thuế): 10 - (Σ wᵢ·dᵢ mod 11) over the first nine digits. */
function taxCheckDigit(code: string): number {
  const w = [31, 29, 23, 19, 17, 13, 7, 5, 3];
  let sum = 0;
  for (let i = 0; i < 9; i++) sum += (w[i] ?? 0) * Number(code[i]);
  return 10 - (sum % 11);
}

test('the tax check digit helper agrees with a published valid and invalid code', () => {
  assert.equal(taxCheckDigit('0100233488'), 8);
  assert.notEqual(taxCheckDigit('0100233480'), 0);
});

test('the roles the walk-through needs exist: several citizens, a business, one agency\'s reception/specialist/leader, an admin', () => {
  assert.ok(withRole('citizen').length >= 2, 'several citizens');
  assert.ok(withRole('business').length >= 1);
  for (const r of ['reception', 'specialist', 'leader'] as const) {
    const officers = withRole(r);
    assert.ok(officers.length >= 1, r);
    assert.ok(officers.some((a) => a.agencyCode === DEMO_AGENCY_CODE), `${r} of the demo agency`);
  }
  assert.ok(withRole('admin').length >= 1);
  // The login ids the README and the end-to-end tests use.
  for (const id of ['citizen1', 'citizen2', 'citizen3', 'business1', 'reception1', 'specialist1', 'leader1', 'admin1']) {
    assert.ok(findDemoAccount(id) !== undefined, id);
  }
  assert.deepEqual(findDemoAccount('reception1')?.roles, ['reception']);
  assert.deepEqual(findDemoAccount('citizen1')?.roles, ['citizen']);
  assert.deepEqual(findDemoAccount('business1')?.roles, ['business']);
});

test('every account: known roles only, a name, unique account and sub', () => {
  assert.equal(new Set(DEMO_ACCOUNTS.map((a) => a.account)).size, DEMO_ACCOUNTS.length, 'account ids are unique');
  assert.equal(new Set(DEMO_ACCOUNTS.map((a) => a.sub)).size, DEMO_ACCOUNTS.length, 'subs are unique');
  for (const a of DEMO_ACCOUNTS) {
    assert.match(a.account, /^[a-z][a-z0-9]*$/, a.account);
    assert.ok(a.sub.length >= 8 && !a.sub.includes(a.account), `${a.account}: an opaque sub, not the login id`);
    assert.ok(a.roles.length >= 1, `${a.account} has a role`);
    for (const r of a.roles) assert.ok(ALL_ROLES.includes(r), `${a.account}: ${r}`);
    assert.ok(a.name.trim().length > 0 && a.name === a.name.trim(), a.account);
  }
});

test('applicants carry their identifiers; officers carry an agency, not a personal id', () => {
  for (const a of DEMO_ACCOUNTS) {
    if (a.roles.includes('citizen')) {
      assert.ok(a.personalId !== undefined, `${a.account}: a citizen has a personal id`);
      assert.equal(a.taxCode, undefined, a.account);
      assert.equal(a.agencyCode, undefined, a.account);
    }
    if (a.roles.includes('business')) {
      assert.ok(a.taxCode !== undefined, `${a.account}: a business has a tax code`);
      assert.ok(a.legalRepresentative !== undefined, `${a.account}: a business has a legal representative`);
      assert.equal(a.agencyCode, undefined, a.account);
    }
    if (a.roles.some((r) => r === 'reception' || r === 'specialist' || r === 'leader')) {
      assert.ok(a.agencyCode !== undefined, `${a.account}: an officer works for an agency`);
      assert.equal(a.taxCode, undefined, a.account);
    }
  }
});

test('personal ids: 12 digits, Cao Bằng place code, century/sex digit and year agreeing with the birth date', () => {
  const ids: { who: string; id: string; birthdate?: string | undefined }[] = [];
  for (const a of DEMO_ACCOUNTS) {
    if (a.personalId !== undefined) ids.push({ who: a.account, id: a.personalId, birthdate: a.birthdate });
    if (a.legalRepresentative !== undefined) ids.push({ who: `${a.account} representative`, id: a.legalRepresentative.personalId });
  }
  assert.ok(ids.length >= 3);
  assert.equal(new Set(ids.map((x) => x.id)).size, ids.length, 'personal ids are unique');
  for (const { who, id, birthdate } of ids) {
    assert.match(id, /^\d{12}$/, who);
    assert.equal(id.slice(0, 3), '004', `${who}: Cao Bằng place code`);
    const centurySex = Number(id[3]);
    assert.ok(centurySex >= 0 && centurySex <= 3, `${who}: born in the 1900s or 2000s`);
    if (birthdate !== undefined) {
      assert.match(birthdate, /^\d{4}-\d{2}-\d{2}$/, who);
      assert.ok(!Number.isNaN(Date.parse(`${birthdate}T00:00:00Z`)) && new Date(`${birthdate}T00:00:00Z`).toISOString().startsWith(birthdate), `${who}: a real date`);
      const year = Number(birthdate.slice(0, 4));
      assert.equal(centurySex < 2 ? 1900 : 2000, Math.floor(year / 100) * 100, `${who}: century digit`);
      assert.equal(id.slice(4, 6), birthdate.slice(2, 4), `${who}: year digits`);
    }
  }
});

test('tax codes: 10 digits with a correct check digit, Cao Bằng prefix 48', () => {
  const codes = DEMO_ACCOUNTS.flatMap((a) => (a.taxCode !== undefined ? [a.taxCode] : []));
  assert.ok(codes.length >= 1);
  for (const c of codes) {
    assert.match(c, /^\d{10}$/);
    assert.ok(c.startsWith('48'), c);
    assert.equal(Number(c[9]), taxCheckDigit(c), `${c}: check digit`);
  }
});

test('the demo agency is the commune of the demo catalogue', () => {
  const agencies = JSON.parse(readFileSync(new URL('../catalogue/demo/agencies.json', import.meta.url), 'utf8')) as { code: string; level: string }[];
  const agency = agencies.find((g) => g.code === DEMO_AGENCY_CODE);
  assert.ok(agency, `${DEMO_AGENCY_CODE} is in the demo catalogue`);
  for (const a of DEMO_ACCOUNTS) if (a.agencyCode !== undefined) assert.ok(agencies.some((g) => g.code === a.agencyCode), a.account);
});

test('findDemoAccount / findDemoAccountBySub: exact match only, undefined otherwise, custom lists', () => {
  for (const a of DEMO_ACCOUNTS) {
    assert.equal(findDemoAccount(a.account), a);
    assert.equal(findDemoAccountBySub(a.sub), a);
  }
  for (const miss of ['', 'Citizen1', 'citizen1 ', ' citizen1', 'citizen', 'nobody', 'constructor', '__proto__']) assert.equal(findDemoAccount(miss), undefined, JSON.stringify(miss));
  assert.equal(findDemoAccountBySub(''), undefined);
  assert.equal(findDemoAccountBySub('citizen1'), undefined, 'a login id is not a sub');
  const custom: DemoAccount[] = [{ account: 'x1', sub: 'sub-x1', roles: ['admin'], name: 'X' }];
  assert.equal(findDemoAccount('x1', custom), custom[0]);
  assert.equal(findDemoAccount('citizen1', custom), undefined);
  assert.equal(findDemoAccountBySub('sub-x1', custom), custom[0]);
});

test('the list, each account and its roles are frozen', () => {
  assert.ok(Object.isFrozen(DEMO_ACCOUNTS));
  for (const a of DEMO_ACCOUNTS) {
    assert.ok(Object.isFrozen(a), a.account);
    assert.ok(Object.isFrozen(a.roles), a.account);
  }
  const c = findDemoAccount('citizen1');
  assert.ok(c);
  assert.throws(() => (c.roles as DemoRole[]).push('admin'), TypeError);
  assert.throws(() => {
    (c as { name: string }).name = 'someone else';
  }, TypeError);
  assert.deepEqual(findDemoAccount('citizen1')?.roles, ['citizen']);
});
