/**
 * The documents of the one-stop mechanism and the results of the demo procedures, as
 * pure functions: data in, PDF bytes out. The slips follow the forms of Circular
 * 01/2018/TT-VPCP (Mẫu 01–06), carried over by Decree 118/2025/ND-CP; every document
 * has the national heading, the dossier code and a QR code with the verification address.
 */
import type { PDFDocument } from 'pdf-lib';
import { newDocument, PageWriter, saveDocument, type PageSize } from './layout.ts';

export const DOCUMENT_KINDS = ['receipt', 'supplement_request', 'refusal', 'apology', 'control', 'stop_notice', 'register', 'result'] as const;
export type DocumentKind = (typeof DOCUMENT_KINDS)[number];

export interface Party {
  name: string;
  personalId?: string | null;
  address?: string | null;
  phone?: string | null;
  email?: string | null;
}

export interface DossierDocumentData {
  dossierCode: string;
  /** The public verification address, `<publicUrl>/verify/<code>`. */
  verifyUrl: string;
  /** The issuing agency, and the body above it when the heading names both. */
  agency: { code: string; name: string; parentName?: string | null };
  /** The place in the dateline, e.g. `Cao Bằng`. */
  place: string;
  issuedAt: Date;
  /** The document's number, e.g. `15/TN`. */
  number?: string | null;
  procedure: { code: string; name: string };
  applicant: Party;
  submittedAt?: Date | null;
  receivedAt?: Date | null;
  dueAt?: Date | null;
  /** What was received (receipt) or is missing (supplement request). */
  documents?: { name: string; note?: string | null; copies?: number | null }[];
  reasons?: string[];
  reason?: string | null;
  newDueAt?: Date | null;
  officer?: { name: string; title?: string | null } | null;
  signer?: { name: string; title: string } | null;
  /** Steps of the process control slip. */
  steps?: { from: string; to: string; at: Date; dueAt?: Date | null; by: string; note?: string | null }[];
  /** The filled eForm, for result documents. */
  form?: Record<string, unknown>;
  resultNumber?: string | null;
}

export interface RegisterRow {
  code: string;
  applicant: string;
  procedure: string;
  receivedAt: Date | null;
  dueAt: Date | null;
  returnedAt: Date | null;
  status: string;
}

export interface RegisterData {
  agency: { code: string; name: string; parentName?: string | null };
  place: string;
  issuedAt: Date;
  from: Date;
  to: Date;
  rows: RegisterRow[];
  verifyUrl: string;
}

// ---------------------------------------------------------------- dates (Vietnam time, UTC+7, no DST)

const local = (d: Date): Date => new Date(d.getTime() + 7 * 3600_000);
const pad = (n: number): string => String(n).padStart(2, '0');
export function vnDate(d: Date | null | undefined): string {
  if (!d) return '…';
  const l = local(d);
  return `${pad(l.getUTCDate())}/${pad(l.getUTCMonth() + 1)}/${l.getUTCFullYear()}`;
}
export function vnDateTime(d: Date | null | undefined): string {
  if (!d) return '…';
  const l = local(d);
  return `${pad(l.getUTCHours())} giờ ${pad(l.getUTCMinutes())} phút, ngày ${vnDate(d)}`;
}
export function dateline(place: string, d: Date): string {
  const l = local(d);
  return `${place}, ngày ${pad(l.getUTCDate())} tháng ${pad(l.getUTCMonth() + 1)} năm ${l.getUTCFullYear()}`;
}

/** What the QR code holds: the verification address, which carries the dossier code. */
export function qrPayload(verifyUrl: string): string {
  return verifyUrl;
}

// ---------------------------------------------------------------- common parts

