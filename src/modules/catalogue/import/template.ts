/**
 * A province's own procedures, written in the CSV template documented in
 * docs/catalogue-template.md (sample: ./template-sample.csv), parsed into the
 * same entries as the national export. One row per procedure; list columns
 * (channels, documents, results, legal basis) hold one item per line of the
 * cell, its parts separated by "|". Further rows with the same code and a
 * `truong_hop` (case) name describe the procedure's cases.
 * Pure: never throws; problems carry the CSV line the row starts on.
 */
import { parse } from 'csv-parse/sync';
import { CHANNEL_LABELS, type PartProblem } from './channels.ts';
import { formTemplatesIn } from './documents.ts';
import { parseApplicants, parseLevels } from './fields.ts';
import { summaryTime } from './national.ts';
import { clean, cleanLines, excerpt, findDurations, findLegalNumbers, findMoney, isNoInformation, stripListMarker } from './text.ts';
import type {
  CatalogueEntry,
  ChannelKind,
  ChannelRow,
  DocumentEntry,
  DocumentQuantity,
  FeeItem,
  ImportProblem,
  LegalDocument,
  ParseResult,
  ProcedureVariant,
  ResultDocument,
} from './types.ts';

/** Template columns: the Vietnamese header (used in the sample) and the English one, both accepted. */
export const TEMPLATE_COLUMNS = {
  code: ['ma_thu_tuc', 'code'],
  name: ['ten_thu_tuc', 'name'],
  case: ['truong_hop', 'case'],
  field: ['linh_vuc', 'field'],
  levels: ['cap_thuc_hien', 'levels'],
  applicants: ['doi_tuong_thuc_hien', 'applicants'],
  performing: ['co_quan_thuc_hien', 'performing_agency'],
  competent: ['co_quan_co_tham_quyen', 'competent_agency'],
  address: ['dia_chi_tiep_nhan', 'receiving_address'],
  channels: ['hinh_thuc_nop', 'channels'],
  documents: ['thanh_phan_ho_so', 'documents'],
  results: ['ket_qua', 'results'],
  legalBasis: ['can_cu_phap_ly', 'legal_basis'],
  conditions: ['yeu_cau_dieu_kien', 'conditions'],
  steps: ['trinh_tu_thuc_hien', 'steps'],
  decision: ['so_quyet_dinh', 'decision'],
} as const;

type Column = keyof typeof TEMPLATE_COLUMNS;
const REQUIRED: Column[] = ['code', 'name', 'field', 'levels', 'channels'];

const CHANNEL_WORDS: Array<[RegExp, ChannelKind, string]> = [
  [/^(?:trực tuyến|online|qua mạng)$/iu, 'online', 'Trực tuyến'],
  [/^(?:trực tiếp|counter|tại bộ phận một cửa)$/iu, 'counter', 'Trực tiếp'],
  [/^(?:dịch vụ bưu chính|bưu chính|bưu điện|post)$/iu, 'post', 'Dịch vụ bưu chính'],
];

interface Row {
  line: number;
  cells: Partial<Record<Column, string>>;
  raw: Record<string, string>;
}

function problem(line: number, part: ImportProblem['part'], vi: string, en: string, text: string, code?: string): ImportProblem {
  const p: ImportProblem = { line, part, message: { vi, en }, excerpt: excerpt(text) };
  if (code) p.code = code;
  return p;
}

/** The delimiter of the header line: ";" (Excel with a Vietnamese locale), tab, or ",". */
function delimiterOf(text: string): string {
  const first = text.replace(/^\ufeff/u, '').split(/\r?\n/u, 1)[0] ?? '';
  const count = (c: string) => first.split(c).length - 1;
  const best = [',', ';', '\t'].sort((a, b) => count(b) - count(a))[0] ?? ',';
  return count(best) > 0 ? best : ',';
}

function lineItems(cell: string): string[] {
  return cell
    .split(/\r?\n/u)
    .map((l) => l.trim())
    .filter((l) => l !== '');
}

