/**
 * Text helpers shared by the catalogue parsers: whitespace, numbers written the
 * Vietnamese way ("1.350.000 đồng", "20 triệu đồng", "9,9 tỷ"), durations and
 * legal document numbers. Pure functions; none of them throws on any string.
 */
import type { Currency, ProcessingTime, TimeUnit } from './types.ts';

/** Invisible characters seen in the catalogue (zero-width, direction marks, BOM, soft hyphen). */
const INVISIBLE = /[\u200b-\u200f\u202a-\u202e\u2060\ufeff\u00ad]/gu;

/** Removes invisible characters, turns any whitespace run into one space, trims. */
export function clean(s: string): string {
  return s.replace(INVISIBLE, '').replace(/\s+/gu, ' ').trim();
}

/** Like `clean` but keeps line breaks (for steps and conditions). */
export function cleanLines(s: string): string {
  return s
    .replace(INVISIBLE, '')
    .replace(/\r\n?/gu, '\n')
    .split('\n')
    .map((l) => l.replace(/[^\S\n]+/gu, ' ').trim())
    .join('\n')
    .replace(/\n{3,}/gu, '\n\n')
    .trim();
}

export function excerpt(s: string, max = 160): string {
  const c = clean(s.length > max * 4 ? s.slice(0, max * 4) : s);
  return c.length <= max ? c : `${c.slice(0, max - 1)}…`;
}

/** "Không có thông tin", "Không", "Không quy định", "--", "" ... */
export function isNoInformation(s: string): boolean {
  if (s.length > 60) return false;
  const c = clean(s).replace(/[.;:]+$/u, '').toLowerCase();
  return c === '' || c === '--' || c === '-' || c === 'không có thông tin' || c === 'không' || c === 'không quy định' || c === 'không có';
}

const MULTIPLIERS: Record<string, number> = {
  nghìn: 1e3,
  ngàn: 1e3,
  triệu: 1e6,
  tỷ: 1e9,
  tỉ: 1e9,
};

/**
 * Reads a number written with grouping or decimal separators: "1.350.000",
 * "1,350,000", "1 350 000", "2,5", "0.5". Groups of exactly three digits after
 * one kind of separator are thousands; otherwise the last separator is the
 * decimal one. Returns null when it is not a number.
 */
export function parseNumber(token: string): number | null {
  const t = token.replace(/[\s\u00a0\u202f]/gu, '');
  if (!/^\d[\d.,]*$/u.test(t) || /[.,]$/u.test(t) || /[.,]{2}/u.test(t)) return null;
  const seps = t.replace(/\d/gu, '');
  if (seps === '') return Number(t);
  const groups = t.split(/[.,]/u);
  const allSame = seps.split('').every((c) => c === seps[0]);
  const thousands = allSame && groups.slice(1).every((g) => g.length === 3) && (groups[0] ?? '').length <= 3 && !/^0\d/u.test(t);
  if (thousands) return Number(groups.join(''));
  if (allSame && seps.length > 1) return null; // "1.2.3"
  // The last separator is the decimal point, every other one groups thousands.
  const last = Math.max(t.lastIndexOf('.'), t.lastIndexOf(','));
  const intPart = t.slice(0, last).replace(/[.,]/gu, '');
  const frac = t.slice(last + 1);
  const n = Number(`${intPart}.${frac}`);
  return Number.isFinite(n) ? n : null;
}

export interface MoneyMatch {
  amount: number;
  currency: Currency;
  index: number;
  raw: string;
}

/** A number (with separators) followed by a multiplier word and/or a currency. */
const MONEY_RE =
  /(?<![\d.,])(\d[\d.,\u00a0\u202f ]*\d|\d)\s*(nghìn|ngàn|triệu|tỷ|tỉ)?\s*(Việt Nam Đồng|VNĐ|VND|vnđ|vnd|đồng|Đồng|đ(?![\p{L}])|USD|usd|Đô la Mỹ)?/gu;

/**
 * Every amount of money in a text. A bare number counts only when followed by
 * a multiplier word or a currency ("20 triệu", "50.000đ", "100 USD").
 */
export function findMoney(text: string): MoneyMatch[] {
  const out: MoneyMatch[] = [];
  for (const m of text.matchAll(MONEY_RE)) {
    const [raw, numRaw = '', mult, cur] = m;
    if (!mult && !cur) continue;
    // "1 350 000" with spaces is one number only when the groups have 3 digits.
    let num = numRaw.trim();
    if (/\s/u.test(num) && !/^\d{1,3}(?:[\s\u00a0\u202f]\d{3})+$/u.test(num)) {
      num = num.split(/[\s\u00a0\u202f]+/u).pop() ?? num;
    }
    const n = parseNumber(num);
    if (n === null) continue;
    const currency: Currency = cur && /usd|đô la/iu.test(cur) ? 'USD' : 'VND';
    let amount = n * (mult ? (MULTIPLIERS[mult.toLowerCase()] ?? 1) : 1);
    if (currency === 'VND') amount = Math.round(amount);
    else amount = Math.round(amount * 100) / 100;
    if (!Number.isSafeInteger(Math.round(amount))) continue;
    out.push({ amount, currency, index: m.index ?? 0, raw: raw.trim() });
  }
  return out;
}

const UNIT_WORDS: Array<[RegExp, TimeUnit]> = [
  [/^ngày làm việc/iu, 'working_days'],
  [/^giờ làm việc/iu, 'working_hours'],
  [/^ngày/iu, 'days'],
  [/^giờ/iu, 'hours'],
  [/^phút/iu, 'minutes'],
  [/^tuần/iu, 'weeks'],
  [/^tháng/iu, 'months'],
  [/^năm/iu, 'years'],
];