function heading(w: PageWriter, agency: DossierDocumentData['agency'], place: string, issuedAt: Date, number: string | null | undefined): void {
  const { bold, italic, regular } = w.fonts;
  const leftW = w.width * 0.42;
  const left = [
    ...(agency.parentName ? [{ text: agency.parentName.toUpperCase(), font: regular, size: 11 }] : []),
    { text: agency.name.toUpperCase(), font: bold, size: 11 },
  ];
  const right = [
    { text: 'CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM', font: bold, size: 11 },
    { text: 'Độc lập - Tự do - Hạnh phúc', font: bold, size: 12 },
  ];
  w.columns(left, right);
  const mottoW = bold.widthOfTextAtSize('Độc lập - Tự do - Hạnh phúc', 12);
  w.rule(w.margin.left + leftW + (w.width - leftW) / 2, mottoW);
  const top = w.y;
  w.text(`Số: ${number ?? '……'}`, { size: 11, align: 'center', width: leftW });
  w.y = top;
  w.text(dateline(place, issuedAt), { font: italic, size: 11, align: 'center', x: w.margin.left + leftW, width: w.width - leftW, gapAfter: 14 });
}

function title(w: PageWriter, lines: string[]): void {
  lines.forEach((l, i) => w.text(l, { font: w.fonts.bold, size: i === 0 ? 14 : 12, align: 'center', gapAfter: i === lines.length - 1 ? 12 : 0 }));
}

function signatureBlock(w: PageWriter, who: { name: string; title: string } | null | undefined, qr: { payload: string; code: string }): void {
  w.ensure(150);
  const top = w.y - 6;
  const rightX = w.margin.left + w.width * 0.5;
  w.y = top;
  w.text((who?.title ?? 'NGƯỜI KÝ').toUpperCase(), { font: w.fonts.bold, size: 12, align: 'center', x: rightX, width: w.width * 0.5 });
  w.text('(Ký số)', { font: w.fonts.italic, size: 11, align: 'center', x: rightX, width: w.width * 0.5, gapAfter: 40 });
  w.text(who?.name ?? '', { font: w.fonts.bold, size: 12, align: 'center', x: rightX, width: w.width * 0.5 });
  // The QR code and the verification address at the lower left.
  const side = 92;
  w.qr(qr.payload, w.margin.left - 10, top - side, side);
  w.y = Math.min(w.y, top - side) - 4;
  w.text(`Mã hồ sơ: ${qr.code}`, { size: 8, width: w.width * 0.55 });
  w.text(`Tra cứu, xác thực / Verify: ${qr.payload}`, { size: 8, width: w.width * 0.55 });
}

function partyFields(w: PageWriter, p: Party): void {
  w.field('Họ và tên', p.name);
  if (p.personalId) w.field('Số định danh cá nhân', p.personalId);
  if (p.address) w.field('Địa chỉ', p.address);
  if (p.phone) w.field('Số điện thoại', p.phone);
  if (p.email) w.field('Thư điện tử', p.email);
}

function documentList(w: PageWriter, docs: { name: string; note?: string | null; copies?: number | null }[]): void {
  docs.forEach((d, i) => {
    const extra = [d.copies ? `${d.copies} bản` : '', d.note ?? ''].filter(Boolean).join('; ');
    w.text(`${i + 1}. ${d.name}${extra ? ` (${extra})` : ''}`, { size: 12, indent: 16 });
  });
}

interface Built {
  size: PageSize;
  title: string;
  draw(w: PageWriter): void;
}

async function build(data: { agency: DossierDocumentData['agency']; issuedAt: Date }, b: Built): Promise<Uint8Array> {
  const { doc, fonts } = await newDocument({ title: b.title, author: data.agency.name, createdAt: data.issuedAt });
  const w = new PageWriter(doc, fonts, b.size);
  b.draw(w);
  return saveDocument(doc as PDFDocument);
}

// ---------------------------------------------------------------- slips

const signerOf = (d: DossierDocumentData, fallback: string) => d.signer ?? (d.officer ? { name: d.officer.name, title: d.officer.title ?? fallback } : { name: '', title: fallback });

