/**
 * The stores behind the tracking pages on a real dossier (runs on PGlite and PostgreSQL):
 * ratings (only the applicant, or another login of the same business; only after the result is returned; once), the public
 * lookup (code + last 4 digits, the same "nothing" for every wrong pair) and notifications.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { startTestApp, TINY_PDF, upload, type TestApp } from '../support/app.ts';
import { DEMO_ACCOUNTS } from '../../src/modules/identity/demo-accounts.ts';
import example from '../../src/modules/catalogue/demo/examples/1.001193.json' with { type: 'json' };
import example4873 from '../../src/modules/catalogue/demo/examples/1.004873.json' with { type: 'json' };
import { findCurrentProcedure, saveProcedureVersion } from '../../src/modules/catalogue/store.ts';
import { createRatingService } from '../../src/modules/ratings/index.ts';
import { notificationsFor, publicLookup } from '../../src/modules/dossiers/reads.ts';
import { AppError } from '../../src/shared/errors.ts';

let app: TestApp;
before(async () => {
  app = await startTestApp();
});
after(async () => {
  await app?.close();
});

const account = (name: string) => DEMO_ACCOUNTS.find((a) => a.account === name)!;
const principal = (name: string) => ({ sub: account(name).sub, roles: [...account(name).roles] });

async function act(who: string, code: string, name: string, json: unknown = {}): Promise<void> {
  const r = await app.call('POST', `/api/v1/dossiers/${code}/actions/${name}`, { as: who, json });
  assert.equal(r.status, 200, `${name}: ${JSON.stringify(r.body)}`);
}

test('rating, public lookup and notifications of a returned dossier', async () => {
  const fileId = await upload(app, 'citizen1', Buffer.concat([TINY_PDF, Buffer.from('% track\n')]));
  const form = structuredClone(example) as Record<string, any>;
  form.birthEvidence.file = fileId;
  const sub = await app.call('POST', '/api/v1/dossiers', { as: 'citizen1', json: { procedureCode: '1.001193', agencyCode: '000.00.04.H12', form } });
  assert.equal(sub.status, 201, JSON.stringify(sub.body));
  const code = sub.body.code as string;
  const db = app.motcua.db;
  const ratings = createRatingService({ db });

  const refused = async (p: ReturnType<typeof principal>, c: string, score: unknown, want: string) => {
    await assert.rejects(ratings.rate(p, c, { score }), (e: unknown) => e instanceof AppError && e.code === want);
  };
  await refused(principal('citizen1'), code, '5', 'not_rateable_yet');

  await act('reception1', code, 'receive');
  await act('reception1', code, 'assign', { assignee: account('specialist1').sub });
  await act('specialist1', code, 'start_processing');
  const draft = await upload(app, 'specialist1', Buffer.concat([TINY_PDF, Buffer.from('% result\n')]), 'ket-qua.pdf');
  await act('specialist1', code, 'submit_for_approval', { draftResultFileId: draft });
  await act('leader1', code, 'approve');
  await act('reception1', code, 'return_result');

  await refused(principal('citizen2'), code, '5', 'not_found');
  await refused(principal('citizen1'), code, '9', 'invalid_rating');
  await refused(principal('citizen1'), 'not-a-code', '5', 'not_found');
  const r = await ratings.rate(principal('citizen1'), code, { score: '4', comment: 'Tốt' });
  assert.equal(r.score, 4);
  await refused(principal('citizen1'), code, '1', 'already_rated');
  assert.deepEqual(await ratings.find(code).then((x) => [x?.score, x?.comment]), [4, 'Tốt']);
  const now = new Date();
  const s = await ratings.summary('000.00.04.H12', new Date(now.getTime() - 86_400_000), new Date(now.getTime() + 86_400_000));
  assert.deepEqual(s, { count: 1, mean: 4, satisfied: 1 });
  const audit = await db.query<{ n: number }>("SELECT count(*)::int AS n FROM audit_log WHERE entity_id = $1 AND action = 'dossier.rate'", [code]);
  assert.equal(audit.rows[0]!.n, 1);
  const outbox = await db.query<{ n: number }>("SELECT count(*)::int AS n FROM outbox WHERE key = $1 AND topic = 'dossier.rated'", [code]);
  assert.equal(outbox.rows[0]!.n, 1);

  const last4 = account('citizen1').personalId!.slice(-4);
  const found = await publicLookup(db, code, last4);
  assert.equal(found?.status, 'returned');
  assert.deepEqual(found?.events.map((e) => e.statusTo).slice(0, 2), ['submitted', 'received']);
  assert.ok(!JSON.stringify(found).includes('Nông Thị Hạnh'), 'no personal data');
  assert.equal(await publicLookup(db, code, last4 === '0000' ? '1111' : '0000'), undefined);
  assert.equal(await publicLookup(db, '000.00.04.H12-200101-9999', last4), undefined);
  assert.equal(await publicLookup(db, code, '12'), undefined);

  const notes = await notificationsFor(db, account('citizen1').sub);
  assert.equal(notes[0]?.type, 'dossier.result_returned');
  assert.equal(notes.at(-1)?.type, 'dossier.submitted');
  assert.equal((await notificationsFor(db, account('citizen2').sub)).length, 0);
});

test('another login of the same business rates its returned dossier; a business with another tax code cannot see it', async () => {
  // The demo procedures are for citizens; let this one admit businesses too.
  const db = app.motcua.db;
  const proc = (await findCurrentProcedure(db, '1.004873'))!;
  await db.transaction((tx) => saveProcedureVersion(tx, { ...proc, applicantTypes: ['citizen', 'business'] }));
  const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}/g;
  const fileId = await upload(app, 'business1', Buffer.concat([TINY_PDF, Buffer.from('% business rating\n')]));
  const form = JSON.parse(JSON.stringify(example4873).replace(UUID, fileId)) as Record<string, unknown>;
  const sub = await app.call('POST', '/api/v1/dossiers', { as: 'business1', json: { procedureCode: '1.004873', agencyCode: '000.00.04.H12', form } });
  assert.equal(sub.status, 201, JSON.stringify(sub.body));
  const code = sub.body.code as string;
  await act('reception1', code, 'receive');
  await act('reception1', code, 'assign', { assignee: account('specialist1').sub });
  await act('specialist1', code, 'start_processing');
  await act('specialist1', code, 'submit_for_approval');
  await act('leader1', code, 'approve');
  await act('reception1', code, 'return_result');

  const ratings = createRatingService({ db });
  const business = account('business1');
  const colleague = { sub: 'another-login-of-business1', roles: ['business'], taxCode: business.taxCode! };
  const stranger = { sub: 'another-business', roles: ['business'], taxCode: '0100109106' };
  await assert.rejects(ratings.rate(stranger, code, { score: '5' }), (e: unknown) => e instanceof AppError && e.code === 'not_found');
  const r = await ratings.rate(colleague, code, { score: '5' });
  assert.equal(r.score, 5);
  await assert.rejects(ratings.rate({ sub: business.sub, roles: ['business'], taxCode: business.taxCode! }, code, { score: '4' }), (e: unknown) => e instanceof AppError && e.code === 'already_rated');
});
