import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { inflateSync } from 'node:zlib';
import { PDFDocument, PDFRawStream } from 'pdf-lib';
import QRCode from 'qrcode';
import { loadDemoExample } from '../catalogue/demo/index.ts';
import { pdftotext, skipWithout } from '../signing/poppler.ts';
import { dateline, DOCUMENT_KINDS, qrPayload, renderDossierDocument, renderRegister, vnDateTime, type DossierDocumentData } from './templates.ts';

const CODE = '000.00.04.H12-261123-0001';
const base = (over: Partial<DossierDocumentData> = {}): DossierDocumentData => ({
  dossierCode: CODE,
  verifyUrl: `https://dichvucong.caobang.gov.vn/verify/${CODE}`,
  agency: { code: '000.00.04.H12', name: 'Ủy ban nhân dân phường Thục Phán', parentName: 'Tỉnh Cao Bằng' },
  place: 'Cao Bằng',
  issuedAt: new Date('2026-11-23T02:30:00Z'),
  procedure: { code: '1.001193', name: 'Thủ tục đăng ký khai sinh' },
  applicant: { name: 'Nguyễn Văn An', personalId: '004096001234', address: 'Số 12, phố Vườn Cam' },
  receivedAt: new Date('2026-11-23T02:30:00Z'),
  dueAt: new Date('2026-11-25T10:00:00Z'),
  submittedAt: new Date('2026-11-22T09:00:00Z'),
  documents: [{ name: 'Giấy chứng sinh', copies: 1 }, { name: 'Tờ khai đăng ký khai sinh', note: 'ký tên đầy đủ' }],
  reasons: ['Người yêu cầu không thuộc thẩm quyền giải quyết của phường'],
  reason: 'Chờ kết quả xác minh của cơ quan công an',
  newDueAt: new Date('2026-11-30T10:00:00Z'),
  signer: { name: 'Nông Văn Lâm', title: 'KT. Chủ tịch' },
  steps: [{ from: 'Bộ phận một cửa', to: 'Công chức tư pháp - hộ tịch', at: new Date('2026-11-23T03:00:00Z'), dueAt: new Date('2026-11-24T10:00:00Z'), by: 'Bế Thị Hương', note: 'Đúng hạn' }],
  form: loadDemoExample('1.001193') as Record<string, unknown>,
  ...over,
});

const squash = (s: string): string => s.replace(/\s+/g, ' ');

describe('documents: templates', () => {
  it('formats dates in Vietnam time', () => {
    assert.equal(dateline('Cao Bằng', new Date('2026-11-22T18:30:00Z')), 'Cao Bằng, ngày 23 tháng 11 năm 2026');
    assert.equal(vnDateTime(new Date('2026-11-23T02:05:00Z')), '09 giờ 05 phút, ngày 23/11/2026');
  });

  it('the QR code holds the verification address, which carries the dossier code', () => {
    const d = base();
    assert.equal(qrPayload(d.verifyUrl), d.verifyUrl);
    assert.ok(qrPayload(d.verifyUrl).endsWith(`/verify/${CODE}`));
    assert.ok(QRCode.create(qrPayload(d.verifyUrl), { errorCorrectionLevel: 'M' }).modules.size >= 21);
  });

  it('every slip and result embeds its fonts as subsets and is A4', async () => {
    for (const kind of DOCUMENT_KINDS.filter((k) => k !== 'register')) {
      const bytes = await renderDossierDocument(kind, base());
      const raw = Buffer.from(bytes).toString('latin1');
      assert.match(raw, /\/FontFile2/, kind);
      assert.match(raw, /\/BaseFont \/DejaVuSerif-\d+/, kind);
      assert.ok(bytes.length < 120_000, `${kind}: ${bytes.length} bytes, the fonts are subsets`);
      assert.doesNotMatch(raw, /\/ObjStm/, `${kind}: no object streams (incremental signatures append to a plain xref)`);
      const doc = await PDFDocument.load(bytes);
      const { width, height } = doc.getPage(0).getSize();
      assert.deepEqual([Math.round(width), Math.round(height)], [595, 842], kind);
    }
  });

  it('in-process: the ToUnicode maps of the fonts carry the Vietnamese letters of the national heading', async () => {
    const doc = await PDFDocument.load(await renderDossierDocument('receipt', base()));
    const mapped = new Set<number>();
    for (const [, obj] of doc.context.enumerateIndirectObjects()) {
      if (!(obj instanceof PDFRawStream)) continue;
      const text = Buffer.from(inflateSync(obj.getContents())).toString('latin1');
      if (!text.includes('begincmap')) continue;
      for (const m of text.matchAll(/<[0-9A-Fa-f]+>\s*<([0-9A-Fa-f]{4,})>/g)) {
        const hex = m[1]!;
        for (let i = 0; i + 4 <= hex.length; i += 4) mapped.add(parseInt(hex.slice(i, i + 4), 16));
      }
    }
    // CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM / Độc lập - Tự do - Hạnh phúc
    for (const ch of 'ỘÒÃỦĨỆĐộậựạúằIOo') assert.ok(mapped.has(ch.codePointAt(0)!), `no glyph maps to ${ch}`);
  });

  it('the register is A4 landscape', async () => {
    const bytes = await renderRegister({ agency: base().agency, place: 'Cao Bằng', issuedAt: new Date('2026-11-23T02:30:00Z'), from: new Date('2026-11-01T00:00:00Z'), to: new Date('2026-11-23T00:00:00Z'), rows: [], verifyUrl: 'https://x/verify' });
    const { width, height } = (await PDFDocument.load(bytes)).getPage(0).getSize();
    assert.ok(width > height);
  });

  it('is pure: the same data gives the same bytes; other data, other bytes', async () => {
    const a = await renderDossierDocument('receipt', base());
    const b = await renderDossierDocument('receipt', base());
    assert.deepEqual(Buffer.from(a), Buffer.from(b));
    const c = await renderDossierDocument('receipt', base({ applicant: { name: 'Lương Thị Thu' } }));
    assert.notDeepEqual(Buffer.from(a), Buffer.from(c));
  });

  it('documents rendered at the same time (shared parsed fonts) are the same as one at a time', async () => {
    const kinds = ['receipt', 'refusal', 'result', 'apology', 'supplement_request', 'stop_notice'] as const;
    const one: Buffer[] = [];
    for (const k of kinds) one.push(Buffer.from(await renderDossierDocument(k, base())));
    const together = await Promise.all(kinds.map((k) => renderDossierDocument(k, base())));
    together.forEach((b, i) => assert.deepEqual(Buffer.from(b), one[i], kinds[i]));
  });

  it('long text wraps onto more pages instead of running off the page', async () => {
    const many = Array.from({ length: 80 }, (_, i) => ({ name: `Giấy tờ số ${i + 1}: bản sao có chứng thực giấy chứng nhận quyền sử dụng đất` }));
    const doc = await PDFDocument.load(await renderDossierDocument('supplement_request', base({ documents: many })));
    assert.ok(doc.getPageCount() >= 2);
  });
});