export function renderReceipt(d: DossierDocumentData): Promise<Uint8Array> {
  return build(d, {
    size: 'A4',
    title: `Giấy tiếp nhận hồ sơ và hẹn trả kết quả ${d.dossierCode}`,
    draw(w) {
      heading(w, d.agency, d.place, d.issuedAt, d.number);
      title(w, ['GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ', `Mã hồ sơ: ${d.dossierCode}`]);
      w.text(`${d.agency.name} tiếp nhận hồ sơ của:`, { gapAfter: 2 });
      partyFields(w, d.applicant);
      w.field('Nội dung yêu cầu giải quyết', d.procedure.name);
      w.text('Thành phần hồ sơ nộp gồm:', { font: w.fonts.bold });
      documentList(w, d.documents ?? []);
      w.field('Số lượng hồ sơ', '01 bộ');
      w.field('Thời gian giải quyết hồ sơ theo quy định', 'như thủ tục hành chính đã công bố');
      w.field('Thời gian nhận hồ sơ', vnDateTime(d.receivedAt ?? d.issuedAt));
      w.field('Thời gian trả kết quả giải quyết hồ sơ', vnDateTime(d.dueAt));
      w.field('Nhận kết quả tại', `${d.agency.name}, hoặc bản điện tử trên Cổng dịch vụ công`);
      w.text('Vào Sổ theo dõi hồ sơ, Quyển số: 01, Số thứ tự: ' + d.dossierCode.slice(-4), { size: 11, gapAfter: 6 });
      signatureBlock(w, signerOf(d, 'Người tiếp nhận hồ sơ'), { payload: qrPayload(d.verifyUrl), code: d.dossierCode });
    },
  });
}

export function renderSupplementRequest(d: DossierDocumentData): Promise<Uint8Array> {
  return build(d, {
    size: 'A4',
    title: `Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ ${d.dossierCode}`,
    draw(w) {
      heading(w, d.agency, d.place, d.issuedAt, d.number);
      title(w, ['PHIẾU YÊU CẦU BỔ SUNG, HOÀN THIỆN HỒ SƠ', `Mã hồ sơ: ${d.dossierCode}`]);
      w.text(`${d.agency.name} tiếp nhận hồ sơ của:`);
      partyFields(w, d.applicant);
      w.field('Nội dung yêu cầu giải quyết', d.procedure.name);
      w.text('Yêu cầu hoàn thiện hồ sơ gồm những nội dung sau:', { font: w.fonts.bold });
      documentList(w, d.documents ?? []);
      if (d.reason) w.field('Lý do', d.reason);
      w.text(
        'Trong quá trình hoàn thiện hồ sơ, nếu có vướng mắc, ông/bà liên hệ với bộ phận tiếp nhận và trả kết quả để được hướng dẫn. Thời gian giải quyết được tính lại từ khi nhận đủ hồ sơ.',
        { size: 11, gapAfter: 6 },
      );
      signatureBlock(w, signerOf(d, 'Người hướng dẫn'), { payload: qrPayload(d.verifyUrl), code: d.dossierCode });
    },
  });
}

export function renderRefusal(d: DossierDocumentData): Promise<Uint8Array> {
  return build(d, {
    size: 'A4',
    title: `Phiếu từ chối tiếp nhận giải quyết hồ sơ ${d.dossierCode}`,
    draw(w) {
      heading(w, d.agency, d.place, d.issuedAt, d.number);
      title(w, ['PHIẾU TỪ CHỐI TIẾP NHẬN, GIẢI QUYẾT HỒ SƠ', `Mã hồ sơ: ${d.dossierCode}`]);
      w.text(`${d.agency.name} tiếp nhận hồ sơ của:`);
      partyFields(w, d.applicant);
      w.field('Nội dung yêu cầu giải quyết', d.procedure.name);
      w.text('Cơ quan từ chối tiếp nhận, giải quyết hồ sơ này với lý do sau:', { font: w.fonts.bold });
      (d.reasons ?? []).forEach((r, i) => w.text(`${i + 1}. ${r}`, { indent: 16 }));
      w.text('Xin thông báo để ông/bà được biết và thực hiện.', { gapAfter: 6 });
      signatureBlock(w, signerOf(d, 'Người tiếp nhận hồ sơ'), { payload: qrPayload(d.verifyUrl), code: d.dossierCode });
    },
  });
}