function parts(item: string): string[] {
  return item.split('|').map((p) => clean(p));
}

function channelOf(item: string, itemNo: number, col: string, line: number, code: string, problems: ImportProblem[]): ChannelRow | null {
  const [label = '', timeText = '', feeText = '', ...rest] = parts(item);
  const kind = CHANNEL_WORDS.find(([re]) => re.test(label));
  if (!kind) {
    problems.push(
      problem(
        line,
        'channels',
        `Ô ${col}, dòng ${itemNo}: hình thức nộp không rõ "${label}" (Trực tuyến, Trực tiếp, Dịch vụ bưu chính)`,
        `Cell ${col}, line ${itemNo}: unknown channel "${label}" (Trực tuyến, Trực tiếp, Dịch vụ bưu chính)`,
        item,
        code,
      ),
    );
    return null;
  }
  const row: ChannelRow = {
    channel: kind[1],
    label: CHANNEL_LABELS[kind[2]] ? kind[2] : label,
    time: null,
    timeText,
    free: null,
    fees: [],
    feeText,
    description: rest.join(' | '),
  };
  const d = findDurations(timeText)[0];
  if (d) row.time = { value: d.value, unit: d.unit, text: timeText, source: 'table' };
  else if (/^\d+(?:[.,]\d+)?$/u.test(timeText)) {
    problems.push(
      problem(line, 'time', `Ô ${col}, dòng ${itemNo}: thời hạn "${timeText}" thiếu đơn vị (ngày làm việc, ngày, giờ…)`, `Cell ${col}, line ${itemNo}: time "${timeText}" has no unit (ngày làm việc, ngày, giờ…)`, item, code),
    );
    row.time = { value: Number(timeText.replace(',', '.')), unit: 'unspecified', text: timeText, source: 'table' };
  } else {
    problems.push(problem(line, 'time', `Ô ${col}, dòng ${itemNo}: không đọc được thời hạn "${timeText}"`, `Cell ${col}, line ${itemNo}: unreadable processing time "${timeText}"`, item, code));
  }
  if (/^miễn phí$|^không thu$|^0$/iu.test(feeText)) {
    row.free = true;
    row.fees.push({ amount: 0, currency: 'VND', amountVnd: 0, source: 'table', text: feeText });
  } else if (!isNoInformation(feeText)) {
    for (const clause of feeText.split(';').map(clean).filter(Boolean)) {
      if (/^miễn phí/iu.test(clause)) {
        const free: FeeItem = { amount: 0, currency: 'VND', amountVnd: 0, source: 'table', text: clause };
        const cond = clean(clause.replace(/^miễn phí\s*/iu, '')).replace(/^\((.*)\)$/u, '$1');
        if (cond) free.condition = cond;
        row.fees.push(free);
        continue;
      }
      const m = findMoney(clause)[0];
      if (!m) {
        problems.push(problem(line, 'fees', `Ô ${col}, dòng ${itemNo}: không đọc được số tiền "${clause}"`, `Cell ${col}, line ${itemNo}: unreadable fee "${clause}"`, item, code));
        continue;
      }
      const fee: FeeItem = { amount: m.amount, currency: m.currency, source: 'table', text: clause };
      if (m.currency === 'VND') fee.amountVnd = m.amount;
      const cond = clean(clause.replace(m.raw, ''))
        .replace(/^[:–-]+\s*/u, '')
        .replace(/^\((.*)\)$/u, '$1');
      if (cond) fee.condition = cond;
      row.fees.push(fee);
    }
    if (row.fees.length > 0) row.free = row.fees.every((f) => f.amount === 0);
  }
  return row;
}

function quantityOf(text: string): DocumentQuantity | null {
  const q: DocumentQuantity = {};
  let found = false;
  for (const m of text.matchAll(/(\d+)\s*(?:bản\s*)?(chính|sao|original|copy|copies)/giu)) {
    found = true;
    if (/chính|original/iu.test(m[2] ?? '')) q.original = Number(m[1]);
    else q.copy = Number(m[1]);
  }
  if (!found && /^\d+$/u.test(text.trim())) return { original: Number(text.trim()) };
  return found ? q : null;
}

