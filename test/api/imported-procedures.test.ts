/**
 * Procedures imported from the national catalogue can be applied for online, over real
 * HTTP: a generated eForm, and for a procedure with several cases, the case the
 * applicant picks (its own deadline and eForm).
 */
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { DEMO_OFFER_AT, importCatalogueFile } from '../../src/modules/catalogue/import-file.ts';
import { parseNationalFile } from '../../src/modules/catalogue/import/index.ts';
import { startTestApp, TINY_PDF, upload, type TestApp } from '../support/app.ts';

const SHARED = new URL('../../../shared/data/procedures/procedures.jsonl', import.meta.url);
const present = existsSync(SHARED);

describe('imported procedures', { skip: !present && 'the shared catalogue (../shared/data) is not beside this checkout' }, () => {
  let app: TestApp;
  let dir: string;
  let plain: string;
  let withCases: string;
  before(async () => {
    const lines = readFileSync(SHARED, 'utf8').split('\n').filter(Boolean);
    const parsed = parseNationalFile(lines.join('\n'));
    // A citizen procedure without cases, and one with cases whose deadlines differ.
    const pick = (want: (e: Extract<(typeof parsed)[number], { ok: true }>['entry']) => boolean): number => parsed.findIndex((r) => r.ok && want(r.entry));
    const iPlain = pick((e) => e.variants.length === 0 && e.applicantTypes.includes('citizen') && e.documents.length >= 2 && e.channels.some((c) => c.channel === 'online'));
    const iCases = pick((e) => e.variants.length >= 2 && e.applicantTypes.includes('citizen'));
    assert.ok(iPlain >= 0 && iCases >= 0);
    dir = await mkdtemp(join(tmpdir(), 'motcua-imported-'));
    const file = join(dir, 'two.jsonl');
    await writeFile(file, `${lines[iPlain]}\n${lines[iCases]}\n`);
    app = await startTestApp();
    await importCatalogueFile(app.motcua.db, file, { actorSub: 'test', offerAt: DEMO_OFFER_AT });
    plain = (JSON.parse(lines[iPlain]!) as { ma_thu_tuc: string }).ma_thu_tuc;
    withCases = (JSON.parse(lines[iCases]!) as { ma_thu_tuc: string }).ma_thu_tuc;
  });
  after(async () => {
    await app?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  async function application(schema: any, as: string): Promise<unknown> {
    const docs: Record<string, string[]> = {};
    for (const k of Object.keys(schema.properties.documents.properties)) docs[k] = [await upload(app, as, Buffer.concat([TINY_PDF, Buffer.from(`% ${k} ${Math.random()}\n`)]))];
    const applicant: Record<string, string> = { fullName: 'Nguyễn Văn An', phone: '0912345678', address: 'Số 1, phường Thục Phán, Cao Bằng' };
    if (schema.properties.applicant.properties.personalId) applicant.personalId = '004085012345';
    return { applicant, request: 'Đề nghị giải quyết', documents: docs, resultDelivery: 'Trực tuyến', commitment: true };
  }

  it('a procedure without a hand-made eForm is applied for with the generated one', async () => {
    const detail = await app.call('GET', `/api/v1/procedures/${plain}`);
    assert.equal(detail.status, 200);
    assert.ok(detail.body.requiredDocuments.length >= 2);
    assert.ok(detail.body.offerings.length >= 1, 'offered in the demo');
    const agencyCode = detail.body.offerings[0].agencyCode as string;
    const r = await app.call('POST', '/api/v1/dossiers', { as: 'citizen1', json: { procedureCode: plain, agencyCode, form: await application(detail.body.form.schema, 'citizen1') } });
    assert.equal(r.status, 201, JSON.stringify(r.body));
    assert.equal(r.body.history[0].data.legalProcessingDays, detail.body.legalProcessingDays);
  });

  it('a procedure with cases asks which one, and the dossier follows the case picked', async () => {
    const detail = await app.call('GET', `/api/v1/procedures/${withCases}`);
    const variants = detail.body.variants as { id: string; name: string; legalProcessingDays: number; form: { schema: unknown } }[];
    assert.ok(variants.length >= 2);
    const agencyCode = detail.body.offerings[0].agencyCode as string;
    const form = await application(variants[1]!.form.schema, 'citizen2');
    const none = await app.call('POST', '/api/v1/dossiers', { as: 'citizen2', json: { procedureCode: withCases, agencyCode, form } });
    assert.equal(none.status, 422);
    assert.equal(none.body.error.field, '/variantId');
    assert.ok(none.body.error.details[0].message.vi.includes(variants[0]!.name.slice(0, 20)));
    const unknown = await app.call('POST', '/api/v1/dossiers', { as: 'citizen2', json: { procedureCode: withCases, agencyCode, variantId: 'v99', form } });
    assert.equal(unknown.status, 422);
    const ok = await app.call('POST', '/api/v1/dossiers', { as: 'citizen2', json: { procedureCode: withCases, agencyCode, variantId: variants[1]!.id, form } });
    assert.equal(ok.status, 201, JSON.stringify(ok.body));
    assert.equal(ok.body.variantId, variants[1]!.id);
    assert.equal(ok.body.history[0].data.legalProcessingDays, variants[1]!.legalProcessingDays);
    // A case on a procedure that has none is refused by name.
    const plainDetail = await app.call('GET', `/api/v1/procedures/${plain}`);
    const wrong = await app.call('POST', '/api/v1/dossiers', { as: 'citizen2', json: { procedureCode: plain, agencyCode: plainDetail.body.offerings[0].agencyCode, variantId: 'v1', form: {} } });
    assert.equal(wrong.status, 422);
    assert.equal(wrong.body.error.field, '/variantId');
  });
});