export function renderApology(d: DossierDocumentData): Promise<Uint8Array> {
  return build(d, {
    size: 'A4',
    title: `Phiếu xin lỗi và hẹn lại ngày trả kết quả ${d.dossierCode}`,
    draw(w) {
      heading(w, d.agency, d.place, d.issuedAt, d.number);
      title(w, ['PHIẾU XIN LỖI VÀ HẸN LẠI NGÀY TRẢ KẾT QUẢ', `Mã hồ sơ: ${d.dossierCode}`]);
      w.text(`Kính gửi: Ông/Bà ${d.applicant.name}`, { font: w.fonts.bold, gapAfter: 4 });
      w.text(
        `${d.agency.name} đã tiếp nhận hồ sơ giải quyết thủ tục ${d.procedure.name} của ông/bà vào ${vnDateTime(d.receivedAt)}, hẹn trả kết quả vào ${vnDateTime(d.dueAt)}.`,
      );
      w.text(`Tuy nhiên, đến nay hồ sơ chưa giải quyết xong. Lý do: ${d.reason ?? '…'}`);
      w.text(`Sự chậm trễ này đã gây phiền hà cho ông/bà. ${d.agency.name} xin lỗi ông/bà và hẹn trả kết quả vào ${vnDateTime(d.newDueAt)}.`);
      w.text('Xin trân trọng cảm ơn sự hợp tác của ông/bà.', { gapAfter: 6 });
      signatureBlock(w, signerOf(d, 'Thủ trưởng cơ quan'), { payload: qrPayload(d.verifyUrl), code: d.dossierCode });
    },
  });
}

export function renderControlSlip(d: DossierDocumentData): Promise<Uint8Array> {
  return build(d, {
    size: 'A4',
    title: `Phiếu kiểm soát quá trình giải quyết hồ sơ ${d.dossierCode}`,
    draw(w) {
      heading(w, d.agency, d.place, d.issuedAt, d.number);
      title(w, ['PHIẾU KIỂM SOÁT QUÁ TRÌNH GIẢI QUYẾT HỒ SƠ', `Mã hồ sơ: ${d.dossierCode}`]);
      w.field('Kèm theo hồ sơ của', d.applicant.name);
      w.field('Nội dung yêu cầu giải quyết', d.procedure.name);
      w.field('Ngày nhận', vnDateTime(d.receivedAt));
      w.field('Ngày hẹn trả', vnDateTime(d.dueAt));
      w.y -= 6;
      w.table(
        ['Tên cơ quan / bước', 'Thời gian giao, nhận hồ sơ', 'Hạn của bước', 'Người thực hiện', 'Kết quả, ghi chú'],
        (d.steps ?? []).map((s) => [`${s.from} → ${s.to}`, vnDateTime(s.at), s.dueAt ? vnDate(s.dueAt) : '', s.by, s.note ?? '']),
        [3, 3, 2, 3, 3],
      );
      signatureBlock(w, signerOf(d, 'Người lập phiếu'), { payload: qrPayload(d.verifyUrl), code: d.dossierCode });
    },
  });
}

export function renderStopNotice(d: DossierDocumentData): Promise<Uint8Array> {
  return build(d, {
    size: 'A4',
    title: `Thông báo dừng xử lý hồ sơ ${d.dossierCode}`,
    draw(w) {
      heading(w, d.agency, d.place, d.issuedAt, d.number);
      title(w, ['THÔNG BÁO', 'Về việc dừng xử lý hồ sơ', `Mã hồ sơ: ${d.dossierCode}`]);
      w.text(`Kính gửi: Ông/Bà ${d.applicant.name}`, { font: w.fonts.bold, gapAfter: 4 });
      w.text(`${d.agency.name} thông báo dừng xử lý hồ sơ thủ tục ${d.procedure.name} của ông/bà, nộp ngày ${vnDate(d.submittedAt)}.`);
      w.field('Lý do', d.reason ?? (d.reasons ?? []).join('; '));
      w.text('Hồ sơ và các giấy tờ đã nộp được trả lại cho ông/bà theo quy định.', { gapAfter: 6 });
      signatureBlock(w, signerOf(d, 'Thủ trưởng cơ quan'), { payload: qrPayload(d.verifyUrl), code: d.dossierCode });
    },
  });
}

