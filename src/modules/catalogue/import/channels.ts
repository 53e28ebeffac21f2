/**
 * The channel table of the national catalogue (cách thức thực hiện), an HTML
 * table flattened to text with the cell boundaries lost:
 *
 *   Hình thức nộpThời gianPhí, lệ phíMô tả
 *   Trực tuyến5 Ngày làm việc50,000 Việt Nam Đồng(50.000 đồng/hồ sơ)Nộp qua Cổng…
 *   Dịch vụ bưu chính5 Ngày làm việcMiễn phí…
 *
 * A row starts with the channel name glued to its time cell; the time cell is
 * "N <unit>", a bare "N", "Không có thông tin" or a short text; the fee cell is
 * "Miễn phí", "Không có thông tin" or "N <currency>", optionally followed by a
 * bracketed note; the rest up to the next row is the description.
 */
import {
  clean,
  excerpt,
  findDurations,
  findMoney,
  firstDuration,
  leadingBracket,
  parseNumber,
  splitClauses,
  unitFromWords,
} from './text.ts';
import type { ChannelKind, ChannelRow, Currency, FeeItem, ProblemPart, ProcessingTime } from './types.ts';

export interface PartProblem {
  part: ProblemPart;
  vi: string;
  en: string;
  excerpt: string;
  severity?: 'warning';
}

export const CHANNEL_LABELS: Record<string, ChannelKind> = {
  'Trực tuyến': 'online',
  'Trực tiếp': 'counter',
  'Dịch vụ bưu chính': 'post',
};

const HEADER_RE = /^\s*Hình thức nộp\s*Thời gian\s*Phí,?\s*lệ phí\s*Mô tả/u;
/** A channel name glued to the next cell (a name followed by a space or ':' is description text). */
const ROW_START_RE = /(Trực tuyến|Trực tiếp|Dịch vụ bưu chính)(?=[^\s:;,.)\]\-–])/gu;
const CURRENCY = String.raw`(?:Việt Nam Đồng|VNĐ|VND|USD|Đồng)`;
const FEE_AT_RE = new RegExp(String.raw`^(?:(Miễn phí)|(Không có thông tin)|(\d[\d.,]*)\s*(${CURRENCY}))`, 'u');
const FEE_ANYWHERE_RE = new RegExp(String.raw`Miễn phí|Không có thông tin|\d[\d.,]*\s*${CURRENCY}`, 'u');
const TIME_UNIT_RE = /^(\d{1,4}(?:[.,]\d{1,2})?)\s*([Nn]gày làm việc|[Gg]iờ làm việc|[Nn]gày|[Gg]iờ|[Pp]hút|[Tt]uần|[Tt]háng|[Nn]ăm)(?![\p{Ll}])/u;
const GLUED_AMOUNT_RE = new RegExp(String.raw`^(\d[\d.,]*)\s*(${CURRENCY})`, 'u');

type TimeCell =
  | { kind: 'unit'; value: number; unitWords: string }
  | { kind: 'bare'; value: number }
  | { kind: 'none' }
  | { kind: 'text' };

interface Head {
  timeText: string;
  time: TimeCell;
  fee: { kind: 'free' } | { kind: 'none' } | { kind: 'amount'; amount: number; currency: Currency };
  feeText: string;
  /** Characters of the row taken by the time and fee cells. */
  length: number;
  /** Set when a bare time and an amount were glued and had to be split. */
  gluedSplit?: string;
}

function currencyOf(word: string): Currency {
  return /USD/u.test(word) ? 'USD' : 'VND';
}

/** Reads the fee cell at the start of `s`. */
function readFee(s: string): Pick<Head, 'fee' | 'feeText'> & { length: number } | null {
  const m = FEE_AT_RE.exec(s);
  if (!m) return null;
  if (m[1]) return { fee: { kind: 'free' }, feeText: m[0], length: m[0].length };
  if (m[2]) return { fee: { kind: 'none' }, feeText: m[0], length: m[0].length };
  const amount = parseNumber(m[3] ?? '');
  if (amount === null) return null;
  return { fee: { kind: 'amount', amount, currency: currencyOf(m[4] ?? '') }, feeText: m[0], length: m[0].length };
}

/**
 * A bare time glued to an amount ("1200 VNĐ" = time "1" + "200 VNĐ"): every
 * split whose amount is well written is a candidate; the one whose amount (or
 * thousand times it) the note repeats wins, then the shortest time.
 */
