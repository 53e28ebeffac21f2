/**
 * Search over the offered procedures through the API, with the whole shared national
 * catalogue imported and offered (as in the demo). Runs on PGlite and on PostgreSQL
 * with the same expectations: the results are the same on both.
 */
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { after, before, describe, it } from 'node:test';
import { DEMO_OFFER_AT, importCatalogueFile } from '../../src/modules/catalogue/import-file.ts';
import { startTestApp, type TestApp } from '../support/app.ts';

const SHARED = new URL('../../../shared/data/procedures/procedures.jsonl', import.meta.url);

describe('procedure search', { skip: !existsSync(SHARED) && 'the shared catalogue (../shared/data) is not beside this checkout' }, () => {
  let app: TestApp;
  before(async () => {
    app = await startTestApp();
    await importCatalogueFile(app.motcua.db, fileURLToPath(SHARED), { actorSub: 'test', offerAt: DEMO_OFFER_AT });
  });
  after(async () => {
    await app?.close();
  });

  const find = (query: string) => app.call('GET', `/api/v1/procedures?${query}`);

  it('finds what citizens mean: no tone marks, their own words, typos; the common procedure first', async () => {
    const cases: [string, string][] = [
      ['q=lam%20giay%20khai%20sinh', '1.001193'],
      ['q=' + encodeURIComponent('đăng ký khai sinh'), '1.001193'],
      ['q=' + encodeURIComponent('giấy xác nhận độc thân'), '1.004873'],
      ['q=dang%20ki%20ket%20hon', '1.000894'],
      ['q=khai%20sihn', '1.001193'],
    ];
    for (const [query, code] of cases) {
      const r = await find(query);
      assert.equal(r.status, 200);
      assert.equal(r.body.items[0]?.code, code, `${decodeURIComponent(query)} → ${r.body.items.slice(0, 3).map((i: { code: string; name: string }) => `${i.code} ${i.name}`).join(' | ')}`);
      assert.ok(r.body.items[0].name && r.body.items[0].legalProcessingDays >= 0);
    }
  });

  it('filters and counts facets', async () => {
    const all = await find('q=khai%20sinh');
    assert.ok(all.body.total > 1);
    assert.ok(Object.keys(all.body.facets.level).length >= 1);
    const commune = await find('q=khai%20sinh&level=commune');
    assert.equal(commune.status, 200);
    assert.ok(commune.body.total <= all.body.total);
    assert.equal(commune.body.total, all.body.facets.level.commune ?? 0);
    for (const i of commune.body.items) assert.equal(i.level === 'commune' || i.agencyCodes.length > 0, true);
  });

  it('refuses a query over 200 characters and unknown filter values with 400 naming them; odd Unicode is not an error', async () => {
    const long = await find(`q=${'a'.repeat(201)}`);
    assert.equal(long.status, 400);
    assert.equal(long.body.error.field, 'query.q');
    assert.ok(long.body.error.message.vi && long.body.error.message.en);
    const level = await find('level=galaxy');
    assert.equal(level.status, 400);
    assert.equal(level.body.error.field, 'query.level');
    const unknownParam = await find('colour=red');
    assert.equal(unknownParam.status, 400);
    for (const odd of ['', '%20%20', encodeURIComponent('\u200b\u200e\u0301'), encodeURIComponent('😀 khai sinh'), encodeURIComponent('k\u0068\u0061\u0301i sinh'), '%00', '%ED%A0%80', '%FF%FE']) {
      const r = await find(`q=${odd}`);
      assert.ok(r.status === 200 || r.status === 400, `${odd}: ${r.status}`);
    }
  });

  it('a procedure no longer offered anywhere is no longer found', async () => {
    const before = await find('q=' + encodeURIComponent('cấp giấy xác nhận tình trạng hôn nhân'));
    assert.equal(before.body.items[0].code, '1.004873');
    for (const agency of before.body.items[0].agencyCodes as string[]) {
      const r = await app.call('PUT', `/api/v1/admin/offerings/1.004873/${agency}`, { as: 'admin1', json: { onlineLevel: 'full', active: false } });
      assert.equal(r.status, 200, JSON.stringify(r.body));
    }
    const after = await find('q=' + encodeURIComponent('cấp giấy xác nhận tình trạng hôn nhân'));
    assert.ok(after.body.items.every((i: { code: string }) => i.code !== '1.004873'));
  });
});