export function renderRegister(d: RegisterData): Promise<Uint8Array> {
  return build(d, {
    size: 'A4_LANDSCAPE',
    title: `Sổ theo dõi hồ sơ ${d.agency.name} ${vnDate(d.from)} – ${vnDate(d.to)}`,
    draw(w) {
      heading(w, d.agency, d.place, d.issuedAt, null);
      title(w, ['SỔ THEO DÕI HỒ SƠ', `Từ ngày ${vnDate(d.from)} đến ngày ${vnDate(d.to)}`]);
      w.table(
        ['STT', 'Mã hồ sơ', 'Tên thủ tục', 'Người nộp', 'Ngày nhận', 'Hẹn trả', 'Ngày trả', 'Tình trạng'],
        d.rows.map((r, i) => [String(i + 1), r.code, r.procedure, r.applicant, vnDate(r.receivedAt), vnDate(r.dueAt), r.returnedAt ? vnDate(r.returnedAt) : '', r.status]),
        [1, 5.6, 6, 4, 2.4, 2.4, 2.4, 3.4],
        8,
      );
      w.text(`Tổng số hồ sơ: ${d.rows.length}`, { size: 10 });
      w.qr(qrPayload(d.verifyUrl), w.size[0] - w.margin.right - 80, w.margin.bottom - 30, 72);
    },
  });
}

// ---------------------------------------------------------------- results

/** Reads a nested field of the eForm as text (`child.fullName`); empty when absent. */
function get(form: Record<string, unknown> | undefined, path: string): string {
  let v: unknown = form;
  for (const k of path.split('.')) v = v !== null && typeof v === 'object' ? (v as Record<string, unknown>)[k] : undefined;
  if (v === undefined || v === null) return '';
  if (typeof v === 'object') {
    const o = v as Record<string, unknown>;
    if (typeof o.detail === 'string') return [o.detail, o.communeName, o.provinceName].filter((x) => typeof x === 'string' && x !== '').join(', ');
    if (typeof o.facilityName === 'string') return [o.facilityName, get(o, 'address')].filter(Boolean).join(', ');
    return Object.values(o).filter((x) => typeof x === 'string').join(', ');
  }
  const text = String(v);
  // eForm dates are kept as ISO (YYYY-MM-DD); documents print them as dd/mm/yyyy.
  const iso = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  return iso ? `${iso[3]}/${iso[2]}/${iso[1]}` : text;
}

function resultFrame(d: DossierDocumentData, titleLines: string[], body: (w: PageWriter) => void): Promise<Uint8Array> {
  return build(d, {
    size: 'A4',
    title: `${titleLines[0]} ${d.dossierCode}`,
    draw(w) {
      heading(w, d.agency, d.place, d.issuedAt, d.resultNumber ?? d.number);
      title(w, titleLines);
      body(w);
      w.y -= 4;
      signatureBlock(w, signerOf(d, 'TM. Ủy ban nhân dân'), { payload: qrPayload(d.verifyUrl), code: d.dossierCode });
    },
  });
}

/** 1.001193 Đăng ký khai sinh: the extract of the birth registration. */
export function renderBirthExtract(d: DossierDocumentData): Promise<Uint8Array> {
  const f = d.form;
  return resultFrame(d, ['TRÍCH LỤC KHAI SINH', '(Bản điện tử)'], (w) => {
    w.field('Họ, chữ đệm, tên', get(f, 'child.fullName').toUpperCase());
    w.field('Ngày, tháng, năm sinh', get(f, 'child.dateOfBirth'));
    w.field('Giới tính', get(f, 'child.sex'));
    w.field('Dân tộc', get(f, 'child.ethnicity'));
    w.field('Quốc tịch', get(f, 'child.nationality'));
    w.field('Nơi sinh', get(f, 'child.placeOfBirth'));
    w.field('Quê quán', get(f, 'child.hometown'));
    w.y -= 4;
    w.field('Họ, chữ đệm, tên người mẹ', get(f, 'mother.fullName'));
    w.field('Năm sinh; Dân tộc; Quốc tịch', [get(f, 'mother.dateOfBirth'), get(f, 'mother.ethnicity'), get(f, 'mother.nationality')].filter(Boolean).join('; '));
    w.field('Nơi cư trú', get(f, 'mother.residence'));
    if (get(f, 'father.fullName') !== '') {
      w.field('Họ, chữ đệm, tên người cha', get(f, 'father.fullName'));
      w.field('Năm sinh; Dân tộc; Quốc tịch', [get(f, 'father.dateOfBirth'), get(f, 'father.ethnicity'), get(f, 'father.nationality')].filter(Boolean).join('; '));
      w.field('Nơi cư trú', get(f, 'father.residence'));
    }
    w.y -= 4;
    w.field('Người đi khai sinh', [get(f, 'declarant.fullName'), get(f, 'declarant.relationship')].filter(Boolean).join(' — quan hệ: '));
    w.field('Nơi đăng ký khai sinh', d.agency.name);
    w.field('Ngày đăng ký', vnDate(d.issuedAt));
  });
}