function documentOf(item: string, itemNo: number, col: string, line: number, code: string, problems: ImportProblem[]): DocumentEntry | null {
  const [nameRaw = '', qtyText = '', template = '', requiredText = ''] = parts(item);
  const name = stripListMarker(nameRaw);
  if (name === '') {
    problems.push(problem(line, 'documents', `Ô ${col}, dòng ${itemNo}: thiếu tên giấy tờ`, `Cell ${col}, line ${itemNo}: the document has no name`, item, code));
    return null;
  }
  let quantity = qtyText === '' ? { original: 1 } : quantityOf(qtyText);
  if (quantity === null) {
    problems.push(
      problem(line, 'documents', `Ô ${col}, dòng ${itemNo}: số lượng không rõ "${qtyText}" (ví dụ: 1 bản chính, 1 bản sao)`, `Cell ${col}, line ${itemNo}: unreadable quantity "${qtyText}" (e.g. 1 bản chính, 1 bản sao)`, item, code),
    );
    quantity = {};
  }
  let required = !/nếu có|trường hợp/iu.test(name);
  if (/^(?:không|không bắt buộc|no|false|0|tùy chọn)$/iu.test(requiredText)) required = false;
  else if (/^(?:có|bắt buộc|x|yes|true|1)$/iu.test(requiredText)) required = true;
  else if (requiredText !== '') {
    problems.push(problem(line, 'documents', `Ô ${col}, dòng ${itemNo}: cột bắt buộc "${requiredText}" không rõ (có/không)`, `Cell ${col}, line ${itemNo}: required "${requiredText}" is not có/không`, item, code));
  }
  const formTemplates = template ? [template] : formTemplatesIn(name);
  return {
    name,
    quantity,
    required,
    formTemplates,
    usesForm: formTemplates.length > 0 || /theo mẫu|tờ khai/iu.test(name),
    templateFiles: /\.(?:docx?|pdf|xlsx?)$/iu.test(template) ? [template] : [],
    text: clean(item),
  };
}

function resultOf(item: string): ResultDocument {
  const [name = '', code = ''] = parts(item);
  const r: ResultDocument = { name };
  if (code) r.code = code;
  return r;
}

function legalOf(item: string, itemNo: number, col: string, line: number, code: string, problems: ImportProblem[]): LegalDocument | null {
  const [a = '', b = ''] = parts(item);
  const number = findLegalNumbers(a)[0]?.number ?? findLegalNumbers(item)[0]?.number;
  if (!number) {
    problems.push(problem(line, 'legalBasis', `Ô ${col}, dòng ${itemNo}: không thấy số hiệu văn bản (ví dụ 60/2014/QH13)`, `Cell ${col}, line ${itemNo}: no document number (e.g. 60/2014/QH13)`, item, code));
    return null;
  }
  const title = b || clean(a.replace(number, '')) || undefined;
  return title ? { number, title } : { number };
}

function items<T>(row: Row, column: Column, code: string, problems: ImportProblem[], read: (item: string, itemNo: number, col: string, line: number, code: string, problems: ImportProblem[]) => T | null): T[] {
  const col = TEMPLATE_COLUMNS[column][0];
  return lineItems(row.cells[column] ?? '')
    .map((item, i) => read(item, i + 1, col, row.line, code, problems))
    .filter((x): x is T => x !== null);
}

/**
 * Parses the template. Returns one result per procedure (its first row's
 * line), and malformed results for rows that cannot be a procedure (no code,
 * no name, unreadable CSV).
 */
