/**
 * Officers' inputs the workflow checks against the organisation and the documents module:
 * an assignee must be an active specialist of the unit holding the dossier (and the
 * assign action's schema lists them); a result an officer gives is signed like a drafted
 * one and reaches the applicant; the published schemas say what the server accepts.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { findDemoAccount } from '../../src/modules/identity/demo-accounts.ts';
import { libPdf } from '../support/pdfs.ts';
import { startTestApp, upload, type TestApp } from '../support/app.ts';

const AGENCY = '000.00.04.H12';
const OTHER_AGENCY = '000.00.05.H12';
const example = JSON.parse(readFileSync(new URL('../../src/modules/catalogue/demo/examples/1.001193.json', import.meta.url), 'utf8')) as Record<string, unknown>;
const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}/g;
const sub = (account: string): string => findDemoAccount(account)!.sub;

const OTHER_UNIT_SPECIALIST = 'test-specialist-tan-giang';
const GONE_SPECIALIST = 'test-specialist-deactivated';

let app: TestApp;
before(async () => {
  app = await startTestApp();
  // A specialist of another unit, and a specialist of this unit whose staff record is deactivated.
  for (const [s, name, unit, active] of [[OTHER_UNIT_SPECIALIST, 'Lý Văn Khác', OTHER_AGENCY, true], [GONE_SPECIALIST, 'Đàm Thị Nghỉ', AGENCY, false]] as const) {
    await app.motcua.db.query('INSERT INTO staff (sub, name, active) VALUES ($1, $2, $3)', [s, name, active]);
    await app.motcua.db.query(
      "INSERT INTO role_grants (id, sub, unit_code, role, valid_from, granted_by, granted_at) VALUES (gen_random_uuid(), $1, $2, 'specialist', '2020-01-01T00:00:00Z', 'test', '2020-01-01T00:00:00Z')",
      [s, unit],
    );
  }
});
after(async () => {
  await app?.close();
});

const act = (as: string, code: string, action: string, input: unknown = {}) => app.call('POST', `/api/v1/dossiers/${encodeURIComponent(code)}/actions/${action}`, { as, json: input });

async function received(): Promise<string> {
  const fileId = await upload(app, 'citizen1');
  const form = JSON.parse(JSON.stringify(example).replace(UUID, fileId)) as Record<string, unknown>;
  const r = await app.call('POST', '/api/v1/dossiers', { as: 'citizen1', json: { procedureCode: '1.001193', agencyCode: AGENCY, form } });
  assert.equal(r.status, 201, JSON.stringify(r.body));
  const code = r.body.code as string;
  assert.equal((await act('reception1', code, 'receive')).status, 200);
  return code;
}

async function processing(): Promise<string> {
  const code = await received();
  assert.equal((await act('reception1', code, 'assign', { assignee: sub('specialist1') })).status, 200);
  assert.equal((await act('specialist1', code, 'start_processing')).status, 200);
  return code;
}

async function verify(bytes: Uint8Array): Promise<{ valid: boolean; signatures: unknown[]; problems: string[] }> {
  const form = new FormData();
  form.set('file', new Blob([new Uint8Array(bytes)], { type: 'application/pdf' }), 'ket-qua.pdf');
  return (await app.call('POST', '/api/v1/verify', { body: form })).body;
}

async function download(path: string, as: string): Promise<{ status: number; bytes: Buffer }> {
  const res = await fetch(`${app.url}${path}`, { headers: { authorization: `Bearer ${await app.token(as)}` } });
  return { status: res.status, bytes: Buffer.from(await res.arrayBuffer()) };
}

describe('assign: the assignee is an active specialist of the unit holding the dossier', () => {
  it('refuses anyone else with 422 naming /input/assignee, and the dossier stays received', async () => {
    const code = await received();
    const wrong = [
      ['nobody', 'no-such-person'],
      ['a citizen', sub('citizen1')],
      ['a specialist of another unit', OTHER_UNIT_SPECIALIST],
      ['an officer of the unit who is not a specialist', sub('reception1')],
      ['a deactivated specialist', GONE_SPECIALIST],
    ];
    for (const [who, assignee] of wrong) {
      const r = await act('reception1', code, 'assign', { assignee });
      assert.equal(r.status, 422, `${who}: ${JSON.stringify(r.body)}`);
      assert.equal(r.body.error.field, '/input/assignee', who);
      assert.ok(r.body.error.details.some((d: { field: string; code: string }) => d.field === '/input/assignee' && d.code === 'not_a_specialist_of_unit'), who);
      const detail = r.body.error.details.find((x: { field: string }) => x.field === '/input/assignee');
      assert.match(JSON.stringify(detail.message), /chuyên viên/);
      assert.match(JSON.stringify(detail.message), /specialist/);
    }
    const d = await app.call('GET', `/api/v1/dossiers/${code}`, { as: 'reception1' });
    assert.equal(d.body.status, 'received');
    assert.equal(d.body.assigneeSub, null);
    assert.equal((await act('reception1', code, 'assign', { assignee: sub('specialist1') })).body.status, 'assigned');
  });

  it("the assign action's input schema lists the unit's active specialists as the choices, by name", async () => {
    const code = await received();
    const d = await app.call('GET', `/api/v1/dossiers/${code}`, { as: 'reception1' });
    const assign = d.body.allowedActions.find((a: { name: string }) => a.name === 'assign');
    const field = assign.input.properties.assignee;
    assert.deepEqual(field.oneOf, [{ const: sub('specialist1'), title: findDemoAccount('specialist1')!.name }]);
    assert.match(field['x-choices-from'], new RegExp(`active specialists of unit ${AGENCY.replace(/\./g, '\\.')}`));
  });
});

describe('a result an officer gives is signed, and the applicant receives it', () => {
  it("the specialist's own PDF is signed at submission and countersigned at approval; the applicant downloads it and it verifies", async () => {
    const code = await processing();
    const own = await upload(app, 'specialist1', await libPdf({ note: 'Ket qua cua chuyen vien' }), 'ket-qua-chuyen-vien.pdf');
    const submitted = await act('specialist1', code, 'submit_for_approval', { draftResultFileId: own });
    assert.equal(submitted.status, 200, JSON.stringify(submitted.body));
    const approved = await act('leader1', code, 'approve');
    assert.equal(approved.status, 200, JSON.stringify(approved.body));
    assert.notEqual(approved.body.resultFileId, own);
    const got = await download(`/api/v1/dossiers/${code}/result`, 'citizen1');
    assert.equal(got.status, 200);
    const v = await verify(got.bytes);
    assert.equal(v.valid, true, JSON.stringify(v.problems));
    assert.equal(v.signatures.length, 2);
  });

  it("the leader's own PDF given at approval is signed by the leader, and the applicant downloads it (not 404)", async () => {
    const code = await processing();
    assert.equal((await act('specialist1', code, 'submit_for_approval', {})).status, 200);
    const own = await upload(app, 'leader1', await libPdf({ note: 'Ket qua cua lanh dao' }), 'ket-qua-lanh-dao.pdf');
    const approved = await act('leader1', code, 'approve', { resultFileId: own });
    assert.equal(approved.status, 200, JSON.stringify(approved.body));
    assert.notEqual(approved.body.resultFileId, own);
    const got = await download(`/api/v1/dossiers/${code}/result`, 'citizen1');
    assert.equal(got.status, 200);
    const v = await verify(got.bytes);
    assert.equal(v.valid, true, JSON.stringify(v.problems));
    assert.equal(v.signatures.length, 1);
    assert.equal((await download(`/api/v1/dossiers/${code}/result`, 'leader1')).status, 200);
  });

  it('a result that is not a PDF is refused with 422 naming the field (it could not be signed)', async () => {
    const code = await processing();
    const png = Buffer.from('89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082', 'hex');
    const image = await upload(app, 'specialist1', png, 'anh.png', 'image/png');
    const r = await act('specialist1', code, 'submit_for_approval', { draftResultFileId: image });
    assert.equal(r.status, 422, JSON.stringify(r.body));
    assert.equal(r.body.error.field, '/input/draftResultFileId');
  });
});

describe('published schemas say what the server accepts', () => {
  it('submit_for_approval: draftResultFileId is optional (the server drafts the result without it)', async () => {
    const code = await processing();
    const d = await app.call('GET', `/api/v1/dossiers/${code}`, { as: 'specialist1' });
    const submit = d.body.allowedActions.find((a: { name: string }) => a.name === 'submit_for_approval');
    assert.ok(submit, JSON.stringify(d.body.allowedActions));
    assert.ok(!(submit.input.required ?? []).includes('draftResultFileId'), JSON.stringify(submit.input));
    assert.ok(submit.input.properties.draftResultFileId);
    const r = await act('specialist1', code, 'submit_for_approval', {});
    assert.equal(r.status, 200, JSON.stringify(r.body));
  });
});