function splitGlued(digits: string, evidence: string): { time: number; amountText: string } | null {
  const seen = new Set(findMoney(evidence).map((m) => m.amount));
  let best: { time: number; amountText: string; score: number } | null = null;
  for (let k = 1; k <= Math.min(4, digits.length - 1); k++) {
    const t = digits.slice(0, k);
    const a = digits.slice(k);
    if (!/^\d+$/u.test(t)) continue;
    if (!/^[1-9]\d{0,2}(?:,\d{3})+$/u.test(a) && !/^[1-9]\d*$/u.test(a)) continue;
    const amount = parseNumber(a);
    if (amount === null) continue;
    let score = 0;
    if (seen.has(amount) || seen.has(amount * 1000)) score += 2;
    if (amount >= 1000 && !a.includes(',')) score -= 1; // the portal writes 1,000 and above with commas
    if (!best || score > best.score) best = { time: Number(t), amountText: a, score };
  }
  return best ? { time: best.time, amountText: best.amountText } : null;
}

/** Reads the time and fee cells at the start of a row (after the channel name); null if they are not there. */
export function readHead(s: string): Head | null {
  if (s.startsWith('Không có thông tin')) {
    const rest = s.slice('Không có thông tin'.length);
    const fee = readFee(rest);
    if (!fee) return null;
    return { timeText: 'Không có thông tin', time: { kind: 'none' }, fee: fee.fee, feeText: fee.feeText, length: 18 + fee.length };
  }
  const u = TIME_UNIT_RE.exec(s);
  if (u) {
    const value = parseNumber(u[1] ?? '');
    const rest = s.slice(u[0].length).replace(/^\s+/u, '');
    const fee = readFee(rest);
    if (value === null || !fee) return null;
    return {
      timeText: u[0],
      time: { kind: 'unit', value, unitWords: u[2] ?? '' },
      fee: fee.fee,
      feeText: fee.feeText,
      length: s.length - rest.length + fee.length,
    };
  }
  const g = GLUED_AMOUNT_RE.exec(s);
  if (g) {
    const digits = g[1] ?? '';
    const split = splitGlued(digits, s.slice(g[0].length, g[0].length + 600));
    if (split) {
      const amount = parseNumber(split.amountText);
      if (amount !== null) {
        return {
          timeText: String(split.time),
          time: { kind: 'bare', value: split.time },
          fee: { kind: 'amount', amount, currency: currencyOf(g[2] ?? '') },
          feeText: `${split.amountText} ${g[2] ?? ''}`,
          length: g[0].length,
          gluedSplit: digits,
        };
      }
    }
    // No time at all: the whole number is the amount.
    const amount = parseNumber(digits);
    if (amount === null) return null;
    return { timeText: '', time: { kind: 'none' }, fee: { kind: 'amount', amount, currency: currencyOf(g[2] ?? '') }, feeText: g[0], length: g[0].length };
  }
  const b = /^(\d{1,4})(?=Miễn phí|Không có thông tin)/u.exec(s);
  if (b) {
    const fee = readFee(s.slice(b[0].length));
    if (!fee) return null;
    return { timeText: b[0], time: { kind: 'bare', value: Number(b[1]) }, fee: fee.fee, feeText: fee.feeText, length: b[0].length + fee.length };
  }
  // A time cell written as words ("Không phải trả kết quả cho người nộp thuế").
  if (/^\d/u.test(s)) return null;
  const window = s.slice(0, 300);
  const f = FEE_ANYWHERE_RE.exec(window);
  if (!f || f.index === 0) return null;
  const timeText = window.slice(0, f.index);
  if (/Trực tuyến|Trực tiếp|Dịch vụ bưu chính/u.test(timeText)) return null;
  const fee = readFee(s.slice(f.index));
  if (!fee) return null;
  return { timeText: clean(timeText), time: { kind: 'text' }, fee: fee.fee, feeText: fee.feeText, length: f.index + fee.length };
}

/** "(1) Trường hợp…", "(a) …" open a description, not a fee note. */
function isEnumerator(s: string): boolean {
  return /^\((?:\d{1,2}|[a-zđ]|[ivx]{1,4})\)\s/u.test(s);
}

/** Fee items of a bracketed note: one per amount, with the clause it is in as condition. */
export function feesFromNote(note: string): FeeItem[] {
  const out: FeeItem[] = [];
  const inner = note.replace(/^\(+|\)+$/gu, '');
  for (const clause of splitClauses(inner)) {
    for (const m of findMoney(clause)) {
      const item: FeeItem = { amount: m.amount, currency: m.currency, condition: clause, source: 'note', text: m.raw };
      if (m.currency === 'VND') item.amountVnd = m.amount;
      if (!out.some((o) => o.amount === item.amount && o.condition === item.condition)) out.push(item);
    }
  }
  return out;
}