export function parseTemplateCsv(text: string): ParseResult[] {
  const src = typeof text === 'string' ? text : '';
  const out: ParseResult[] = [];
  const skipped: ImportProblem[] = [];
  let records: Array<{ record: string[]; raw: string; info: { lines: number } }>;
  try {
    records = parse(src, {
      bom: true,
      delimiter: delimiterOf(src),
      info: true,
      raw: true,
      relax_column_count: true,
      relax_quotes: true,
      skip_empty_lines: true,
      skip_records_with_error: true,
      on_skip: (err: { message: string; lines?: number } | undefined, chunk?: string) => {
        if (err) skipped.push(problem(Math.max(1, err.lines ?? 1), 'csv', `Dòng CSV không đọc được: ${err.message}`, `Unreadable CSV row: ${err.message}`, chunk ?? ''));
      },
    }) as unknown as Array<{ record: string[]; raw: string; info: { lines: number } }>;
  } catch (e) {
    const err = e as { message?: string; lines?: number };
    const line = Math.max(1, err.lines ?? 1);
    return [{ ok: false, line, problem: problem(line, 'csv', `Tệp CSV không đọc được: ${err.message ?? e}`, `The CSV file cannot be read: ${err.message ?? e}`, src.slice(0, 160)) }];
  }
  for (const p of skipped) out.push({ ok: false, line: p.line, problem: p });
  const [head, ...body] = records;
  if (!head) {
    return [{ ok: false, line: 1, problem: problem(1, 'csv', 'Tệp trống', 'The file is empty', '') }];
  }
  const startLine = (r: { raw: string; info: { lines: number } }) => {
    const rec = r.raw.replace(/^(?:\r?\n)+/u, '').replace(/\r?\n$/u, '');
    return r.info.lines - (rec.match(/\n/gu)?.length ?? 0);
  };
  // Header: each name maps to a column (Vietnamese or English, any case, spaces as underscores).
  const index = new Map<Column, number>();
  const unknown: string[] = [];
  head.record.forEach((h, i) => {
    const key = clean(h).toLowerCase().replace(/\s+/gu, '_');
    const col = (Object.keys(TEMPLATE_COLUMNS) as Column[]).find((c) => (TEMPLATE_COLUMNS[c] as readonly string[]).includes(key));
    if (col && !index.has(col)) index.set(col, i);
    else if (key !== '') unknown.push(h);
  });
  const headerLine = startLine(head);
  const missing = REQUIRED.filter((c) => !index.has(c));
  if (missing.length > 0) {
    const names = missing.map((c) => TEMPLATE_COLUMNS[c][0]).join(', ');
    out.push({ ok: false, line: headerLine, problem: problem(headerLine, 'csv', `Thiếu cột bắt buộc: ${names}`, `Required columns missing: ${names}`, head.raw) });
    return out.sort((a, b) => a.line - b.line);
  }
  const rows: Row[] = body.map((r) => {
    const cells: Partial<Record<Column, string>> = {};
    for (const [col, i] of index) cells[col] = r.record[i] ?? '';
    const raw: Record<string, string> = {};
    head.record.forEach((h, i) => (raw[clean(h)] = r.record[i] ?? ''));
    return { line: startLine(r), cells, raw };
  });
  // Group rows by code: the first row is the procedure, later rows with a case name are its cases.
  const groups = new Map<string, Row[]>();
  for (const row of rows) {
    const code = clean(row.cells.code ?? '');
    if (code === '') {
      if (Object.values(row.cells).every((v) => clean(v ?? '') === '')) continue;
      out.push({ ok: false, line: row.line, problem: problem(row.line, 'code', 'Thiếu mã thủ tục (ma_thu_tuc)', 'The procedure code (ma_thu_tuc) is missing', Object.values(row.raw).join(' | ')) });
      continue;
    }
    const g = groups.get(code);
    if (g) g.push(row);
    else groups.set(code, [row]);
  }
  for (const [code, group] of groups) {
    const [first, ...more] = group;
    if (!first) continue;
    const name = clean(first.cells.name ?? '');
    if (name === '') {
      out.push({ ok: false, line: first.line, problem: problem(first.line, 'name', 'Thiếu tên thủ tục (ten_thu_tuc)', 'The procedure name (ten_thu_tuc) is missing', Object.values(first.raw).join(' | '), code) });
      continue;
    }
    out.push({ ok: true, line: first.line, ...buildTemplateEntry(code, name, first, more, unknown) });
  }
  return out.sort((a, b) => a.line - b.line);
}

