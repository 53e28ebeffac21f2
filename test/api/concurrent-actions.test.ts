/**
 * Two officers acting on one dossier at once: one action is taken, the other is refused
 * with 409 (the state changed under it), never a 500. Runs on PGlite and, with
 * TEST_DATABASE_URL, on a PostgreSQL server, where the two requests really overlap.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { findDemoAccount } from '../../src/modules/identity/demo-accounts.ts';
import { startTestApp, upload, type TestApp } from '../support/app.ts';

const AGENCY = '000.00.04.H12';
const example = JSON.parse(readFileSync(new URL('../../src/modules/catalogue/demo/examples/1.001193.json', import.meta.url), 'utf8')) as Record<string, unknown>;
const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}/g;
const specialistSub = findDemoAccount('specialist1')!.sub;
const ROUNDS = 5;

let app: TestApp;
before(async () => {
  app = await startTestApp();
});
after(async () => {
  await app?.close();
});

async function submitBirth(): Promise<string> {
  const fileId = await upload(app, 'citizen1');
  const form = JSON.parse(JSON.stringify(example).replace(UUID, fileId)) as Record<string, unknown>;
  const r = await app.call('POST', '/api/v1/dossiers', { as: 'citizen1', json: { procedureCode: '1.001193', agencyCode: AGENCY, form } });
  assert.equal(r.status, 201, JSON.stringify(r.body));
  return r.body.code as string;
}

const act = (as: string, code: string, action: string, input: unknown = {}) =>
  app.call('POST', `/api/v1/dossiers/${encodeURIComponent(code)}/actions/${action}`, { as, json: input });

/** Both answers of a race: exactly one taken (200), the other a 409 with a bilingual message. */
function oneTakenOneConflict(answers: { status: number; body: any }[]): void {
  const statuses = answers.map((a) => a.status).sort();
  assert.deepEqual(statuses, [200, 409], JSON.stringify(answers.map((a) => a.body)));
  const refused = answers.find((a) => a.status === 409)!;
  assert.equal(typeof refused.body.error.code, 'string');
  assert.ok(refused.body.error.message.vi && refused.body.error.message.en, 'the refusal is bilingual');
}

describe('two officers acting on one dossier at once', () => {
  it('two receptions of the same dossier: one 200, one 409, never 500', async () => {
    await app.token('reception1');
    for (let i = 0; i < ROUNDS; i++) {
      const code = await submitBirth();
      const answers = await Promise.all([act('reception1', code, 'receive'), act('reception1', code, 'receive')]);
      oneTakenOneConflict(answers);
      const d = await app.call('GET', `/api/v1/dossiers/${encodeURIComponent(code)}`, { as: 'reception1' });
      assert.equal(d.body.status, 'received');
      assert.equal(d.body.history.filter((e: { action: string | null }) => e.action === 'receive').length, 1, 'the action is recorded once');
    }
  });

  it('two officers assigning the same specialist at once: one is taken, the other refused by the new state, never 500', async () => {
    for (let i = 0; i < ROUNDS; i++) {
      const code = await submitBirth();
      assert.equal((await act('reception1', code, 'receive')).status, 200);
      const answers = await Promise.all([act('reception1', code, 'assign', { assignee: specialistSub }), act('leader1', code, 'assign', { assignee: specialistSub })]);
      const taken = answers.filter((a) => a.status === 200);
      const refused = answers.filter((a) => a.status !== 200);
      assert.equal(taken.length, 1, JSON.stringify(answers.map((a) => a.body)));
      // The second sees the dossier already assigned to that specialist (422 naming /input/assignee), or the state moved on (409).
      assert.ok([409, 422].includes(refused[0]!.status), JSON.stringify(refused[0]!.body));
      assert.ok(refused[0]!.body.error.message.vi && refused[0]!.body.error.message.en);
      const d = await app.call('GET', `/api/v1/dossiers/${encodeURIComponent(code)}`, { as: 'reception1' });
      const seqs = d.body.history.map((e: { seq: number }) => e.seq);
      assert.deepEqual(seqs, seqs.map((_: number, k: number) => k + 1), 'the history has no gap and no duplicate');
      assert.equal(d.body.history.filter((e: { action: string | null }) => e.action === 'assign').length, 1);
    }
  });

  it('the specialist starting processing twice at once: one 200, one 409', async () => {
    for (let i = 0; i < ROUNDS; i++) {
      const code = await submitBirth();
      assert.equal((await act('reception1', code, 'receive')).status, 200);
      assert.equal((await act('reception1', code, 'assign', { assignee: specialistSub })).status, 200);
      oneTakenOneConflict(await Promise.all([act('specialist1', code, 'start_processing'), act('specialist1', code, 'start_processing')]));
    }
  });
});

describe('two administrators granting the same role at once', () => {
  it('one grant is created; the other answers 200 or 409 (the unique index decides), never 500', async () => {
    for (let i = 0; i < ROUNDS; i++) {
      const sub = `officer-race-${i}`;
      assert.equal((await app.call('PUT', `/api/v1/admin/staff/${sub}`, { as: 'admin1', json: { name: `Cán bộ ${i}` } })).status, 201);
      const grant = () => app.call('POST', `/api/v1/admin/staff/${sub}/grants`, { as: 'admin1', json: { unitCode: AGENCY, role: 'reception' } });
      const answers = await Promise.all([grant(), grant()]);
      assert.equal(answers.filter((a) => a.status === 201).length, 1, JSON.stringify(answers.map((a) => a.body)));
      for (const a of answers) assert.ok([200, 201, 409].includes(a.status), JSON.stringify(a.body));
      const conflict = answers.find((a) => a.status === 409);
      if (conflict) assert.equal(conflict.body.error.code, 'already_exists');
      const n = await app.motcua.db.query<{ n: number }>('SELECT count(*)::int AS n FROM role_grants WHERE sub = $1 AND revoked_at IS NULL', [sub]);
      assert.equal(n.rows[0]!.n, 1);
    }
  });
});
