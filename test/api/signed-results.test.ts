/**
 * End to end over real HTTP: the demo birth registration gets a signed receipt on
 * reception, a result drafted and signed by the specialist, countersigned by the leader
 * on approval; the citizen downloads it from /result; pdfsig calls every signature
 * valid; /verify/<code> and POST /api/v1/verify say authentic, and not after one byte changes.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { findDemoAccount } from '../../src/modules/identity/demo-accounts.ts';
import { pdfsig, pdftotext, skipWithout } from '../../src/modules/signing/poppler.ts';
import { startTestApp, TINY_PDF, upload, type TestApp } from '../support/app.ts';

const AGENCY = '000.00.04.H12';
const example = JSON.parse(readFileSync(new URL('../../src/modules/catalogue/demo/examples/1.001193.json', import.meta.url), 'utf8')) as Record<string, unknown>;
const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}/g;
const specialistSub = findDemoAccount('specialist1')!.sub;

let app: TestApp;
before(async () => {
  app = await startTestApp();
});
after(async () => {
  await app?.close();
});

async function act(as: string, code: string, action: string, input: unknown = {}): Promise<{ status: number; body: any }> {
  return app.call('POST', `/api/v1/dossiers/${encodeURIComponent(code)}/actions/${action}`, { as, json: input });
}

async function submitBirth(): Promise<string> {
  const fileId = await upload(app, 'citizen1');
  const form = JSON.parse(JSON.stringify(example).replace(UUID, fileId)) as Record<string, unknown>;
  const r = await app.call('POST', '/api/v1/dossiers', { as: 'citizen1', json: { procedureCode: '1.001193', agencyCode: AGENCY, form } });
  assert.equal(r.status, 201, JSON.stringify(r.body));
  return r.body.code as string;
}

async function download(path: string, as: string): Promise<{ status: number; bytes: Buffer; headers: Headers }> {
  const res = await fetch(`${app.url}${path}`, { headers: { authorization: `Bearer ${await app.token(as)}` } });
  return { status: res.status, bytes: Buffer.from(await res.arrayBuffer()), headers: res.headers };
}

async function verifyUpload(bytes: Uint8Array): Promise<{ status: number; body: any }> {
  const form = new FormData();
  form.set('file', new Blob([new Uint8Array(bytes)], { type: 'application/pdf' }), 'ket-qua.pdf');
  return app.call('POST', '/api/v1/verify', { body: form });
}

const flip = (b: Buffer, at = 3000): Buffer => {
  const c = Buffer.from(b);
  c[at] = c[at]! ^ 0x01;
  return c;
};

let code: string;
let receipt: Buffer;
let result: Buffer;

describe('signed slips and results of the demo birth registration', () => {
  it('reception: a signed receipt is produced, stored as the dossier file "receipt" and kept in the warehouse', async () => {
    code = await submitBirth();
    const received = await act('reception1', code, 'receive');
    assert.equal(received.status, 200, JSON.stringify(received.body));
    const file = received.body.files.find((f: { role: string }) => f.role === 'receipt');
    assert.ok(file, JSON.stringify(received.body.files));
    const got = await download(`/api/v1/files/${file.fileId}`, 'reception1');
    assert.equal(got.status, 200);
    receipt = got.bytes;
    const v = await verifyUpload(receipt);
    assert.equal(v.status, 200, JSON.stringify(v.body));
    assert.equal(v.body.valid, true, JSON.stringify(v.body.problems));
    assert.deepEqual(v.body.stored.map((s: { dossierCode: string; role: string }) => [s.dossierCode, s.role]), [[code, 'receipt']]);
    const wh = await app.motcua.db.query<{ document_type: string; owner_id: string; source: string }>('SELECT document_type, owner_id, source FROM documents WHERE file_id = $1', [file.fileId]);
    assert.deepEqual(wh.rows, [{ document_type: 'receipt_slip', owner_id: findDemoAccount('citizen1')!.personalId, source: 'slip' }]);
    // The receipt is addressed to the applicant: listed in their view of the dossier, and theirs to download.
    const seen = await app.call('GET', `/api/v1/dossiers/${code}`, { as: 'citizen1' });
    assert.ok(seen.body.files.some((f: { role: string; fileId: string }) => f.role === 'receipt' && f.fileId === file.fileId), JSON.stringify(seen.body.files));
    assert.deepEqual((await download(`/api/v1/files/${file.fileId}`, 'citizen1')).bytes, receipt);
    assert.equal((await download(`/api/v1/files/${file.fileId}`, 'citizen2')).status, 404);
  });

  it('a refusal at the counter produces a signed refusal slip the applicant sees', async () => {
    const other = await submitBirth();
    const refused = await act('reception1', other, 'refuse', { reasons: ['Hồ sơ không thuộc thẩm quyền của phường'] });
    assert.equal(refused.status, 200, JSON.stringify(refused.body));
    const seen = await app.call('GET', `/api/v1/dossiers/${other}`, { as: 'citizen1' });
    const slip = seen.body.files.find((f: { role: string }) => f.role === 'slip');
    assert.ok(slip, JSON.stringify(seen.body.files));
    const got = await download(`/api/v1/files/${slip.fileId}`, 'citizen1');
    assert.equal(got.status, 200);
    const v = await verifyUpload(got.bytes);
    assert.equal(v.body.valid, true, JSON.stringify(v.body.problems));
    assert.deepEqual(v.body.stored.map((s: { dossierCode: string; role: string }) => [s.dossierCode, s.role]), [[other, 'slip']]);
  });

  it('the specialist submits for approval without a file: the result is drafted and signed; the leader countersigns on approval', async () => {
    assert.equal((await act('reception1', code, 'assign', { assignee: specialistSub })).status, 200);
    assert.equal((await act('specialist1', code, 'start_processing')).status, 200);
    const submitted = await act('specialist1', code, 'submit_for_approval', { note: 'Đủ điều kiện' });
    assert.equal(submitted.status, 200, JSON.stringify(submitted.body));
    assert.equal(submitted.body.status, 'awaiting_approval');
    const approved = await act('leader1', code, 'approve');
    assert.equal(approved.status, 200, JSON.stringify(approved.body));
    assert.ok(approved.body.resultFileId);
    // The result is not the draft: it carries one more signature.
    const draft = approved.body.files.find((f: { role: string }) => f.role === 'submit_for_approval');
    assert.ok(draft);
    assert.notEqual(approved.body.resultFileId, draft.fileId);
    // The history and the outbox event name the countersigned file, not the draft.
    const ev = approved.body.history.find((e: { action: string }) => e.action === 'approve');
    assert.equal(ev.data.resultFileId, approved.body.resultFileId);
    const out = await app.motcua.db.query<{ payload: { data: { resultFileId: string } } }>("SELECT payload FROM outbox WHERE key = $1 AND topic = 'dossier.approved'", [code]);
    assert.equal(out.rows[0]!.payload.data.resultFileId, approved.body.resultFileId);
  });

  it('a supplement request and a withdrawal produce their signed slips (Phiếu yêu cầu bổ sung, Thông báo dừng xử lý)', async () => {
    const other = await submitBirth();
    const asked = await act('reception1', other, 'request_supplement', { missingDocuments: [{ name: 'Giấy chứng sinh', note: 'bản rõ nét' }], reason: 'Bản chụp mờ' });
    assert.equal(asked.status, 200, JSON.stringify(asked.body));
    const withdrawn = await act('citizen1', other, 'withdraw', { reason: 'Nộp lại sau' });
    assert.equal(withdrawn.status, 200, JSON.stringify(withdrawn.body));
    const slips = withdrawn.body.files.filter((f: { role: string }) => f.role === 'slip');
    assert.equal(slips.length, 2, JSON.stringify(withdrawn.body.files));
    const types = await app.motcua.db.query<{ document_type: string }>('SELECT document_type FROM documents WHERE file_id = ANY($1::uuid[]) ORDER BY document_type', [slips.map((f: { fileId: string }) => f.fileId)]);
    assert.deepEqual(types.rows.map((r) => r.document_type), ['stop_processing_notice', 'supplement_request_slip']);
    for (const f of slips) {
      const bytes = (await download(`/api/v1/files/${f.fileId}`, 'citizen1')).bytes;
      const v = await verifyUpload(bytes);
      assert.equal(v.body.valid, true, JSON.stringify(v.body.problems));
      // Signed for the agency: the signature block never names the applicant who withdrew.
      if (!skipWithout('pdftotext')) {
        const text = pdftotext(bytes);
        assert.ok(!/THỦ TRƯỞNG CƠ QUAN\s+\(Ký số\)\s+Nguyễn Văn An/.test(text), text);
        const sigBlock = text.slice(text.lastIndexOf('(Ký số)'));
        assert.doesNotMatch(sigBlock.split('Mã hồ sơ')[0]!, /Nguyễn Văn An/);
      }
    }
  });

  it('GET /result gives the signed result to the applicant and the agency, 404 to anyone else', async () => {
    const got = await download(`/api/v1/dossiers/${code}/result`, 'citizen1');
    assert.equal(got.status, 200);
    assert.equal(got.headers.get('content-type'), 'application/pdf');
    result = got.bytes;
    assert.equal((await download(`/api/v1/dossiers/${code}/result`, 'leader1')).status, 200);
    assert.equal((await download(`/api/v1/dossiers/${code}/result`, 'citizen2')).status, 404);
    const v = await verifyUpload(result);
    assert.equal(v.body.valid, true, JSON.stringify(v.body.problems));
    assert.equal(v.body.signatures.length, 2);
    assert.ok(v.body.signatures.every((s: { intact: boolean; trusted: boolean; signingCertificateV2: boolean }) => s.intact && s.trusted && s.signingCertificateV2));
    assert.deepEqual(v.body.stored.map((s: { role: string }) => s.role), ['result']);
    const wh = await app.motcua.db.query<{ document_type: string }>('SELECT d.document_type FROM documents d JOIN files f ON f.id = d.file_id WHERE f.sha256 = $1', [v.body.sha256]);
    assert.deepEqual(wh.rows, [{ document_type: 'birth_certificate' }]);
  });

  it('a dossier without a result answers 404 on /result', async () => {
    const other = await submitBirth();
    const r = await app.call('GET', `/api/v1/dossiers/${other}/result`, { as: 'citizen1' });
    assert.equal(r.status, 404);
    assert.equal(r.body.error.code, 'not_found');
  });

  it('POST /api/v1/verify: one changed byte is invalid and matches no stored document; a non-PDF is 415', async () => {
    const v = await verifyUpload(flip(result));
    assert.equal(v.status, 200);
    assert.equal(v.body.valid, false);
    assert.match(v.body.problems.join(), /digest mismatch/);
    assert.deepEqual(v.body.stored, []);
    const unsigned = await verifyUpload(TINY_PDF);
    assert.equal(unsigned.body.valid, false);
    const notPdf = await verifyUpload(Buffer.from('hello'));
    assert.equal(notPdf.status, 415);
  });

  it('the public page /verify/<code> shows the receipt and the result as authentic, without personal data', async () => {
    const res = await fetch(`${app.url}/verify/${code}`);
    assert.equal(res.status, 200);
    assert.match(res.headers.get('content-type') ?? '', /text\/html/);
    const html = await res.text();
    assert.match(html, /Tất cả giấy tờ đều xác thực \/ Every document is authentic/);
    assert.equal((html.match(/XÁC THỰC: văn bản gốc, chữ ký hợp lệ/g) ?? []).length, 2, html);
    assert.match(html, /Ủy ban nhân dân phường Thục Phán/);
    assert.doesNotMatch(html, /<script|style=/);
    assert.doesNotMatch(html, /Nông Thị Hạnh|Hoàng Minh Khôi|004196002731/);
    const missing = await fetch(`${app.url}/verify/000.00.04.H12-991231-9999`);
    assert.equal(missing.status, 404);
    assert.match(await missing.text(), /Không tìm thấy hồ sơ/);
  });

  it('a stored copy changed on disk is reported on the page', async () => {
    const r = await app.motcua.db.query<{ storage_key: string }>(
      "SELECT f.storage_key FROM files f JOIN dossier_files df ON df.file_id = f.id JOIN dossiers d ON d.id = df.dossier_id WHERE d.code = $1 AND df.role = 'receipt'",
      [code],
    );
    const { writeFileSync } = await import('node:fs');
    const { join } = await import('node:path');
    const path = join(app.motcua.config.dataDir, 'files', r.rows[0]!.storage_key);
    writeFileSync(path, flip(receipt));
    const html = await (await fetch(`${app.url}/verify/${code}`)).text();
    assert.match(html, /Có giấy tờ không xác thực được/);
    assert.match(html, /Không khớp hoặc bị mất/);
    writeFileSync(path, receipt);
  });
});

describe('the process control slip and the dossier-tracking register (made when asked)', () => {
  it('staff of the agency get the control slip of a dossier; an applicant cannot', async () => {
    const got = await download(`/api/v1/dossiers/${code}/control-slip`, 'reception1');
    assert.equal(got.status, 200);
    assert.equal(got.headers.get('content-type'), 'application/pdf');
    assert.equal(got.bytes.subarray(0, 5).toString('latin1'), '%PDF-');
    assert.equal((await download(`/api/v1/dossiers/${code}/control-slip`, 'citizen1')).status, 403);
  });

  it('the register of the caller\'s own agency; another agency\'s is 404, a bad date 400', async () => {
    const day = new Date(Date.now() + 7 * 3600_000).toISOString().slice(0, 10);
    const got = await download(`/api/v1/agencies/${AGENCY}/register?from=${day}&to=${day}`, 'reception1');
    assert.equal(got.status, 200);
    assert.equal(got.bytes.subarray(0, 5).toString('latin1'), '%PDF-');
    if (!skipWithout('pdftotext')) {
      const text = pdftotext(got.bytes).replace(/\s+/g, ' ');
      assert.ok(text.includes('SỔ THEO DÕI HỒ SƠ'), text);
      assert.ok(text.includes(code), text);
    }
    assert.equal((await download(`/api/v1/agencies/000.00.05.H12/register?from=${day}&to=${day}`, 'reception1')).status, 404);
    assert.equal((await app.call('GET', `/api/v1/agencies/${AGENCY}/register?from=23-11-2026&to=${day}`, { as: 'reception1' })).status, 400);
  });
});

describe('an officer of two units', () => {
  it('reads the register of each unit they work in, the second one too', async () => {
    const day = new Date(Date.now() + 7 * 3600_000).toISOString().slice(0, 10);
    const second = '000.00.05.H12';
    const g = await app.call('POST', `/api/v1/admin/staff/${findDemoAccount('reception1')!.sub}/grants`, { as: 'admin1', json: { unitCode: second, role: 'reception' } });
    assert.ok(g.status === 201 || g.status === 200, JSON.stringify(g.body));
    const got = await download(`/api/v1/agencies/${second}/register?from=${day}&to=${day}`, 'reception1');
    assert.equal(got.status, 200);
    assert.equal(got.bytes.subarray(0, 5).toString('latin1'), '%PDF-');
    assert.equal((await download(`/api/v1/agencies/${AGENCY}/register?from=${day}&to=${day}`, 'reception1')).status, 200);
  });
});

describe('independent checks with poppler (pdfsig, pdftotext)', { skip: skipWithout('pdfsig') }, () => {
  it('pdfsig calls the receipt and both signatures of the result valid, and not after one byte is changed', () => {
    const r = pdfsig(receipt);
    assert.equal(r.signatures.length, 1, r.output);
    assert.ok(r.signatures[0]!.valid, r.output);
    const res = pdfsig(result);
    assert.equal(res.signatures.length, 2, res.output);
    assert.ok(res.signatures.every((s) => s.valid), res.output);
    const bad = pdfsig(flip(result));
    assert.ok(bad.signatures.length === 2 && bad.signatures.every((s) => !s.valid), bad.output);
  });

  it('the result is the birth extract with the child from the form', () => {
    const text = pdftotext(result).replace(/\s+/g, ' ');
    assert.ok(text.includes('TRÍCH LỤC KHAI SINH'), text);
    assert.ok(text.includes('HOÀNG MINH KHÔI'), text);
    assert.ok(text.includes('08/11/2026'), text);
    assert.ok(text.includes(code), text);
  });
});

describe('when the agency certificate cannot be used', () => {
  it('reception gets 503 signing_unavailable and the dossier stays as it was (nothing half-written)', async () => {
    const broken = await startTestApp({ env: { MOTCUA_SIGNING_DEV_PKI: '0', MOTCUA_SIGNING_P12_PASSWORD: 'x', MOTCUA_SIGNING_P12: '/nonexistent/agency.p12' } });
    try {
      const fileId = await upload(broken, 'citizen1');
      const form = JSON.parse(JSON.stringify(example).replace(UUID, fileId)) as Record<string, unknown>;
      const sub = await broken.call('POST', '/api/v1/dossiers', { as: 'citizen1', json: { procedureCode: '1.001193', agencyCode: AGENCY, form } });
      const c = sub.body.code as string;
      const r = await broken.call('POST', `/api/v1/dossiers/${c}/actions/receive`, { as: 'reception1', json: {} });
      assert.equal(r.status, 503, JSON.stringify(r.body));
      assert.equal(r.body.error.code, 'signing_unavailable');
      assert.doesNotMatch(JSON.stringify(r.body), /nonexistent/);
      const d = await broken.call('GET', `/api/v1/dossiers/${c}`, { as: 'reception1' });
      assert.equal(d.body.status, 'submitted');
      assert.deepEqual(d.body.history.map((e: { action: string }) => e.action), ['submit']);
      assert.ok(d.body.files.every((f: { role: string }) => f.role === 'form'));
    } finally {
      await broken.close();
    }
  });
});
