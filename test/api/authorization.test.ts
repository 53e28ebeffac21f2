/**
 * Authorization over real HTTP: roles come from the organisation (not the token); a
 * role the caller does not hold is 403 with an audit entry; another person's dossier
 * is 404 like one that does not exist; an officer of one commune neither sees nor acts
 * on another commune's dossier; administrators and auditors do not read dossiers; a
 * revoked role or a removed staff member stops at the next request (token and session).
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { findDemoAccount } from '../../src/modules/identity/demo-accounts.ts';
import { startTestApp, upload, type TestApp } from '../support/app.ts';
import { Browser } from '../support/browser.ts';

const THUC_PHAN = '000.00.04.H12';
const TAN_GIANG = '000.00.05.H12';
const example = JSON.parse(readFileSync(new URL('../../src/modules/catalogue/demo/examples/1.001193.json', import.meta.url), 'utf8')) as Record<string, unknown>;
const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}/g;
const subOf = (account: string): string => findDemoAccount(account)!.sub;

let app: TestApp;
let code: string;
before(async () => {
  app = await startTestApp({ env: { MOTCUA_RATE_LIMITS: 'off' } });
  code = await submit('citizen1');
});
after(async () => {
  await app?.close();
});

async function submit(as: string): Promise<string> {
  const fileId = await upload(app, as);
  const form = JSON.parse(JSON.stringify(example).replace(UUID, fileId)) as Record<string, unknown>;
  const r = await app.call('POST', '/api/v1/dossiers', { as, json: { procedureCode: '1.001193', agencyCode: THUC_PHAN, form } });
  assert.equal(r.status, 201, JSON.stringify(r.body));
  return r.body.code as string;
}
const act = (as: string, c: string, action: string, input: unknown = {}) => app.call('POST', `/api/v1/dossiers/${encodeURIComponent(c)}/actions/${action}`, { as, json: input });
const denials = async (sub: string): Promise<{ entity_id: string; after: any }[]> =>
  (await app.motcua.db.query<{ entity_id: string; after: any }>("SELECT entity_id, after FROM audit_log WHERE action = 'access.denied' AND actor_sub = $1 ORDER BY id", [sub])).rows;

describe('a role the caller does not hold', () => {
  it('is 403 with the roles needed, and an audit entry naming the caller and the route', async () => {
    const before = (await denials(subOf('citizen1'))).length;
    const r = await app.call('GET', '/api/v1/admin/units', { as: 'citizen1' });
    assert.equal(r.status, 403);
    assert.equal(r.body.error.code, 'forbidden');
    assert.ok(r.body.error.message.vi && r.body.error.message.en);
    assert.deepEqual([...r.body.error.requiredRoles].sort(), ['province_admin', 'unit_admin']);
    const rows = await denials(subOf('citizen1'));
    assert.equal(rows.length, before + 1);
    assert.equal(rows.at(-1)!.entity_id, 'GET /api/v1/admin/units');
    assert.deepEqual(rows.at(-1)!.after.heldRoles, ['citizen']);
    // An officer submitting, an applicant approving: the same.
    assert.equal((await app.call('POST', '/api/v1/dossiers', { as: 'reception1', json: { procedureCode: '1.001193', form: {} } })).status, 403);
    assert.equal((await denials(subOf('reception1'))).at(-1)!.entity_id, 'POST /api/v1/dossiers');
  });

  it('administrators and the auditor configure or audit but do not read dossiers', async () => {
    for (const who of ['admin1', 'unitadmin1', 'auditor1']) {
      assert.equal((await app.call('GET', '/api/v1/dossiers', { as: who })).status, 403, who);
      assert.equal((await app.call('GET', `/api/v1/dossiers/${code}`, { as: who })).status, 403, who);
      assert.equal((await act(who, code, 'receive')).status, 403, who);
    }
    assert.equal((await app.call('GET', '/api/v1/admin/units?limit=1', { as: 'unitadmin1' })).status, 200);
    assert.equal((await app.call('GET', '/api/v1/admin/units?limit=1', { as: 'auditor1' })).status, 403);
  });
});

describe('the auditor', () => {
  it('reads the audit log (the refusals among it) and its verification; administrators and officers do not', async () => {
    await app.call('GET', '/api/v1/admin/staff', { as: 'citizen2' });
    const r = await app.call('GET', '/api/v1/audit?action=access.&limit=500', { as: 'auditor1' });
    assert.equal(r.status, 200, JSON.stringify(r.body));
    assert.ok(r.body.items.length > 0);
    assert.ok(r.body.items.every((e: { action: string }) => e.action === 'access.denied'));
    assert.ok(r.body.items.some((e: { actorSub: string; entityId: string }) => e.actorSub === subOf('citizen2') && e.entityId === 'GET /api/v1/admin/staff'));
    const v = await app.call('GET', '/api/v1/audit/verification', { as: 'auditor1' });
    assert.equal(v.status, 200);
    assert.equal(v.body.ok, true);
    for (const who of ['admin1', 'unitadmin1', 'leader1', 'citizen1']) assert.equal((await app.call('GET', '/api/v1/audit', { as: who })).status, 403, who);
  });
});

describe('dossier codes cannot be probed', () => {
  it('another person\'s dossier is 404, exactly like a code that does not exist', async () => {
    const mine = await app.call('GET', `/api/v1/dossiers/${code}`, { as: 'citizen1' });
    assert.equal(mine.status, 200);
    const other = await app.call('GET', `/api/v1/dossiers/${code}`, { as: 'citizen2' });
    const missing = code.replace(/\d{4}$/, (n) => String((Number(n) + 5000) % 10000).padStart(4, '0'));
    const none = await app.call('GET', `/api/v1/dossiers/${missing}`, { as: 'citizen2' });
    assert.equal(other.status, 404);
    assert.equal(none.status, 404);
    assert.deepEqual(Object.keys(other.body.error).sort(), Object.keys(none.body.error).sort());
    assert.equal(other.body.error.code, none.body.error.code);
    assert.equal((await act('citizen2', code, 'withdraw')).status, 404);
    const list = await app.call('GET', '/api/v1/dossiers', { as: 'citizen2' });
    assert.ok(!list.body.items.some((d: { code: string }) => d.code === code));
  });
});

describe('two communes', () => {
  it('an officer of Tân Giang neither sees nor acts on a Thục Phán dossier; Thục Phán\'s officer does', async () => {
    const theirs = await app.call('GET', '/api/v1/dossiers?limit=200', { as: 'reception2' });
    assert.equal(theirs.status, 200);
    assert.ok(!theirs.body.items.some((d: { code: string }) => d.code === code));
    assert.equal((await app.call('GET', `/api/v1/dossiers/${code}`, { as: 'reception2' })).status, 404);
    assert.equal((await act('reception2', code, 'receive')).status, 404);
    const ours = await app.call('GET', '/api/v1/dossiers?limit=200', { as: 'reception1' });
    assert.ok(ours.body.items.some((d: { code: string }) => d.code === code));
    const got = await app.call('GET', `/api/v1/dossiers/${code}`, { as: 'reception1' });
    assert.ok(got.body.allowedActions.some((a: { name: string }) => a.name === 'receive'));
    // Nothing changed by the refused attempt.
    assert.equal(got.body.status, 'submitted');
  });

  it('the token\'s agency and roles do not count: a Thục Phán grant given to the Tân Giang officer opens the dossier, its revocation closes it', async () => {
    const g = await app.call('POST', `/api/v1/admin/staff/${subOf('reception2')}/grants`, { as: 'admin1', json: { unitCode: THUC_PHAN, role: 'reception' } });
    assert.equal(g.status, 201, JSON.stringify(g.body));
    assert.equal((await app.call('GET', `/api/v1/dossiers/${code}`, { as: 'reception2' })).status, 200);
    const rv = await app.call('DELETE', `/api/v1/admin/staff/${subOf('reception2')}/grants/${g.body.id}`, { as: 'admin1' });
    assert.equal(rv.status, 200);
    assert.equal((await app.call('GET', `/api/v1/dossiers/${code}`, { as: 'reception2' })).status, 404);
  });

  it('a citizen made staff is seen as staff at the next request (nothing stale remembered in this process)', async () => {
    assert.equal((await app.call('GET', '/api/v1/dossiers', { as: 'citizen3' })).body.items.length, 0);
    assert.equal((await app.call('PUT', `/api/v1/admin/staff/${subOf('citizen3')}`, { as: 'admin1', json: { name: 'Nông Minh Đức' } })).status, 201);
    assert.equal((await app.call('POST', `/api/v1/admin/staff/${subOf('citizen3')}/grants`, { as: 'admin1', json: { unitCode: TAN_GIANG, role: 'specialist' } })).status, 201);
    const r = await app.call('GET', '/api/v1/admin/staff/' + subOf('citizen3'), { as: 'admin1' });
    assert.equal(r.status, 200);
    const me = await app.call('GET', '/auth/me', { as: 'citizen3' });
    assert.deepEqual(me.body.principal.roles.sort(), ['citizen', 'specialist']);
    assert.equal(me.body.principal.agencyCode, TAN_GIANG);
  });
});

describe('a leader approves within their unit', () => {
  it('a leader of Tân Giang who is also reception in Thục Phán cannot approve a Thục Phán dossier; Thục Phán\'s leader can', async () => {
    const c = await submit('citizen2');
    assert.equal((await act('reception1', c, 'receive')).status, 200);
    assert.equal((await act('reception1', c, 'assign', { assignee: subOf('specialist1') })).status, 200);
    assert.equal((await act('specialist1', c, 'start_processing')).status, 200);
    const draft = await upload(app, 'specialist1');
    const waiting = await act('specialist1', c, 'submit_for_approval', { draftResultFileId: draft });
    assert.equal(waiting.body.status, 'awaiting_approval', JSON.stringify(waiting.body));

    for (const [unitCode, role] of [[TAN_GIANG, 'leader'], [THUC_PHAN, 'reception']]) {
      const g = await app.call('POST', `/api/v1/admin/staff/${subOf('reception2')}/grants`, { as: 'admin1', json: { unitCode, role } });
      assert.ok(g.status === 201 || g.status === 200, JSON.stringify(g.body));
    }
    const seen = await app.call('GET', `/api/v1/dossiers/${c}`, { as: 'reception2' });
    assert.equal(seen.status, 200);
    assert.ok(!seen.body.allowedActions.some((x: { name: string }) => x.name === 'approve'));
    const refused = await act('reception2', c, 'approve');
    assert.equal(refused.status, 403, JSON.stringify(refused.body));
    assert.equal((await app.call('GET', `/api/v1/dossiers/${c}`, { as: 'citizen2' })).body.status, 'awaiting_approval');
    const approved = await act('leader1', c, 'approve');
    assert.equal(approved.status, 200, JSON.stringify(approved.body));
    assert.equal(approved.body.status, 'approved');
  });
});

describe('a removed staff member', () => {
  it('stops at the next request: the token is refused (401) and the browser session ends; reinstated, the token works again', async () => {
    const b = new Browser();
    await b.navigate(`${app.url}/auth/login?returnTo=${encodeURIComponent('/auth/me')}`, 'leader1');
    assert.equal((await b.fetch(`${app.url}/api/v1/dossiers`)).status, 200);
    assert.equal((await app.call('GET', `/api/v1/dossiers/${code}`, { as: 'leader1' })).status, 200);

    const off = await app.call('PUT', `/api/v1/admin/staff/${subOf('leader1')}`, { as: 'admin1', json: { name: findDemoAccount('leader1')!.name, active: false } });
    assert.equal(off.status, 200, JSON.stringify(off.body));
    const r = await app.call('GET', `/api/v1/dossiers/${code}`, { as: 'leader1' });
    assert.equal(r.status, 401);
    assert.equal(r.body.error.reason, 'staff_removed');
    assert.equal((await app.call('GET', '/api/v1/dossiers', { as: 'leader1' })).status, 401);
    assert.equal((await b.fetch(`${app.url}/api/v1/dossiers`)).status, 401);
    assert.equal((await b.fetch(`${app.url}/auth/me`)).status, 401);
    // Public pages still answer, as to anyone.
    assert.equal((await app.call('GET', '/api/v1/procedures/1.001193', { as: 'leader1' })).status, 200);

    const ended = await app.motcua.db.query<{ n: number }>('SELECT count(*)::int AS n FROM auth_sessions WHERE sub = $1 AND revoked_at IS NULL', [subOf('leader1')]);
    assert.equal(ended.rows[0]!.n, 0, 'the browser sessions are ended with the deactivation');

    assert.equal((await app.call('PUT', `/api/v1/admin/staff/${subOf('leader1')}`, { as: 'admin1', json: { name: findDemoAccount('leader1')!.name, active: true } })).status, 200);
    assert.equal((await app.call('GET', `/api/v1/dossiers/${code}`, { as: 'leader1' })).status, 200);
    // The token works again; the ended browser session does not come back (a new login is needed).
    assert.equal((await b.fetch(`${app.url}/api/v1/dossiers`)).status, 401);
  });

  it('a revoked role stops at the next request even though the token still names it', async () => {
    const staff = await app.call('GET', `/api/v1/admin/staff/${subOf('specialist1')}`, { as: 'admin1' });
    const grant = staff.body.effectiveRoles.find((g: { role: string; unitCode: string }) => g.role === 'specialist' && g.unitCode === THUC_PHAN);
    assert.ok(grant, JSON.stringify(staff.body));
    assert.equal((await app.call('GET', '/api/v1/dossiers', { as: 'specialist1' })).status, 200);
    assert.equal((await app.call('DELETE', `/api/v1/admin/staff/${subOf('specialist1')}/grants/${grant.grantId}`, { as: 'admin1' })).status, 200);
    const r = await app.call('GET', '/api/v1/dossiers', { as: 'specialist1' });
    assert.equal(r.status, 403);
    assert.equal((await app.call('GET', `/api/v1/dossiers/${code}`, { as: 'specialist1' })).status, 403);
  });
});