export function unitFromWords(words: string): TimeUnit | null {
  const w = clean(words);
  for (const [re, unit] of UNIT_WORDS) if (re.test(w)) return unit;
  return null;
}

/**
 * A duration in a sentence: "05 ngày làm việc", "01 (một) ngày làm việc",
 * "12 giờ làm việc", "3 tháng". The number may be followed by its spelling in brackets.
 */
export const DURATION_RE =
  /(?<![\d/.,])(\d{1,4}(?:[.,]\d{1,2})?)\s*(?:\([^()\d]{1,30}\)\s*)?(ngày làm việc|giờ làm việc|ngày|giờ|phút|tuần|tháng|năm)(?![\p{L}])/giu;

export interface DurationMatch {
  value: number;
  unit: TimeUnit;
  index: number;
  raw: string;
}

export function findDurations(text: string): DurationMatch[] {
  const out: DurationMatch[] = [];
  for (const m of text.matchAll(DURATION_RE)) {
    const value = parseNumber(m[1] ?? '');
    const unit = unitFromWords(m[2] ?? '');
    if (value === null || unit === null) continue;
    // "năm 2026" is a year, "tháng 7" a month of the year: only number-then-unit is read.
    out.push({ value, unit, index: m.index ?? 0, raw: m[0] });
  }
  return out;
}

/** The first duration in a text (not a date: "ngày 15/11/2015" never matches). */
export function firstDuration(text: string): ProcessingTime | null {
  const d = findDurations(text)[0];
  if (!d) return null;
  return { value: d.value, unit: d.unit, text: sentenceAround(text, d.index), source: 'description' };
}

/** The sentence (or clause) containing position `i`, at most 200 characters. */
export function sentenceAround(text: string, i: number): string {
  let start = i;
  while (start > 0 && !/[.;\n]/u.test(text[start - 1] ?? '') && i - start < 120) start--;
  let end = i;
  while (end < text.length && !/[.;\n]/u.test(text[end] ?? '') && end - i < 160) end++;
  return clean(text.slice(start, end));
}

/**
 * A legal document number: "60/2014/QH13", "123/2015/NĐ-CP", "66.7/2025/NQ-CP",
 * "11/2016/TTLT-BTP-TANDTC-VKSNDTC", "2222/QĐ-BHXH". An upper-case run stops
 * before a capital that starts a word ("NĐ-CPLuật" → "NĐ-CP").
 */
const SEGMENT = String.raw`(?:TTg(?!\p{L})|\p{Lu}*QH\d{2}|\p{Lu}\d{2}(?!\d*\/)|\p{Lu}+(?!\p{Ll}))`;
const LEGAL_NUMBER_SOURCE = String.raw`(?<!/|\d\.)(\d{1,8}(?:\.\d{1,2})?)\/(?:(\d{4})\/)?(${SEGMENT}(?:\s?-\s?${SEGMENT})*)`;

export function legalNumberRegExp(): RegExp {
  return new RegExp(LEGAL_NUMBER_SOURCE, 'gu');
}

export interface LegalNumberMatch {
  number: string;
  index: number;
  end: number;
}

export function findLegalNumbers(text: string): LegalNumberMatch[] {
  const out: LegalNumberMatch[] = [];
  for (const m of text.matchAll(legalNumberRegExp())) {
    const [raw, run = '', year, suffix = ''] = m;
    const s = suffix.replace(/\s/gu, '');
    // A year glued before the number by the flattening ("năm 201102/2011/QH13"): drop it.
    let n = run;
    if (/^\d{5,}$/u.test(n) && /^(?:19|20)\d\d/u.test(n)) n = n.slice(4);
    if (/^\d{6,}$/u.test(n)) continue;
    // Without a year the suffix must look like a decision ("QĐ-BHXH"), not a word.
    if (!year && !s.includes('-')) continue;
    if (s.length < 2) continue;
    out.push({ number: year ? `${n}/${year}/${s}` : `${n}/${s}`, index: m.index ?? 0, end: (m.index ?? 0) + raw.length });
  }
  return out;
}

/** Cuts a text into list items at "- ", "+ ", "* ", "a) ", "(1) ", "1. " markers and line breaks. */
export function splitClauses(text: string): string[] {
  return text
    .split(/\n|(?:^|\s|[;.])(?=(?:[-+*•]\s|\(?[a-zđ]\)\s|\(\d{1,2}\)\s|\d{1,2}[.)]\s))/u)
    .map((c) => clean(c).replace(/^[-+*•]\s*/u, ''))
    .filter((c) => c.length > 0);
}

/** Removes list markers at the start: "- ", "+ ", "* ", "a) ", "(1) ", "1. ", "I. ", "b.1) ". */
export function stripListMarker(s: string): string {
  let t = clean(s);
  for (let i = 0; i < 3; i++) {
    const next = t
      .replace(/^(?:[-+*•–]+\s*|\(?(?:[a-zđ]|\d{1,2}|[ivx]{1,4})(?:\.\d{1,2})?\)\s*|(?:\d{1,2}|[IVX]{1,4})\.\s+|[a-zđ]\.\d{1,2}\)\s*)/u, '')
      .trim();
    if (next === t) break;
    t = next;
  }
  return t;
}

/** Takes the balanced bracketed text at the start of `s` ("(… (…) …)"); null when it does not close. */
export function leadingBracket(s: string): string | null {
  if (!s.startsWith('(')) return null;
  let depth = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (c === '(') depth++;
    else if (c === ')') {
      depth--;
      if (depth === 0) return s.slice(0, i + 1);
    }
  }
  return null;
}
