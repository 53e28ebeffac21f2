/**
 * The records warehouse over real HTTP: uploads kept once by content, bad PDFs refused,
 * owners list and download their documents (nobody else), reception digitises a paper at
 * the counter, and a second application reuses a document with the owner's consent.
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { findDemoAccount } from '../../src/modules/identity/demo-accounts.ts';
import { startTestApp, TINY_PDF, upload, type TestApp } from '../support/app.ts';
import { CRAFTED, libPdf } from '../support/pdfs.ts';

const AGENCY = '000.00.04.H12';
const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}/g;
const example = (code: string): Record<string, unknown> =>
  JSON.parse(readFileSync(new URL(`../../src/modules/catalogue/demo/examples/${code}.json`, import.meta.url), 'utf8')) as Record<string, unknown>;

const pdf = (note: string): Buffer => Buffer.concat([TINY_PDF, Buffer.from(`% ${note}\n`)]);
const sha = (b: Buffer): string => createHash('sha256').update(b).digest('hex');
/**
 * The scanned paper's issue day, relative to the day the test runs (the app's clock is the
 * real one): issued on the 1st of last month, so it is valid for six months from then.
 */
const ISSUED = (() => {
  const t = new Date(Date.now() + 7 * 3600_000); // the day in Vietnam
  return new Date(Date.UTC(t.getUTCFullYear(), t.getUTCMonth() - 1, 1));
})();
const day = (d: Date): string => d.toISOString().slice(0, 10);
/** Six months from the issue day: the last day before the same date six months on. */
const VALID_UNTIL = day(new Date(Date.UTC(ISSUED.getUTCFullYear(), ISSUED.getUTCMonth() + 6, 0)));

let app: TestApp;
before(async () => {
  app = await startTestApp();
});
after(async () => {
  await app?.close();
});

async function blobs(): Promise<string[]> {
  const root = app.motcua.config.fileStoreDir;
  const out: string[] = [];
  const dirs = await readdir(root).catch(() => [] as string[]);
  for (const d of dirs) if (/^[0-9a-f]{2}$/.test(d)) for (const f of await readdir(join(root, d))) out.push(f);
  return out.sort();
}

async function send(as: string, content: Buffer, fields: Record<string, string> = {}, path = '/api/v1/files', name = 'giay-to.pdf') {
  const form = new FormData();
  for (const [k, v] of Object.entries(fields)) form.set(k, v);
  form.set('file', new Blob([new Uint8Array(content)], { type: 'application/pdf' }), name);
  return app.call('POST', path, { as, body: form });
}