/** 1.004873 Cấp Giấy xác nhận tình trạng hôn nhân. */
export function renderMaritalStatus(d: DossierDocumentData): Promise<Uint8Array> {
  const f = d.form;
  return resultFrame(d, ['GIẤY XÁC NHẬN TÌNH TRẠNG HÔN NHÂN'], (w) => {
    w.text(`${d.agency.name} xác nhận:`, { gapAfter: 2 });
    w.field('Họ, chữ đệm, tên', get(f, 'subject.fullName'));
    w.field('Ngày, tháng, năm sinh', get(f, 'subject.dateOfBirth'));
    w.field('Giới tính', get(f, 'subject.sex'));
    w.field('Dân tộc', get(f, 'subject.ethnicity'));
    w.field('Quốc tịch', get(f, 'subject.nationality'));
    w.field('Số định danh cá nhân', get(f, 'subject.personalId'));
    w.field('Nơi cư trú', get(f, 'subject.residence'));
    w.field('Tình trạng hôn nhân', get(f, 'maritalStatus'));
    w.field('Giấy này được cấp để', get(f, 'purpose') + (get(f, 'intendedSpouse.fullName') ? ` với ông/bà ${get(f, 'intendedSpouse.fullName')}` : ''));
    w.field('Giấy có giá trị sử dụng', '06 tháng kể từ ngày cấp');
  });
}

/** The other procedures: a decision that grants what was asked. */
export function renderGenericResult(d: DossierDocumentData, resultName: string): Promise<Uint8Array> {
  return resultFrame(d, [resultName.toUpperCase(), `Về việc giải quyết thủ tục ${d.procedure.name}`], (w) => {
    w.text(`Căn cứ hồ sơ mã ${d.dossierCode} do ông/bà ${d.applicant.name} nộp ngày ${vnDate(d.submittedAt)};`, { gapAfter: 2 });
    w.text(`${d.agency.name} giải quyết yêu cầu của ông/bà như sau:`, { gapAfter: 4 });
    w.field('Người được cấp', d.applicant.name);
    if (d.applicant.personalId) w.field('Số định danh cá nhân', d.applicant.personalId);
    w.field('Thủ tục', `${d.procedure.code} — ${d.procedure.name}`);
    w.field('Kết quả', `Chấp thuận; cấp ${resultName}`);
    w.field('Ngày có hiệu lực', vnDate(d.issuedAt));
  });
}

/** The result document of a procedure, by procedure code; `resultName` is the catalogue's name of the result. */
export function renderResult(d: DossierDocumentData, resultName = 'Quyết định'): Promise<Uint8Array> {
  switch (d.procedure.code) {
    case '1.001193':
      return renderBirthExtract(d);
    case '1.004873':
      return renderMaritalStatus(d);
    default:
      return renderGenericResult(d, resultName);
  }
}

/** A slip or result by kind (the register has its own data: `renderRegister`). */
export function renderDossierDocument(kind: Exclude<DocumentKind, 'register'>, d: DossierDocumentData, resultName?: string): Promise<Uint8Array> {
  switch (kind) {
    case 'receipt':
      return renderReceipt(d);
    case 'supplement_request':
      return renderSupplementRequest(d);
    case 'refusal':
      return renderRefusal(d);
    case 'apology':
      return renderApology(d);
    case 'control':
      return renderControlSlip(d);
    case 'stop_notice':
      return renderStopNotice(d);
    case 'result':
      return renderResult(d, resultName);
  }
}