function buildTemplateEntry(code: string, name: string, first: Row, more: Row[], unknownColumns: string[]): { entry: CatalogueEntry; problems: ImportProblem[] } {
  const problems: ImportProblem[] = [];
  const c = first.cells;
  const fromParts = (ps: PartProblem[], line: number) => {
    for (const p of ps) problems.push(problem(line, p.part, p.vi, p.en, p.excerpt, code));
  };
  if (unknownColumns.length > 0) {
    const p = problem(first.line, 'csv', `Cột không thuộc mẫu, giữ nguyên văn bản: ${unknownColumns.join(', ')}`, `Columns not in the template, kept as text: ${unknownColumns.join(', ')}`, unknownColumns.join(', '), code);
    p.severity = 'warning';
    problems.push(p);
  }
  const levels = parseLevels(c.levels ?? '');
  fromParts(levels.problems, first.line);
  const applicants = parseApplicants(c.applicants ?? '');
  if (clean(c.applicants ?? '') !== '') fromParts(applicants.problems, first.line);
  const field = clean(c.field ?? '');
  if (field === '') problems.push(problem(first.line, 'field', 'Thiếu lĩnh vực (linh_vuc)', 'The field (linh_vuc) is missing', '', code));

  const channels = items(first, 'channels', code, problems, channelOf);
  if (channels.length === 0) problems.push(problem(first.line, 'channels', 'Không có hình thức nộp nào (cột hinh_thuc_nop)', 'No channel is given (column hinh_thuc_nop)', c.channels ?? '', code));
  const documents = items(first, 'documents', code, problems, documentOf);
  if (documents.length === 0) problems.push(problem(first.line, 'documents', 'Không có thành phần hồ sơ (cột thanh_phan_ho_so)', 'No document is listed (column thanh_phan_ho_so)', '', code));
  const results = items(first, 'results', code, problems, (item) => resultOf(item));
  const legalBasis = items(first, 'legalBasis', code, problems, legalOf);

  // Cases: the first row is the common case; each later row names a case and may give its own channels and documents.
  const variants: ProcedureVariant[] = [];
  if (more.length > 0) {
    variants.push({ name: clean(c.case ?? '') || 'Trường hợp thông thường', channels, documents, basis: ['channels', 'documents'] });
    for (const row of more) {
      const caseName = clean(row.cells.case ?? '');
      if (caseName === '') {
        problems.push(problem(row.line, 'variants', 'Dòng lặp lại mã thủ tục nhưng không có tên trường hợp (truong_hop); bỏ qua', 'The row repeats the code without a case name (truong_hop); ignored', Object.values(row.raw).join(' | '), code));
        continue;
      }
      const ownChannels = items(row, 'channels', code, problems, channelOf);
      const ownDocs = items(row, 'documents', code, problems, documentOf);
      const basis: ProcedureVariant['basis'] = [];
      if (ownChannels.length > 0) basis.push('channels');
      if (ownDocs.length > 0) basis.push('documents');
      variants.push({
        name: caseName,
        channels: ownChannels.length > 0 ? ownChannels : channels,
        documents: ownDocs.length > 0 ? ownDocs : documents,
        basis,
      });
    }
  }
  const entry: CatalogueEntry = {
    code,
    name,
    field,
    levels: levels.levels,
    applicantTypes: applicants.applicantTypes,
    agencies: { performing: clean(c.performing ?? ''), competent: clean(c.competent ?? '') },
    channels,
    processingTime: summaryTime(channels),
    documents,
    results,
    legalBasis,
    conditions: cleanLines(c.conditions ?? ''),
    steps: cleanLines(c.steps ?? ''),
    announcingDecision: clean(c.decision ?? ''),
    source: 'template',
    variants,
    raw: first.raw,
  };
  if (clean(c.address ?? '')) entry.agencies.receivingAddress = cleanLines(c.address ?? '');
  return { entry, problems };
}
