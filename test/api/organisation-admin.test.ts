/**
 * The organisation's admin API over HTTP: a province set up from the national list,
 * units added, renamed and merged, staff granted roles, a leader delegating approval;
 * each refusal a 401/403/404/409/422 (or 400 from the schema) naming its field in
 * Vietnamese and English, with nothing written.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { findDemoAccount } from '../../src/modules/identity/demo-accounts.ts';
import { startTestApp, type TestApp } from '../support/app.ts';

let app: TestApp;
before(async () => {
  app = await startTestApp();
});
after(async () => {
  await app?.close();
});

const subOf = (account: string): string => findDemoAccount(account)!.sub;
const THUC_PHAN = '000.00.04.H12';
const bilingual = (body: { error: { message: { vi: string; en: string } } }): void => {
  assert.ok(body.error.message.vi.length > 0 && body.error.message.en.length > 0, JSON.stringify(body));
};
const count = async (sql: string): Promise<number> => (await app.motcua.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${sql}`)).rows[0]!.n;

describe('admin API: units', () => {
  it('401 without a token, 403 for a citizen or an officer', async () => {
    const r = await app.call('POST', '/api/v1/admin/units/setup', { json: { province: '04' } });
    assert.equal(r.status, 401);
    bilingual(r.body);
    assert.equal((await app.call('POST', '/api/v1/admin/units/setup', { as: 'citizen1', json: { province: '04' } })).status, 403);
    assert.equal((await app.call('GET', '/api/v1/admin/units', { as: 'reception1' })).status, 403);
    assert.equal(await count("agencies WHERE kind = 'commune'"), 0);
  });

  it('setup of Cao Bằng, then again: nothing changes', async () => {
    const r = await app.call('POST', '/api/v1/admin/units/setup', { as: 'admin1', json: { province: '04' } });
    assert.equal(r.status, 200, JSON.stringify(r.body));
    assert.equal(r.body.codeSuffix, 'H12');
    assert.equal(r.body.units, 72);
    const again = await app.call('POST', '/api/v1/admin/units/setup', { as: 'admin1', json: { province: '04' } });
    assert.deepEqual([again.body.created, again.body.updated, again.body.unchanged], [0, 0, 72]);
    const list = await app.call('GET', '/api/v1/admin/units?kind=ward&limit=500', { as: 'admin1' });
    assert.equal(list.status, 200);
    assert.equal(list.body.total, 3);
    assert.ok(list.body.items.some((u: { code: string }) => u.code === THUC_PHAN));
  });

  it('bad input: 400 from the schema naming the field, 404 unknown province or unit, 422 and 409 from the rules', async () => {
    const bad = await app.call('POST', '/api/v1/admin/units/setup', { as: 'admin1', json: { province: 'Cao Bằng' } });
    assert.equal(bad.status, 400);
    assert.match(JSON.stringify(bad.body.error), /province/);
    bilingual(bad.body);
    const unknown = await app.call('POST', '/api/v1/admin/units/setup', { as: 'admin1', json: { province: '99' } });
    assert.equal(unknown.status, 404);
    assert.equal(unknown.body.error.field, 'province');
    assert.equal((await app.call('GET', '/api/v1/admin/units/000.00.999.H12', { as: 'admin1' })).status, 404);
    const noKind = await app.call('POST', '/api/v1/admin/units', { as: 'admin1', json: { name: 'Xã X', kind: 'castle' } });
    assert.equal(noKind.status, 400);
    const self = await app.call('POST', `/api/v1/admin/units/${THUC_PHAN}/merge`, { as: 'admin1', json: { into: THUC_PHAN } });
    assert.equal(self.status, 422);
    assert.equal(self.body.error.field, '/into');
    bilingual(self.body);
  });

  it('add, rename, merge a unit; merged twice is 409', async () => {
    const add = await app.call('POST', '/api/v1/admin/units', { as: 'admin1', json: { name: 'Ủy ban nhân dân xã Mới', kind: 'commune' } });
    assert.equal(add.status, 201, JSON.stringify(add.body));
    const code = add.body.code as string;
    assert.match(code, /^000\.00\.1\d\d\.H12$/);
    const ren = await app.call('PATCH', `/api/v1/admin/units/${code}`, { as: 'admin1', json: { name: 'Ủy ban nhân dân xã Mới Hơn' } });
    assert.equal(ren.status, 200);
    assert.equal(ren.body.name, 'Ủy ban nhân dân xã Mới Hơn');
    const m = await app.call('POST', `/api/v1/admin/units/${code}/merge`, { as: 'admin1', json: { into: THUC_PHAN } });
    assert.equal(m.status, 200);
    assert.equal(m.body.mergedInto, THUC_PHAN);
    assert.equal(m.body.active, false);
    const twice = await app.call('POST', `/api/v1/admin/units/${code}/merge`, { as: 'admin1', json: { into: THUC_PHAN } });
    assert.equal(twice.status, 409);
    assert.equal(twice.body.error.field, '/code');
    const audit = await app.motcua.db.query<{ action: string; actor_sub: string }>('SELECT action, actor_sub FROM audit_log WHERE entity_id = $1 ORDER BY id', [code]);
    assert.deepEqual(audit.rows.map((r) => r.action), ['organisation.unit.create', 'organisation.unit.rename', 'organisation.unit.merge']);
    assert.ok(audit.rows.every((r) => r.actor_sub === subOf('admin1')));
  });
});

describe('admin API: staff and roles', () => {
  it('staff, grants, a delegation and its revocation', async () => {
    const roleEvents = await count("audit_log WHERE action LIKE 'organisation.role.%'");
    const roleOutbox = await count("outbox WHERE topic LIKE 'organisation.role_%'");
    // The demo officers are staff of the demo commune already (seeded with their roles).
    for (const a of ['leader1', 'specialist1', 'reception1']) {
      const r = await app.call('PUT', `/api/v1/admin/staff/${subOf(a)}`, { as: 'admin1', json: { name: findDemoAccount(a)!.name } });
      assert.equal(r.status, 200, JSON.stringify(r.body));
    }
    const fresh = await app.call('PUT', '/api/v1/admin/staff/officer-new-1', { as: 'admin1', json: { name: 'Vi Văn Mới' } });
    assert.equal(fresh.status, 201, JSON.stringify(fresh.body));
    const g = await app.call('POST', '/api/v1/admin/staff/officer-new-1/grants', { as: 'admin1', json: { unitCode: THUC_PHAN, role: 'reception' } });
    assert.equal(g.status, 201, JSON.stringify(g.body));
    assert.equal((await app.call('POST', '/api/v1/admin/staff/officer-new-1/grants', { as: 'admin1', json: { unitCode: THUC_PHAN, role: 'reception' } })).status, 200);
    assert.equal((await app.call('POST', `/api/v1/admin/staff/${subOf('leader1')}/grants`, { as: 'admin1', json: { unitCode: THUC_PHAN, role: 'leader' } })).status, 200);
    assert.equal((await app.call('PUT', '/api/v1/admin/staff/officer-new-2', { as: 'admin1', json: { name: 'Chu Thị Khác' } })).status, 201);

    // The leader delegates approval to the specialist for two weeks.
    const until = new Date(Date.now() + 14 * 86_400_000).toISOString();
    const tooLong = await app.call('POST', `/api/v1/admin/staff/${subOf('specialist1')}/delegations`, { as: 'leader1', json: { unitCode: THUC_PHAN, validUntil: new Date(Date.now() + 100 * 86_400_000).toISOString() } });
    assert.equal(tooLong.status, 422);
    assert.equal(tooLong.body.error.field, '/validUntil');
    bilingual(tooLong.body);
    const notStaff = await app.call('POST', '/api/v1/admin/staff/officer-new-2/delegations', { as: 'leader1', json: { unitCode: THUC_PHAN, validUntil: until } });
    assert.equal(notStaff.status, 422);
    assert.equal(notStaff.body.error.field, '/sub');
    const d = await app.call('POST', `/api/v1/admin/staff/${subOf('specialist1')}/delegations`, { as: 'leader1', json: { unitCode: THUC_PHAN, validUntil: until } });
    assert.equal(d.status, 201, JSON.stringify(d.body));
    const spec = await app.call('GET', `/api/v1/admin/staff/${subOf('specialist1')}`, { as: 'admin1' });
    assert.equal(spec.status, 200);
    assert.deepEqual(spec.body.effectiveRoles.map((r: { role: string; delegatedBy?: string }) => `${r.role}${r.delegatedBy ? '*' : ''}`).sort(), ['leader*', 'specialist']);

    const list = await app.call('GET', `/api/v1/admin/staff?unitCode=${THUC_PHAN}`, { as: 'admin1' });
    // reception1, specialist1, leader1, unitadmin1, admin1 (demo) and officer-new-1.
    assert.equal(list.body.total, 6, JSON.stringify(list.body));

    // Refusals: a leader grants nothing; nobody to themselves; unknown person or unit; a grant id of someone else.
    const byLeader = await app.call('POST', `/api/v1/admin/staff/${subOf('reception1')}/grants`, { as: 'leader1', json: { unitCode: THUC_PHAN, role: 'reception' } });
    assert.equal(byLeader.status, 403);
    assert.deepEqual(byLeader.body.error.requiredRoles.sort(), ['province_admin', 'unit_admin'], JSON.stringify(byLeader.body));
    bilingual(byLeader.body);
    const self = await app.call('POST', `/api/v1/admin/staff/${subOf('admin1')}/grants`, { as: 'admin1', json: { unitCode: THUC_PHAN, role: 'province_admin' } });
    assert.equal(self.status, 403);
    assert.equal(self.body.error.field, '/sub');
    assert.equal((await app.call('POST', '/api/v1/admin/staff/nobody-here/grants', { as: 'admin1', json: { unitCode: THUC_PHAN, role: 'reception' } })).status, 404);
    const noUnit = await app.call('POST', `/api/v1/admin/staff/${subOf('reception1')}/grants`, { as: 'admin1', json: { unitCode: '000.00.999.H12', role: 'reception' } });
    assert.equal(noUnit.status, 404);
    assert.equal(noUnit.body.error.field, '/unitCode');
    const badRole = await app.call('POST', `/api/v1/admin/staff/${subOf('reception1')}/grants`, { as: 'admin1', json: { unitCode: THUC_PHAN, role: 'king' } });
    assert.equal(badRole.status, 400);
    assert.equal((await app.call('DELETE', `/api/v1/admin/staff/${subOf('reception1')}/grants/${d.body.id}`, { as: 'admin1' })).status, 404);
    assert.equal((await app.call('GET', '/api/v1/admin/staff/x', {})).status, 401);

    // The leader ends the delegation early.
    const rv = await app.call('DELETE', `/api/v1/admin/staff/${subOf('specialist1')}/grants/${d.body.id}`, { as: 'leader1' });
    assert.equal(rv.status, 200, JSON.stringify(rv.body));
    assert.ok(rv.body.revokedAt);
    const after = await app.call('GET', `/api/v1/admin/staff/${subOf('specialist1')}`, { as: 'admin1' });
    assert.deepEqual(after.body.effectiveRoles.map((r: { role: string }) => r.role), ['specialist']);
    // The grant, the delegation and its revocation.
    assert.equal(await count("audit_log WHERE action LIKE 'organisation.role.%'"), roleEvents + 3);
    assert.equal(await count("outbox WHERE topic LIKE 'organisation.role_%'"), roleOutbox + 3);
  });

  it('CSV import over the API: 422 with every problem by line and nothing written, then imported', async () => {
    const before = await count('staff');
    const bad = await app.call('POST', '/api/v1/admin/staff/import', { as: 'admin1', json: { csv: 'sub,name,email,unit_code,roles\nq-1,,x,000.00.04.H12,reception\nq-2,B,,000.00.04.H12,king\n' } });
    assert.equal(bad.status, 422);
    bilingual(bad.body);
    assert.deepEqual(bad.body.error.details.map((d: { field: string }) => d.field), ['line 2: name', 'line 2: email', 'line 3: roles']);
    assert.equal(await count('staff'), before);
    const ok = await app.call('POST', '/api/v1/admin/staff/import', { as: 'admin1', json: { csv: 'sub,name,email,unit_code,roles\nq-1,Nguyễn A,a@caobang.gov.vn,000.00.04.H12,reception;specialist\n' } });
    assert.equal(ok.status, 200, JSON.stringify(ok.body));
    assert.equal(ok.body.grantsCreated, 2);
  });
});
