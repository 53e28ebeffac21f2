/**
 * What the resolver remembers never outlives the truth: a staff answer ends when the
 * clock reaches a grant's end (or a delegating leader's), when the organisation changes
 * (invalidate), and an answer read while a change was made is not kept; "not staff" is
 * forgotten when the person is made staff in this process.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Database } from '../../db/database.ts';
import { freshDatabase } from '../../../test/support/db.ts';
import { createAccessResolver } from './resolver.ts';

const UNIT = '000.00.04.H12';
const T0 = Date.parse('2026-03-01T00:00:00Z');
const H = 3_600_000;

describe('access resolver caching', () => {
  let db: Database;
  let nowMs = T0;
  const clock = { now: () => new Date(nowMs) };
  before(async () => {
    db = await freshDatabase();
    await db.query(`INSERT INTO agencies (code, name, level) VALUES ($1, 'Xã', 'commune')`, [UNIT]);
    await db.query(`INSERT INTO staff (sub, name) VALUES ('lead', 'L'), ('acting', 'A'), ('temp', 'T')`);
    const grant = (id: string, sub: string, role: string, from: number, until: number | null, by: string | null) =>
      db.query(
        `INSERT INTO role_grants (id, sub, unit_code, role, valid_from, valid_until, delegated_by, granted_by, granted_at) VALUES ($1, $2, $3, $4, $5, $6, $7, 'test', $5)`,
        [id, sub, UNIT, role, new Date(from), until === null ? null : new Date(until), by],
      );
    await grant('00000000-0000-4000-8000-000000000001', 'lead', 'leader', T0 - H, T0 + 10 * H, null);
    await grant('00000000-0000-4000-8000-000000000002', 'acting', 'specialist', T0 - H, null, null);
    await grant('00000000-0000-4000-8000-000000000003', 'acting', 'leader', T0 - H, T0 + 100 * H, 'lead');
    await grant('00000000-0000-4000-8000-000000000004', 'temp', 'reception', T0 - H, T0 + 2 * H, null);
  });
  after(async () => db?.close());

  const rolesOf = async (r: ReturnType<typeof createAccessResolver>, sub: string): Promise<string[]> => {
    const c = await r.resolve({ sub, roles: [] });
    return c === 'removed' ? ['removed'] : [...c.roles].sort();
  };

  it('remembers a staff answer only until a grant of theirs ends, or the grant of the leader who delegated to them', async () => {
    nowMs = T0;
    const r = createAccessResolver({ db, clock, positiveTtlMs: 3_600_000 });
    assert.deepEqual(await rolesOf(r, 'temp'), ['reception']);
    nowMs = T0 + 2 * H; // temp's grant ends now
    assert.deepEqual(await rolesOf(r, 'temp'), []);
    nowMs = T0;
    assert.deepEqual(await rolesOf(r, 'acting'), ['leader', 'specialist']);
    nowMs = T0 + 10 * H; // the delegating leader's own grant ends: the delegation lapses with it
    assert.deepEqual(await rolesOf(r, 'acting'), ['specialist']);
  });

  it('forgets everything on a change, and keeps nothing read across one', async () => {
    nowMs = T0;
    const r = createAccessResolver({ db, clock, positiveTtlMs: 3_600_000 });
    assert.deepEqual(await rolesOf(r, 'lead'), ['leader']);
    await db.query(`UPDATE staff SET active = false WHERE sub = 'lead'`);
    assert.deepEqual(await rolesOf(r, 'lead'), ['leader'], 'remembered until told (every change goes through the organisation service, which tells)');
    r.invalidate('lead');
    assert.deepEqual(await rolesOf(r, 'lead'), ['removed']);
    await db.query(`UPDATE staff SET active = true WHERE sub = 'lead'`);
    // A change lands while a read is under way: that read's answer is not kept.
    const pending = r.resolve({ sub: 'lead', roles: [] });
    r.invalidate('lead');
    await pending;
    await db.query(`UPDATE staff SET active = false WHERE sub = 'lead'`);
    assert.deepEqual(await rolesOf(r, 'lead'), ['removed']);
    await db.query(`UPDATE staff SET active = true WHERE sub = 'lead'`);
  });

  it('on PostgreSQL (several processes) staff answers are read every time; "not staff" is remembered and forgotten on a grant here', async () => {
    nowMs = T0;
    const r = createAccessResolver({ db, clock, positiveTtlMs: 0 });
    assert.deepEqual(await rolesOf(r, 'temp'), ['reception']);
    await db.query(`UPDATE staff SET active = false WHERE sub = 'temp'`);
    assert.deepEqual(await rolesOf(r, 'temp'), ['removed'], 'no invalidation needed');
    await db.query(`UPDATE staff SET active = true WHERE sub = 'temp'`);
    assert.deepEqual(await rolesOf(r, 'newcomer'), []);
    await db.query(`INSERT INTO staff (sub, name) VALUES ('newcomer', 'N')`);
    await db.query(`INSERT INTO role_grants (id, sub, unit_code, role, valid_from, granted_by, granted_at) VALUES ('00000000-0000-4000-8000-000000000009', 'newcomer', $1, 'specialist', $2, 'test', $2)`, [UNIT, new Date(T0 - H)]);
    assert.deepEqual(await rolesOf(r, 'newcomer'), [], 'remembered as not staff');
    r.invalidate('newcomer');
    assert.deepEqual(await rolesOf(r, 'newcomer'), ['specialist']);
  });

  it('by default staff answers are remembered on PGlite (one process) only', async () => {
    nowMs = T0;
    const r = createAccessResolver({ db, clock });
    assert.deepEqual(await rolesOf(r, 'temp'), ['reception']);
    await db.query(`UPDATE staff SET active = false WHERE sub = 'temp'`);
    assert.deepEqual(await rolesOf(r, 'temp'), db.kind === 'pglite' ? ['reception'] : ['removed']);
    await db.query(`UPDATE staff SET active = true WHERE sub = 'temp'`);
  });
});
