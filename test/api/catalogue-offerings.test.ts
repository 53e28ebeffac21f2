/**
 * What the province offers, configured by an administrator over the API: a shortened
 * deadline reaches the dossiers submitted afterwards; an agency that stops offering a
 * procedure stops receiving it; every change is audited.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { startTestApp, type TestApp } from '../support/app.ts';

const CODE = '1.004873'; // cấp giấy xác nhận tình trạng hôn nhân: 3 working days in law
const TAN_GIANG = '000.00.05.H12';
const example = JSON.parse(readFileSync(new URL(`../../src/modules/catalogue/demo/examples/${CODE}.json`, import.meta.url), 'utf8')) as unknown;

let app: TestApp;
before(async () => {
  app = await startTestApp();
});
after(async () => {
  await app?.close();
});

const put = (as: string, code: string, agency: string, json: unknown) => app.call('PUT', `/api/v1/admin/offerings/${code}/${agency}`, { as, json });
const submitTo = (agencyCode: string) => app.call('POST', '/api/v1/dossiers', { as: 'citizen2', json: { procedureCode: CODE, agencyCode, form: example } });

describe('offerings', () => {
  it('the detail of a procedure says where to apply, with the local deadline', async () => {
    const r = await app.call('GET', `/api/v1/procedures/${CODE}`);
    assert.equal(r.status, 200);
    const codes = r.body.offerings.map((o: { agencyCode: string }) => o.agencyCode);
    assert.ok(codes.includes(TAN_GIANG), codes.join());
    const tg = r.body.offerings.find((o: { agencyCode: string }) => o.agencyCode === TAN_GIANG);
    assert.equal(tg.processingDays, r.body.legalProcessingDays);
    assert.ok(tg.agencyName);
  });

  it('an administrator shortens the deadline at one agency; later dossiers there count with it', async () => {
    const legal = (await app.call('GET', `/api/v1/procedures/${CODE}`)).body.legalProcessingDays as number;
    assert.ok(legal >= 2, 'the law gives more than one day');
    const r = await put('admin1', CODE, TAN_GIANG, { onlineLevel: 'full', processingDays: legal - 1 });
    assert.equal(r.status, 200, JSON.stringify(r.body));
    const detail = await app.call('GET', `/api/v1/procedures/${CODE}`);
    assert.equal(detail.body.offerings.find((o: { agencyCode: string }) => o.agencyCode === TAN_GIANG).processingDays, legal - 1);

    const sub = await submitTo(TAN_GIANG);
    assert.equal(sub.status, 201, JSON.stringify(sub.body));
    assert.equal(sub.body.history[0].data.legalProcessingDays, legal - 1);
    const audit = await app.motcua.db.query<{ actor_sub: string }>("SELECT actor_sub FROM audit_log WHERE action = 'catalogue.offering.set' AND entity_id = $1", [`${CODE}@${TAN_GIANG}`]);
    assert.equal(audit.rows.length, 1);
  });

  it('refuses a longer deadline than the law, partial online without its reason, each naming the field, and changes nothing', async () => {
    const before = (await app.call('GET', `/api/v1/procedures/${CODE}`)).body.offerings;
    const longer = await put('admin1', CODE, TAN_GIANG, { onlineLevel: 'full', processingDays: 365 });
    assert.equal(longer.status, 422);
    assert.equal(longer.body.error.field, '/processingDays');
    assert.ok(longer.body.error.details[0].message.vi && longer.body.error.details[0].message.en);
    const partial = await put('admin1', CODE, TAN_GIANG, { onlineLevel: 'partial' });
    assert.equal(partial.status, 422);
    assert.equal(partial.body.error.field, '/onlineLevelReason');
    const bad = await put('admin1', CODE, TAN_GIANG, { onlineLevel: 'sometimes' });
    assert.equal(bad.status, 400);
    assert.equal(bad.body.error.field, '/onlineLevel');
    assert.deepEqual((await app.call('GET', `/api/v1/procedures/${CODE}`)).body.offerings, before);
  });

  it('only administrators configure offerings; unknown procedures and agencies are 404', async () => {
    assert.equal((await put('citizen1', CODE, TAN_GIANG, { onlineLevel: 'full' })).status, 403);
    assert.equal((await put('reception1', CODE, TAN_GIANG, { onlineLevel: 'full' })).status, 403);
    assert.equal((await app.call('PUT', `/api/v1/admin/offerings/${CODE}/${TAN_GIANG}`, { json: { onlineLevel: 'full' } })).status, 401);
    const noProc = await put('admin1', '9.999999', TAN_GIANG, { onlineLevel: 'full' });
    assert.equal(noProc.status, 404);
    const noAgency = await put('admin1', CODE, '000.00.99.H12', { onlineLevel: 'full' });
    assert.equal(noAgency.status, 404);
    assert.equal(noAgency.body.error.field, 'agencyCode');
    const list = await app.call('GET', `/api/v1/admin/offerings?agencyCode=${TAN_GIANG}`, { as: 'admin1' });
    assert.equal(list.status, 200);
    assert.ok(list.body.items.every((o: { agencyCode: string }) => o.agencyCode === TAN_GIANG));
    assert.equal((await app.call('GET', '/api/v1/admin/offerings', { as: 'citizen1' })).status, 403);
  });

  it('an agency that stops offering a procedure no longer receives it', async () => {
    const off = await put('admin1', CODE, TAN_GIANG, { onlineLevel: 'full', active: false });
    assert.equal(off.status, 200);
    const r = await submitTo(TAN_GIANG);
    assert.equal(r.status, 422);
    assert.equal(r.body.error.field, '/agencyCode');
    assert.ok(!(await app.call('GET', `/api/v1/procedures/${CODE}`)).body.offerings.some((o: { agencyCode: string }) => o.agencyCode === TAN_GIANG));
  });
});
