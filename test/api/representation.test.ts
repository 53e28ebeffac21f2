/**
 * Who a dossier is for: a business submits through the person acting for it (from the
 * identity provider's claims); a citizen submits for someone else with a power of
 * attorney; the identity assurance the province sets is required to submit.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { findCurrentProcedure, saveProcedureVersion } from '../../src/modules/catalogue/store.ts';
import { findDemoAccount } from '../../src/modules/identity/demo-accounts.ts';
import { startTestApp, TINY_PDF, upload, type TestApp } from '../support/app.ts';

const AGENCY = '000.00.04.H12';
const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}/g;
const example = (code: string): string => readFileSync(new URL(`../../src/modules/catalogue/demo/examples/${code}.json`, import.meta.url), 'utf8');
const formWith = (code: string, fileId: string): Record<string, unknown> => JSON.parse(example(code).replace(UUID, fileId)) as Record<string, unknown>;
const citizen1 = findDemoAccount('citizen1')!;
const business1 = findDemoAccount('business1')!;

let app: TestApp;
before(async () => {
  app = await startTestApp();
});
after(async () => {
  await app?.close();
});

async function myDossierCount(as: string): Promise<number> {
  const r = await app.call('GET', '/api/v1/dossiers?limit=100', { as });
  assert.equal(r.status, 200);
  return r.body.items.length;
}

describe('a business acts through its representative', () => {
  it('keeps the business and the person who acted for it', async () => {
    // The demo procedures are for citizens; let this one admit businesses too.
    const db = app.motcua.db;
    const p = (await findCurrentProcedure(db, '1.004873'))!;
    await db.transaction((tx) => saveProcedureVersion(tx, { ...p, applicantTypes: ['citizen', 'business'] }));
    const detail = await app.call('GET', '/api/v1/procedures/1.004873');
    const agencyCode = detail.body.offerings[0].agencyCode as string;
    const fileId = await upload(app, 'business1');
    const r = await app.call('POST', '/api/v1/dossiers', { as: 'business1', json: { procedureCode: '1.004873', agencyCode, form: formWith('1.004873', fileId) } });
    assert.equal(r.status, 201, JSON.stringify(r.body));
    assert.equal(r.body.applicant.type, 'business');
    assert.equal(r.body.applicant.taxCode, business1.taxCode);
    assert.equal(r.body.applicant.name, business1.name);
    assert.deepEqual(r.body.applicant.representative, business1.legalRepresentative);
  });
});

describe('submitting for someone else with a power of attorney', () => {
  it('makes the dossier the represented person’s, keeps who submitted it and links the power of attorney', async () => {
    const attachment = await upload(app, 'citizen1');
    const attorney = await upload(app, 'citizen1', Buffer.concat([TINY_PDF, Buffer.from('% giay uy quyen\n')]), 'giay-uy-quyen.pdf');
    const onBehalfOf = { personalId: '004190000123', fullName: 'Hoàng Văn Bình', powerOfAttorneyFileId: attorney };
    const r = await app.call('POST', '/api/v1/dossiers', { as: 'citizen1', json: { procedureCode: '1.001193', agencyCode: AGENCY, form: formWith('1.001193', attachment), onBehalfOf } });
    assert.equal(r.status, 201, JSON.stringify(r.body));
    assert.equal(r.body.applicant.personalId, onBehalfOf.personalId);
    assert.equal(r.body.applicant.name, onBehalfOf.fullName);
    assert.equal(r.body.applicant.submittedBy.personalId, citizen1.personalId);
    assert.equal(r.body.applicant.powerOfAttorneyFileId, attorney);
    // The one who submitted follows it; the officers see the power of attorney among its files.
    assert.equal((await app.call('GET', `/api/v1/dossiers/${r.body.code}`, { as: 'citizen1' })).status, 200);
    const seen = await app.call('GET', `/api/v1/dossiers/${r.body.code}`, { as: 'reception1' });
    assert.equal(seen.status, 200);
    assert.ok(seen.body.files.some((f: { role: string; fileId?: string; id?: string }) => f.role === 'power-of-attorney'), JSON.stringify(seen.body.files));
  });

  it('refuses a bad power of attorney, naming the field, and writes nothing', async () => {
    const attachment = await upload(app, 'citizen1');
    const mine = await upload(app, 'citizen1', Buffer.concat([TINY_PDF, Buffer.from('% uy quyen 2\n')]));
    const others = await upload(app, 'citizen2', Buffer.concat([TINY_PDF, Buffer.from('% citizen2 uy quyen\n')]));
    const before = await myDossierCount('citizen1');
    const cases: [Record<string, unknown>, string, string][] = [
      [{ personalId: '00419000012', fullName: 'Hoàng Văn Bình', powerOfAttorneyFileId: mine }, '/onBehalfOf/personalId', 'pattern'],
      [{ personalId: '004190000123', fullName: 'Hoàng Văn Bình' }, '/onBehalfOf/powerOfAttorneyFileId', 'required'],
      [{ personalId: '004190000123', fullName: '   ', powerOfAttorneyFileId: mine }, '/onBehalfOf/fullName', 'pattern'],
      [{ personalId: '004190000123', fullName: 'Hoàng Văn Bình', powerOfAttorneyFileId: others }, '/onBehalfOf/powerOfAttorneyFileId', 'file_not_found'],
      [{ personalId: citizen1.personalId!, fullName: citizen1.name, powerOfAttorneyFileId: mine }, '/onBehalfOf/personalId', 'self'],
    ];
    for (const [onBehalfOf, field, code] of cases) {
      const r = await app.call('POST', '/api/v1/dossiers', { as: 'citizen1', json: { procedureCode: '1.001193', agencyCode: AGENCY, form: formWith('1.001193', attachment), onBehalfOf } });
      assert.ok(r.status === 422 || r.status === 400, `${field}: ${r.status}`);
      const details: { field: string; code: string; message: { vi: string; en: string } }[] = r.body.error.details ?? [{ field: r.body.error.field, code: r.body.error.code, message: r.body.error.message }];
      const d = details.find((x) => x.field === field);
      assert.ok(d, `${field} named in ${JSON.stringify(r.body.error)}`);
      assert.equal(d.code, code, JSON.stringify(d));
      assert.ok(d.message.vi && d.message.en);
    }
    assert.equal(await myDossierCount('citizen1'), before);
  });
});

describe('identity assurance', () => {
  it('refuses to submit below the level the province sets, and says which level is needed', async () => {
    const strict = await startTestApp({ env: { MOTCUA_ACR_LEVELS: 'level1,level2,level3', MOTCUA_SUBMIT_MIN_ACR: 'level3' } });
    try {
      const fileId = await upload(strict, 'citizen1');
      const r = await strict.call('POST', '/api/v1/dossiers', { as: 'citizen1', json: { procedureCode: '1.001193', agencyCode: AGENCY, form: formWith('1.001193', fileId) } });
      assert.equal(r.status, 403);
      assert.equal(r.body.error.code, 'assurance_too_low');
      assert.equal(r.body.error.field, 'authorization');
      assert.match(r.body.error.message.vi, /level3/);
      assert.match(r.body.error.message.en, /level3/);
      const list = await strict.call('GET', '/api/v1/dossiers', { as: 'citizen1' });
      assert.equal(list.body.items.length, 0);
    } finally {
      await strict.close();
    }
  });
});