describe('documents: text as a reader extracts it (pdftotext)', { skip: skipWithout('pdftotext') }, () => {
  it('the national heading and exact Vietnamese text', async () => {
    const text = squash(pdftotext(await renderDossierDocument('receipt', base())));
    for (const s of [
      'CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM',
      'Độc lập - Tự do - Hạnh phúc',
      'GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ',
      `Mã hồ sơ: ${CODE}`,
      'Nguyễn Văn An',
      'Thủ tục đăng ký khai sinh',
      'Giấy chứng sinh',
      'Cao Bằng, ngày 23 tháng 11 năm 2026',
      '17 giờ 00 phút, ngày 25/11/2026',
    ]) assert.ok(text.includes(s), `missing: ${s}\n${text}`);
  });

  it('each slip has its own title', async () => {
    const titles: Record<string, string> = {
      supplement_request: 'PHIẾU YÊU CẦU BỔ SUNG, HOÀN THIỆN HỒ SƠ',
      refusal: 'PHIẾU TỪ CHỐI TIẾP NHẬN, GIẢI QUYẾT HỒ SƠ',
      apology: 'PHIẾU XIN LỖI VÀ HẸN LẠI NGÀY TRẢ KẾT QUẢ',
      control: 'PHIẾU KIỂM SOÁT QUÁ TRÌNH GIẢI QUYẾT HỒ SƠ',
      stop_notice: 'Về việc dừng xử lý hồ sơ',
    };
    for (const [kind, title] of Object.entries(titles)) {
      const text = squash(pdftotext(await renderDossierDocument(kind as 'refusal', base())));
      assert.ok(text.includes(title), `${kind}: ${text}`);
    }
    const refusal = squash(pdftotext(await renderDossierDocument('refusal', base())));
    assert.ok(refusal.includes('Người yêu cầu không thuộc thẩm quyền giải quyết của phường'));
    const apology = squash(pdftotext(await renderDossierDocument('apology', base())));
    assert.ok(apology.includes('17 giờ 00 phút, ngày 30/11/2026'), apology);
  });

  it('the birth extract carries the form; the marital status certificate its own', async () => {
    const birth = squash(pdftotext(await renderDossierDocument('result', base())));
    for (const s of ['TRÍCH LỤC KHAI SINH', 'HOÀNG MINH KHÔI', 'Nông Thị Hạnh', 'Hoàng Văn Dũng', 'Bệnh viện Đa khoa tỉnh Cao Bằng']) assert.ok(birth.includes(s), `missing ${s}: ${birth}`);
    const marital = squash(
      pdftotext(await renderDossierDocument('result', base({ procedure: { code: '1.004873', name: 'Thủ tục cấp Giấy xác nhận tình trạng hôn nhân' }, form: loadDemoExample('1.004873') as Record<string, unknown> }))),
    );
    for (const s of ['GIẤY XÁC NHẬN TÌNH TRẠNG HÔN NHÂN', 'Lương Thị Thu', 'Chưa đăng ký kết hôn với ai', 'Nguyễn Đức Anh']) assert.ok(marital.includes(s), `missing ${s}: ${marital}`);
    const generic = squash(pdftotext(await renderDossierDocument('result', base({ procedure: { code: '1.004222', name: 'Đăng ký thường trú' } }), 'Xác nhận đăng ký thường trú')));
    assert.ok(generic.includes('XÁC NHẬN ĐĂNG KÝ THƯỜNG TRÚ'), generic);
  });
});