export interface ChannelParse {
  rows: ChannelRow[];
  problems: PartProblem[];
  /** true when the text had the table header. */
  hadHeader: boolean;
  /** Text that belongs to no row (before the first one). */
  leftover: string;
}

export interface ChannelContext {
  /** Steps text, used to find the unit of a bare number. */
  steps?: string;
}

export function parseChannels(text: string, context: ChannelContext = {}): ChannelParse {
  const problems: PartProblem[] = [];
  const src = typeof text === 'string' ? text : '';
  const header = HEADER_RE.exec(src);
  const body = header ? src.slice(header[0].length) : src;
  if (!header && clean(src) !== '') {
    problems.push({
      part: 'channels',
      vi: 'Thiếu tiêu đề bảng cách thức thực hiện; đã thử đọc các dòng',
      en: 'The channel table header is missing; rows were read anyway',
      excerpt: excerpt(src),
    });
  }
  const starts: Array<{ index: number; label: string; head: Head }> = [];
  for (const m of body.matchAll(ROW_START_RE)) {
    const index = m.index ?? 0;
    const head = readHead(body.slice(index + m[0].length));
    if (head) starts.push({ index, label: m[0], head });
  }
  const leftover = clean(body.slice(0, starts[0]?.index ?? body.length));
  if (starts.length === 0) {
    problems.push({
      part: 'channels',
      vi: 'Không đọc được hình thức nộp nào',
      en: 'No submission channel could be read',
      excerpt: excerpt(src),
    });
    return { rows: [], problems, hadHeader: !!header, leftover };
  }
  if (leftover !== '') {
    problems.push({
      part: 'channels',
      vi: 'Có nội dung trước dòng đầu tiên của bảng, không thuộc hình thức nộp nào',
      en: 'Text before the first row of the channel table belongs to no channel',
      excerpt: excerpt(leftover),
    });
  }
  const rows: ChannelRow[] = [];
  starts.forEach((s, i) => {
    const end = starts[i + 1]?.index ?? body.length;
    const rowText = body.slice(s.index, end);
    let rest = rowText.slice(s.label.length + s.head.length);
    let note = '';
    if (rest.startsWith('(') && !isEnumerator(rest)) {
      note = leadingBracket(rest) ?? rest;
      rest = rest.slice(note.length);
    }
    const description = clean(rest);
    const row: ChannelRow = {
      channel: CHANNEL_LABELS[s.label] ?? 'counter',
      label: s.label,
      time: null,
      timeText: clean(s.head.timeText),
      free: s.head.fee.kind === 'free' ? true : s.head.fee.kind === 'none' ? null : false,
      fees: [],
      feeText: clean(`${s.head.feeText}${note}`),
      description,
    };
    // Fees: the table amount, then every amount of the note with its clause.
    const fee = s.head.fee;
    if (fee.kind === 'free') row.fees.push({ amount: 0, currency: 'VND', amountVnd: 0, source: 'table', text: s.head.feeText });
    if (fee.kind === 'amount') {
      const item: FeeItem = { amount: fee.amount, currency: fee.currency, source: 'table', text: clean(s.head.feeText) };
      if (fee.currency === 'VND') item.amountVnd = fee.amount;
      row.fees.push(item);
    }
    const noteFees = note ? feesFromNote(note) : [];
    const table = row.fees[0];
    if (table && table.source === 'table' && table.currency === 'VND' && table.amount > 0 && table.amount < 1000) {
      if (noteFees.some((f) => f.currency === 'VND' && f.amount === table.amount * 1000)) {
        problems.push({
          part: 'fees',
          vi: `Số tiền trong bảng (${table.amount}) có vẻ tính bằng nghìn đồng; ghi chú ghi ${table.amount * 1000} đồng, đã lấy theo ghi chú`,
          en: `The table amount (${table.amount}) looks like thousands of đồng; the note says ${table.amount * 1000} đồng, which was kept`,
          excerpt: excerpt(row.feeText),
          severity: 'warning',
        });
        table.amount *= 1000;
        table.amountVnd = table.amount;
      }
    }
    for (const f of noteFees) {
      if (!row.fees.some((o) => o.amount === f.amount && o.currency === f.currency && o.source === 'table')) row.fees.push(f);
    }
    // Time.
    const cell = s.head.time;
    if (cell.kind === 'unit') {
      const unit = unitFromWords(cell.unitWords) ?? 'unspecified';
      row.time = { value: cell.value, unit, text: clean(s.head.timeText), source: 'table' };
    } else if (cell.kind === 'bare') {
      row.time = { value: cell.value, unit: 'unspecified', text: clean(s.head.timeText), source: 'table' };
    } else {
      const d = firstDuration(`${description} ${note}`);
      if (d) row.time = d;
    }
    rows.push(row);
  });
  inferUnits(rows, context.steps ?? '');
  for (const row of rows) {
    if (row.time === null) {
      problems.push({
        part: 'time',
        vi: `Không đọc được thời hạn giải quyết (${row.label})`,
        en: `No processing time could be read (${row.label})`,
        excerpt: excerpt(`${row.timeText} ${row.description}`),
      });
    } else if (row.time.unit === 'unspecified') {
      problems.push({
        part: 'time',
        vi: `Thời hạn chỉ có số (${row.time.value}), không rõ đơn vị (${row.label})`,
        en: `The processing time is a bare number (${row.time.value}) with no unit (${row.label})`,
        excerpt: excerpt(`${row.label}${row.timeText}${row.feeText}`),
      });
    }
  }
  return { rows, problems, hadHeader: !!header, leftover };
}