describe('uploads', () => {
  it('the same content is stored once; each upload keeps its own record, name and what it says the document is', async () => {
    const content = pdf('once');
    const before = (await blobs()).length;
    const a = await send('business1', content, {}, '/api/v1/files', 'ban-chup-1.pdf');
    const b = await send('business1', content, { documentType: 'birth_certificate' }, '/api/v1/files', 'giay-khai-sinh.pdf');
    assert.equal(a.status, 201, JSON.stringify(a.body));
    assert.equal(b.status, 201, JSON.stringify(b.body));
    assert.notEqual(b.body.id, a.body.id, 'a second upload is its own file');
    assert.deepEqual([a.body.fileName, b.body.fileName], ['ban-chup-1.pdf', 'giay-khai-sinh.pdf']);
    assert.equal((await app.call('GET', `/api/v1/files/${a.body.id}`, { as: 'business1' })).status, 200, 'the first upload is still there');
    const typed = await app.call('GET', '/api/v1/documents?type=birth_certificate', { as: 'business1' });
    assert.deepEqual(typed.body.items.map((d: any) => d.sha256), [sha(content)], 'the type the second upload gave is kept');
    const c = await send('citizen2', content);
    assert.equal(c.status, 201);
    assert.notEqual(c.body.id, a.body.id);
    assert.equal(c.body.sha256, sha(content));
    const after = await blobs();
    assert.equal(after.length, before + 1, 'one blob for three uploads');
    assert.ok(after.includes(sha(content)));
    // The blob is the content, byte for byte.
    assert.deepEqual(await readFile(join(app.motcua.config.fileStoreDir, sha(content).slice(0, 2), sha(content))), content);
  });

  it('bad PDFs are refused with a bilingual message naming the field file, and nothing is kept', async () => {
    const before = await blobs();
    const cases: [string, Buffer, string][] = [
      ['malformed', CRAFTED.malformed(), 'pdf_malformed'],
      ['no catalog', CRAFTED.noCatalog(), 'pdf_malformed'],
      ['encrypted', CRAFTED.encrypted(), 'pdf_encrypted'],
      ['open action JavaScript', CRAFTED.openActionJs(), 'pdf_javascript'],
      ['escaped JavaScript name', CRAFTED.escapedJs(), 'pdf_javascript'],
      ['JavaScript in an object stream', await libPdf({ js: true, objectStreams: true }), 'pdf_javascript'],
      ['embedded file', CRAFTED.embedded(), 'pdf_embedded_file'],
      ['attachment in an object stream', await libPdf({ attach: true, objectStreams: true }), 'pdf_embedded_file'],
    ];
    for (const [name, content, code] of cases) {
      const r = await send('citizen1', content);
      assert.equal(r.status, 422, `${name}: ${JSON.stringify(r.body)}`);
      assert.equal(r.body.error.code, code, name);
      assert.equal(r.body.error.field, 'file', name);
      assert.ok(r.body.error.message.vi.length > 10 && r.body.error.message.en.length > 10, name);
    }
    // A file that is not what it claims: an executable named .pdf.
    const exe = await send('citizen1', Buffer.from('MZ\x90\x00 this is a program'), {}, '/api/v1/files', 'to-khai.pdf');
    assert.equal(exe.status, 415);
    assert.equal(exe.body.error.field, 'file');
    assert.deepEqual(await blobs(), before, 'no blob kept for a refused upload');
    const tmp = await readdir(join(app.motcua.config.fileStoreDir, 'tmp')).catch(() => []);
    assert.deepEqual(tmp, [], 'no temporary file left');
  });

  it('an oversized file gets 413', async () => {
    const big = Buffer.alloc(app.motcua.config.fileMaxBytes + 10, 0x20);
    TINY_PDF.copy(big);
    const r = await send('citizen1', big);
    assert.equal(r.status, 413);
    assert.equal(r.body.error.field, 'file');
  });

  it('an unknown documentType is refused naming it', async () => {
    const r = await send('citizen1', pdf('typed'), { documentType: 'spaceship_licence' });
    assert.equal(r.status, 422);
    assert.equal(r.body.error.field, 'documentType');
  });
});

