/** Organisation use cases on the database (PGlite, or PostgreSQL with TEST_DATABASE_URL). */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Database } from '../../db/database.ts';
import { seedDemo } from '../../demo/seed.ts';
import { AppError } from '../../shared/errors.ts';
import { freshDatabase } from '../../../test/support/db.ts';
import { createOrganisationService } from './service.ts';
import { effectiveRoles } from './store.ts';
import { statusOf } from '../../http/errors.ts';

const ADMIN = { sub: 'admin-1', roles: ['admin'] };
const NOBODY = { sub: 'officer-x', roles: ['specialist'] };
let now = new Date('2026-11-23T03:00:00Z');
const clock = { now: () => now };
const days = (n: number): Date => new Date(now.getTime() + n * 86_400_000);

async function rejects(p: Promise<unknown>, status: number, field?: string): Promise<AppError> {
  try {
    await p;
  } catch (err) {
    assert.ok(err instanceof AppError, String(err));
    assert.equal(statusOf(err), status, JSON.stringify(err.toJSON()));
    if (field !== undefined) assert.equal(err.field, field);
    assert.ok(err.messages.vi && err.messages.en);
    return err;
  }
  assert.fail(`expected ${status}`);
}

const count = async (db: Database, sql: string): Promise<number> => (await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${sql}`)).rows[0]!.n;

describe('organisation service', () => {
  let db: Database;
  let org: ReturnType<typeof createOrganisationService>;
  before(async () => {
    db = await freshDatabase();
    await seedDemo(db);
    org = createOrganisationService({ db, clock });
  });
  after(async () => db?.close());

  it('setup --province 04: the province, its agencies and 56 communes, in one go; the demo units are adopted with their codes', async () => {
    const t0 = performance.now();
    const r = await org.setupProvince(ADMIN, '04');
    const ms = performance.now() - t0;
    assert.equal(r.codeSuffix, 'H12');
    assert.equal(r.units, 72);
    // The demo has the People's Committee, the service centre, the police and two wards already.
    assert.equal(r.updated, 5);
    assert.equal(r.created, 67);
    const thucPhan = await db.query<{ code: string; kind: string; admin_unit_code: string }>("SELECT code, kind, admin_unit_code FROM agencies WHERE name = 'Ủy ban nhân dân phường Thục Phán'");
    assert.equal(thucPhan.rows.length, 1);
    assert.equal(thucPhan.rows[0]!.code, '000.00.04.H12');
    assert.equal(thucPhan.rows[0]!.kind, 'ward');
    assert.equal(await count(db, "agencies WHERE kind IN ('commune', 'ward', 'special_zone')"), 56);
    assert.equal(await count(db, "audit_log WHERE action LIKE 'organisation.unit.%'"), 72);
    assert.equal(await count(db, "outbox WHERE topic = 'organisation.province_set_up'"), 1);
    console.log(`# setup of Cao Bằng (72 units) on ${db.kind}: ${ms.toFixed(0)} ms`);
  });

  it('running setup twice changes nothing', async () => {
    const audits = await count(db, 'audit_log');
    const r = await org.setupProvince(ADMIN, '04');
    assert.deepEqual([r.created, r.updated, r.unchanged], [0, 0, 72]);
    assert.equal(await count(db, 'audit_log'), audits);
    assert.equal(await count(db, "outbox WHERE topic = 'organisation.province_set_up'"), 1);
  });

  it('setup refuses an unknown province (404), a bad suffix (422), a non-administrator (403)', async () => {
    await rejects(org.setupProvince(ADMIN, '99'), 404, 'province');
    await rejects(org.setupProvince(ADMIN, '01', { codeSuffix: 'h26' }), 422, 'codeSuffix');
    await rejects(org.setupProvince(NOBODY, '01'), 403);
    assert.equal(await count(db, "agencies WHERE code LIKE '%.X01'"), 0);
  });

  it('units: add (next free code), rename, merge; bad input names its field; nothing half-written', async () => {
    const u = await org.addUnit(ADMIN, { name: 'Ủy ban nhân dân xã Thử Nghiệm', kind: 'commune' });
    assert.equal(u.code, '000.00.156.H12');
    assert.equal(u.parentCode, '000.00.00.H12');
    await rejects(org.addUnit(ADMIN, { name: 'x', kind: 'commune', code: u.code }), 409, '/code');
    await rejects(org.addUnit(ADMIN, { name: ' ', kind: 'commune' }), 422, '/name');
    await rejects(org.addUnit(ADMIN, { name: 'x', kind: 'commune', parentCode: '000.00.999.H12' }), 404, '/parentCode');
    const renamed = await org.renameUnit(ADMIN, u.code, { name: 'Ủy ban nhân dân xã Thử Nghiệm Mới' });
    assert.equal(renamed.name, 'Ủy ban nhân dân xã Thử Nghiệm Mới');
    await rejects(org.renameUnit(ADMIN, '000.00.998.H12', { name: 'x' }), 404, 'code');
    const merged = await org.mergeUnit(ADMIN, u.code, '000.00.04.H12');
    assert.equal(merged.active, false);
    assert.equal(merged.mergedInto, '000.00.04.H12');
    await rejects(org.mergeUnit(ADMIN, u.code, '000.00.04.H12'), 409, '/code');
    await rejects(org.mergeUnit(ADMIN, '000.00.04.H12', u.code), 409, '/into');
    await rejects(org.mergeUnit(ADMIN, '000.00.04.H12', '000.00.04.H12'), 422, '/into');
    const log = await db.query<{ action: string }>('SELECT action FROM audit_log WHERE entity_id = $1 ORDER BY id', [u.code]);
    assert.deepEqual(log.rows.map((r) => r.action), ['organisation.unit.create', 'organisation.unit.rename', 'organisation.unit.merge']);
    // A setup run after a rename keeps the new name.
    const again = await org.setupProvince(ADMIN, '04');
    assert.equal(again.created + again.updated, 0);
  });

  it('grants, delegation and effectiveRoles over time; every grant and revocation audited with its event', async () => {
    const W = '000.00.04.H12';
    for (const [sub, name] of [['leader-1', 'Lãnh đạo'], ['deputy-1', 'Phó'], ['uadmin-1', 'Quản trị đơn vị'], ['outsider', 'Người ngoài']] as const) {
      await org.putStaff(ADMIN, { sub, name, active: true });
    }
    const lead = (await org.grant(ADMIN, 'leader-1', { unitCode: W, role: 'leader' })).grant;
    assert.equal((await org.grant(ADMIN, 'leader-1', { unitCode: W, role: 'leader' })).created, false, 'granting again changes nothing');
    await org.grant(ADMIN, 'deputy-1', { unitCode: W, role: 'specialist' });
    await org.grant(ADMIN, 'uadmin-1', { unitCode: W, role: 'unit_admin' });
    const LEADER = { sub: 'leader-1', roles: ['leader'] };
    const UADMIN = { sub: 'uadmin-1', roles: [] };
    await rejects(org.grant(UADMIN, 'deputy-1', { unitCode: W, role: 'province_admin' }), 403, '/role');
    await rejects(org.grant(UADMIN, 'deputy-1', { unitCode: '000.00.05.H12', role: 'reception' }), 403, '/unitCode');
    await rejects(org.grant(UADMIN, 'uadmin-1', { unitCode: W, role: 'reception' }), 403, '/sub');
    await rejects(org.grant(ADMIN, 'nobody', { unitCode: W, role: 'reception' }), 404, 'sub');
    await rejects(org.grant(ADMIN, 'deputy-1', { unitCode: '000.00.997.H12', role: 'reception' }), 404, '/unitCode');
    await rejects(org.grant(ADMIN, 'deputy-1', { unitCode: '000.00.156.H12', role: 'reception' }), 409, '/unitCode');
    await org.grant(UADMIN, 'deputy-1', { unitCode: W, role: 'reception' });

    await rejects(org.delegate(LEADER, 'deputy-1', { unitCode: W, validUntil: days(91).toISOString() }), 422, '/validUntil');
    await rejects(org.delegate(LEADER, 'deputy-1', { unitCode: W }), 422, '/validUntil');
    await rejects(org.delegate(LEADER, 'outsider', { unitCode: W, validUntil: days(10).toISOString() }), 422, '/sub');
    await rejects(org.delegate(ADMIN, 'deputy-1', { unitCode: W, validUntil: days(10).toISOString() }), 403, '/unitCode');
    const d = await org.delegate(LEADER, 'deputy-1', { unitCode: W, validUntil: days(10).toISOString() });
    assert.equal(d.delegatedBy, 'leader-1');

    const roles = async (at: Date) => (await effectiveRoles(db, 'deputy-1', at)).map((r) => `${r.role}${r.delegatedBy ? '*' : ''}`).sort();
    assert.deepEqual(await roles(now), ['leader*', 'reception', 'specialist']);
    assert.deepEqual(await roles(days(11)), ['reception', 'specialist'], 'the delegation ends');
    assert.deepEqual(await roles(days(-1)), [], 'nothing before the grants');

    // The leader's own grant revoked: the delegation lapses with it.
    later(1);
    await rejects(org.revoke(LEADER, lead.id), 403, '/sub');
    await org.revoke(UADMIN, lead.id);
    assert.deepEqual(await roles(now), ['reception', 'specialist']);
    assert.deepEqual(await roles(days(-0.5)), ['leader*', 'reception', 'specialist'], 'history: before the revocation it was in force');
    await rejects(org.revoke(ADMIN, lead.id), 409, 'grantId');
    await rejects(org.revoke(ADMIN, '00000000-0000-4000-8000-000000000000'), 404, 'grantId');

    const acts = await db.query<{ action: string; n: number }>("SELECT action, count(*)::int AS n FROM audit_log WHERE action LIKE 'organisation.role.%' GROUP BY action ORDER BY action");
    assert.deepEqual(acts.rows, [
      { action: 'organisation.role.delegate', n: 1 },
      { action: 'organisation.role.grant', n: 4 },
      { action: 'organisation.role.revoke', n: 1 },
    ]);
    assert.equal(await count(db, "outbox WHERE topic IN ('organisation.role_granted', 'organisation.role_revoked')"), 6);
  });

  it('staff import: all or nothing, every problem with its line, bilingual; then idempotent', async () => {
    const bad = [
      'sub,name,email,unit_code,roles',
      'p-1,Nguyễn Văn A,a@example.vn,000.00.04.H12,reception;specialist',
      'p-2,,not-an-email,000.00.04.H12,king',
      'p-3,Trần Thị C,,000.00.996.H12,leader',
      'p-4,Lê D,,000.00.156.H12,leader',
    ].join('\n');
    const before = await count(db, 'staff');
    const err = await rejects(org.importStaff(ADMIN, bad), 422, 'file');
    const problems = (err.extra as { problems: { line: number; field: string }[] }).problems;
    assert.deepEqual(problems.map((x) => `${x.line}:${x.field}`), ['3:name', '3:email', '3:roles', '4:unit_code', '5:unit_code']);
    assert.equal(await count(db, 'staff'), before, 'nothing imported');
    const good = ['sub,name,email,unit_code,roles', 'p-1,Nguyễn Văn A,a@example.vn,000.00.04.H12,reception;specialist', 'p-1,Nguyễn Văn A,a@example.vn,000.00.05.H12,leader'].join('\n');
    assert.deepEqual(await org.importStaff(ADMIN, good), { staff: 1, staffCreated: 1, grantsCreated: 3, grantsUnchanged: 0 });
    assert.deepEqual(await org.importStaff(ADMIN, good), { staff: 1, staffCreated: 0, grantsCreated: 0, grantsUnchanged: 3 });
    await rejects(org.importStaff({ sub: 'uadmin-1', roles: [] }, good.replace('000.00.05.H12,leader', '000.00.05.H12,province_admin')), 422, 'file');
  });
});

function later(daysAhead: number): void {
  now = new Date(now.getTime() + daysAhead * 86_400_000);
}