/**
 * A bare number ("Trực tuyến5Miễn phí") takes its unit from another row with
 * the same number and a unit, else from a sentence of the description or the
 * steps that gives the same number with a unit ("05 ngày làm việc").
 */
function inferUnits(rows: ChannelRow[], steps: string): void {
  for (const row of rows) {
    const t = row.time;
    if (!t || t.unit !== 'unspecified') continue;
    const sibling = rows.find((r) => r.time && r.time.unit !== 'unspecified' && r.time.source === 'table' && !r.time.unitFrom && r.time.value === t.value);
    if (sibling?.time) {
      t.unit = sibling.time.unit;
      t.unitFrom = 'other_row';
      continue;
    }
    const fromText = (text: string) => findDurations(text).find((d) => d.value === t.value);
    const inOwn = fromText(row.description) ?? rows.map((r) => fromText(r.description)).find((d) => d);
    if (inOwn) {
      t.unit = inOwn.unit;
      t.unitFrom = 'description';
      continue;
    }
    const inSteps = fromText(steps);
    if (inSteps) {
      t.unit = inSteps.unit;
      t.unitFrom = 'steps';
    }
  }
}

/** Rows of the same case: a new group starts when a channel repeats. */
export function groupRows(rows: ChannelRow[]): ChannelRow[][] {
  const groups: ChannelRow[][] = [];
  let current: ChannelRow[] = [];
  for (const r of rows) {
    if (current.some((c) => c.channel === r.channel)) {
      groups.push(current);
      current = [];
    }
    current.push(r);
  }
  if (current.length > 0) groups.push(current);
  return groups;
}

function rowKey(r: ChannelRow): string {
  return `${r.channel}|${r.time?.value ?? ''}|${r.time?.unit ?? ''}|${r.feeText}|${r.description}`;
}

/** Groups that differ from one another (identical repeated groups are one case). */
export function distinctGroups(rows: ChannelRow[]): ChannelRow[][] {
  const out: ChannelRow[][] = [];
  const keys = new Set<string>();
  for (const g of groupRows(rows)) {
    const key = g.map(rowKey).sort().join('\n');
    if (keys.has(key)) continue;
    keys.add(key);
    out.push(g);
  }
  return out;
}

/** A name for a case from its rows' descriptions ("… đối với trường hợp X" → "Trường hợp X"). */
export function caseName(rows: ChannelRow[]): string | null {
  for (const r of rows) {
    const d = r.description;
    const m = /(?:^|[\s(])(trường hợp)\s+([^.;:()\n]{3,160})/iu.exec(d) ?? /(?:^|[\s(])(đối với)\s+([^.;:()\n]{3,160})/iu.exec(d);
    if (m) return capitalise(`${m[1]} ${clean(m[2] ?? '')}`.replace(/[,\s]+$/u, ''));
    const e = /^\(?\d{1,2}\)\s*([^.;:\n]{3,160})/u.exec(d);
    if (e) return capitalise(clean(e[1] ?? ''));
  }
  return null;
}

export function capitalise(s: string): string {
  return s.length === 0 ? s : (s[0] ?? '').toLocaleUpperCase('vi') + s.slice(1);
}

export function describeTime(t: ProcessingTime | null): string {
  return t ? clean(t.text) : '';
}