describe('the warehouse, digitising and reuse', () => {
  const citizen1 = findDemoAccount('citizen1')!;
  let birthCode: string;
  let residenceDocId: string;
  let scannedDocId: string;

  it('a birth registration keeps its uploads in the applicant\'s warehouse, classified by the field they were submitted under', async () => {
    const evidence = await upload(app, 'citizen1', pdf('giấy chứng sinh'));
    const residence = await upload(app, 'citizen1', pdf('giấy tờ cư trú'));
    const form = JSON.parse(JSON.stringify(example('1.001193')).replace(UUID, evidence)) as Record<string, unknown>;
    form.attachments = { residenceProof: residence };
    const r = await app.call('POST', '/api/v1/dossiers', { as: 'citizen1', json: { procedureCode: '1.001193', agencyCode: AGENCY, form } });
    assert.equal(r.status, 201, JSON.stringify(r.body));
    birthCode = r.body.code;

    const list = await app.call('GET', '/api/v1/documents', { as: 'citizen1' });
    assert.equal(list.status, 200);
    const byType = new Map<string, any>(list.body.items.map((d: any) => [d.documentType, d]));
    const res = byType.get('residence_proof');
    assert.ok(res, JSON.stringify(list.body.items.map((d: any) => d.documentType)));
    assert.equal(res.ownerId, citizen1.personalId);
    assert.equal(res.source, 'upload');
    assert.equal(res.dossierCode, birthCode);
    assert.equal(res.valid, true);
    assert.ok(byType.get('birth_medical_certificate'));
    residenceDocId = res.id;

    const filtered = await app.call('GET', '/api/v1/documents?type=residence_proof', { as: 'citizen1' });
    assert.deepEqual(filtered.body.items.map((d: any) => d.id), [residenceDocId]);
    const bad = await app.call('GET', '/api/v1/documents?type=Bad%20Type', { as: 'citizen1' });
    assert.equal(bad.status, 400);
    assert.equal(bad.body.error.field, 'query.type');
  });

  it('the owner downloads a document; anyone else gets 404', async () => {
    const own = await app.call('GET', `/api/v1/documents/${residenceDocId}/content`, { as: 'citizen1' });
    assert.equal(own.status, 200);
    assert.equal(own.body, pdf('giấy tờ cư trú').toString());
    assert.equal(own.headers.get('x-content-sha256'), sha(pdf('giấy tờ cư trú')));
    for (const as of ['citizen2', 'business1', 'reception1']) {
      assert.equal((await app.call('GET', `/api/v1/documents/${residenceDocId}/content`, { as })).status, 404, as);
      assert.equal((await app.call('GET', `/api/v1/documents/${residenceDocId}`, { as })).status, 404, as);
      const list = await app.call('GET', '/api/v1/documents', { as });
      assert.ok(!list.body.items.some((d: any) => d.id === residenceDocId), as);
    }
    assert.equal((await app.call('GET', '/api/v1/documents/not-a-uuid', { as: 'citizen1' })).status, 404);
  });

  it('reception attaches a scan of a paper to a dossier it may see: digitised, in the applicant\'s warehouse, audited', async () => {
    const scan = pdf('bản quét giấy xác nhận tình trạng hôn nhân');
    const r = await send('reception1', scan, { documentType: 'marital_status_certificate', issuingAgency: 'UBND phường Hợp Giang', validFrom: day(ISSUED) }, `/api/v1/dossiers/${birthCode}/scans`, 'scan.pdf');
    assert.equal(r.status, 201, JSON.stringify(r.body));
    assert.equal(r.body.source, 'digitised');
    assert.equal(r.body.pointer, '/digitised/marital_status_certificate');
    scannedDocId = r.body.documentId;
    const doc = await app.call('GET', `/api/v1/documents/${scannedDocId}`, { as: 'citizen1' });
    assert.equal(doc.status, 200);
    assert.equal(doc.body.source, 'digitised');
    assert.equal(doc.body.issuingAgency, 'UBND phường Hợp Giang');
    assert.equal(doc.body.validUntil, VALID_UNTIL, 'six months from the issue day');
    const dossier = await app.call('GET', `/api/v1/dossiers/${birthCode}`, { as: 'citizen1' });
    const f = dossier.body.files.find((x: any) => x.fileId === r.body.fileId);
    assert.equal(f?.source, 'digitised');
    const audit = await app.motcua.db.query<{ action: string }>("SELECT action FROM audit_log WHERE entity_id = $1 AND action = 'dossier.digitise'", [birthCode]);
    assert.equal(audit.rows.length, 1);

    // Not reception, or not a dossier they may see: refused.
    assert.equal((await send('specialist1', pdf('x1'), { documentType: 'other' }, `/api/v1/dossiers/${birthCode}/scans`)).status, 403);
    assert.equal((await send('citizen2', pdf('x2'), { documentType: 'other' }, `/api/v1/dossiers/${birthCode}/scans`)).status, 403);
    const unseen = await send('reception1', pdf('x2'), { documentType: 'other' }, `/api/v1/dossiers/000.00.04.H12-991231-9999/scans`);
    assert.equal(unseen.status, 404, JSON.stringify(unseen.body));
    const noType = await send('reception1', pdf('x3'), {}, `/api/v1/dossiers/${birthCode}/scans`);
    assert.equal(noType.status, 422);
    assert.equal(noType.body.error.field, 'documentType');
    const js = await send('reception1', CRAFTED.openActionJs(), { documentType: 'other' }, `/api/v1/dossiers/${birthCode}/scans`);
    assert.equal(js.status, 422);
    assert.equal(js.body.error.code, 'pdf_javascript');
  });

  it('the same paper scanned twice: each scan keeps its own file and name; the officer\'s latest type is the document\'s', async () => {
    const paper = pdf('giấy tờ quét hai lần');
    const first = await send('reception1', paper, { documentType: 'other' }, `/api/v1/dossiers/${birthCode}/scans`, 'quet-lan-1.pdf');
    const second = await send('reception1', paper, { documentType: 'birth_certificate' }, `/api/v1/dossiers/${birthCode}/scans`, 'quet-lan-2.pdf');
    assert.equal(first.status, 201, JSON.stringify(first.body));
    assert.equal(second.status, 201, JSON.stringify(second.body));
    assert.notEqual(second.body.fileId, first.body.fileId);
    const dossier = await app.call('GET', `/api/v1/dossiers/${birthCode}`, { as: 'reception1' });
    const names = dossier.body.files.filter((f: any) => f.sha256 === sha(paper)).map((f: any) => [f.pointer, f.fileName]);
    assert.deepEqual(names.sort(), [['/digitised/birth_certificate', 'quet-lan-2.pdf'], ['/digitised/other', 'quet-lan-1.pdf']]);
    const doc = await app.call('GET', `/api/v1/documents/${second.body.documentId}`, { as: 'citizen1' });
    assert.equal(doc.body.documentType, 'birth_certificate');
  });

  it('a second application is offered the documents the owner already has, per file field', async () => {
    const r = await app.call('GET', '/api/v1/procedures/1.004873/reusable-documents', { as: 'citizen1' });
    assert.equal(r.status, 200, JSON.stringify(r.body));
    const residence = r.body.fields.find((f: any) => f.field === '/form/attachments/residenceProof');
    assert.equal(residence.documentType, 'residence_proof');
    assert.deepEqual(residence.documents.map((d: any) => d.id), [residenceDocId]);
    const previous = r.body.fields.find((f: any) => f.field === '/form/reissue/previousCertificate');
    assert.deepEqual(previous.documents.map((d: any) => d.id), [scannedDocId]);
    const other = await app.call('GET', '/api/v1/procedures/1.004873/reusable-documents', { as: 'citizen2' });
    assert.ok(other.body.fields.every((f: any) => f.documents.length === 0), 'citizen2 has none of these');
    assert.equal((await app.call('GET', '/api/v1/procedures/9.999999/reusable-documents', { as: 'citizen1' })).status, 404);
  });

  it('reuse needs consent (422 naming /consent); someone else\'s document is 404', async () => {
    for (const body of [{ field: '/form/attachments/residenceProof' }, { consent: false, field: '/form/attachments/residenceProof' }, { consent: 'yes', field: '/form/x' }]) {
      const r = await app.call('POST', `/api/v1/documents/${residenceDocId}/reuse`, { as: 'citizen1', json: body });
      assert.equal(r.status, 422, JSON.stringify(body));
      assert.equal(r.body.error.field, '/consent');
      assert.ok(r.body.error.message.vi && r.body.error.message.en);
    }
    const badField = await app.call('POST', `/api/v1/documents/${residenceDocId}/reuse`, { as: 'citizen1', json: { consent: true, field: 'attachments' } });
    assert.equal(badField.status, 422);
    assert.equal(badField.body.error.field, '/field');
    const foreign = await app.call('POST', `/api/v1/documents/${residenceDocId}/reuse`, { as: 'citizen2', json: { consent: true, field: '/form/attachments/residenceProof' } });
    assert.equal(foreign.status, 404);
    // A document past its validity is not reused (nor offered).
    await app.motcua.db.query("UPDATE documents SET valid_until = '2020-01-01', valid_from = '2019-01-01' WHERE id = $1", [scannedDocId]);
    const expired = await app.call('POST', `/api/v1/documents/${scannedDocId}/reuse`, { as: 'citizen1', json: { consent: true, field: '/form/reissue/previousCertificate' } });
    assert.equal(expired.status, 422);
    assert.equal(expired.body.error.code, 'document_not_valid');
    const offered = await app.call('GET', '/api/v1/procedures/1.004873/reusable-documents', { as: 'citizen1' });
    assert.deepEqual(offered.body.fields.find((f: any) => f.field === '/form/reissue/previousCertificate').documents, []);
    const consents = await app.motcua.db.query("SELECT 1 FROM audit_log WHERE action = 'document.reuse'");
    assert.equal(consents.rows.length, 0, 'nothing recorded for refused reuses');
  });

  it('with consent, the reused document goes into a new application unchanged; the dossier shows the component as reused; the consent is audited', async () => {
    const before = (await blobs()).length;
    const r = await app.call('POST', `/api/v1/documents/${residenceDocId}/reuse`, { as: 'citizen1', json: { consent: true, field: '/form/attachments/residenceProof' } });
    assert.equal(r.status, 201, JSON.stringify(r.body));
    const fileId = r.body.file.id;
    assert.equal(r.body.file.source, 'reused');
    assert.equal(r.body.file.reusedFromDocumentId, residenceDocId);
    assert.equal(r.body.file.sha256, sha(pdf('giấy tờ cư trú')));
    assert.equal((await blobs()).length, before, 'nothing copied: the same blob');

    const form = example('1.004873');
    form.attachments = { residenceProof: fileId };
    const sub = await app.call('POST', '/api/v1/dossiers', { as: 'citizen1', json: { procedureCode: '1.004873', agencyCode: AGENCY, form } });
    assert.equal(sub.status, 201, JSON.stringify(sub.body));
    const dossier = await app.call('GET', `/api/v1/dossiers/${sub.body.code}`, { as: 'citizen1' });
    const component = dossier.body.files.find((f: any) => f.pointer === '/attachments/residenceProof');
    assert.equal(component.reused, true);
    assert.equal(component.reusedFromDocumentId, residenceDocId);
    assert.equal(component.source, 'reused');
    const staffView = await app.call('GET', `/api/v1/dossiers/${sub.body.code}`, { as: 'reception1' });
    assert.equal(staffView.body.files.find((f: any) => f.pointer === '/attachments/residenceProof').reused, true);
    // The reused file downloads as the original content.
    const content = await app.call('GET', `/api/v1/files/${fileId}`, { as: 'reception1' });
    assert.equal(content.status, 200);
    assert.equal(content.headers.get('x-content-sha256'), sha(pdf('giấy tờ cư trú')));

    const audit = await app.motcua.db.query<{ actor_sub: string; after: any }>("SELECT actor_sub, after FROM audit_log WHERE action = 'document.reuse' AND entity_id = $1", [residenceDocId]);
    assert.equal(audit.rows.length, 1);
    assert.equal(audit.rows[0]!.actor_sub, citizen1.sub);
    assert.equal(audit.rows[0]!.after.consent, true);
    assert.equal(audit.rows[0]!.after.field, '/form/attachments/residenceProof');
    assert.equal(audit.rows[0]!.after.fileId, fileId);
    // Still one document for the owner: reuse does not make another.
    const list = await app.call('GET', '/api/v1/documents?type=residence_proof', { as: 'citizen1' });
    assert.equal(list.body.items.length, 1);
  });
});
