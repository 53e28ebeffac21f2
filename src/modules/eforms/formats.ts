/**
 * Vietnamese data formats used by eForms: pure checks and normalisers, no Ajv here.
 *
 * Each format has a `check` that returns `null` when the value is acceptable or a
 * reason code when not (the reason becomes part of the error message), and, for
 * formats whose value is rewritten to a canonical form, a `normalize`.
 */

/** Reason a value does not satisfy a format. Stable codes, mapped to messages in messages.ts. */
export type FormatReason =
  | 'not_string'
  | 'length'
  | 'not_digits'
  | 'place_code'
  | 'century_code'
  | 'birth_year_future'
  | 'shape'
  | 'check_digit'
  | 'branch_code'
  | 'phone_prefix'
  | 'calendar'
  | 'year_range';

// ---------------------------------------------------------------------------
// personal-id (số định danh cá nhân, 12 digits)
// ---------------------------------------------------------------------------

/**
 * Province codes used in the first three digits of the personal identification number
 * (place of birth registration): the 63 provinces before the 2025 reorganisation
 * (the 34 provinces after it kept codes from this list).
 */
export const PERSONAL_ID_PROVINCE_CODES: ReadonlySet<string> = new Set([
  '001', '002', '004', '006', '008', '010', '011', '012', '014', '015', '017', '019', '020',
  '022', '024', '025', '026', '027', '030', '031', '033', '034', '035', '036', '037', '038',
  '040', '042', '044', '045', '046', '048', '049', '051', '052', '054', '056', '058', '060',
  '062', '064', '066', '067', '068', '070', '072', '074', '075', '077', '079', '080', '082',
  '083', '084', '086', '087', '089', '091', '092', '093', '094', '095', '096',
]);

export interface PersonalIdParts {
  placeCode: string;
  /** 0–9: century of birth and sex (0/1: 1900s male/female, 2/3: 2000s, 4/5: 2100s, …). */
  centuryCode: number;
  birthYear: number;
  sex: 'male' | 'female';
  serial: string;
}

/** Splits a syntactically valid 12-digit id into its parts (no validity check of the parts). */
export function parsePersonalId(id: string): PersonalIdParts | null {
  if (!/^\d{12}$/.test(id)) return null;
  const centuryCode = Number(id[3]);
  const century = 1900 + Math.floor(centuryCode / 2) * 100;
  return {
    placeCode: id.slice(0, 3),
    centuryCode,
    birthYear: century + Number(id.slice(4, 6)),
    sex: centuryCode % 2 === 0 ? 'male' : 'female',
    serial: id.slice(6),
  };
}

/**
 * Personal identification number (Circular 59/2021/TT-BCA art. 7): 12 digits =
 * 3-digit code of the province (or country) where the birth was registered, 1 digit
 * century/sex, 2 digits year of birth, 6 random digits. There is no check digit.
 *
 * What is checked (only what is certain): 12 ASCII digits; the place code is one of
 * the 63 province codes, or ≥ 100 (left open for the country codes of citizens whose
 * birth was registered abroad, whose table we do not ship); the century code is 0–3
 * (codes 4–9 mean a birth in 2100 or later); the birth year is not after `currentYear`.
 */
export function checkPersonalId(value: unknown, currentYear: number): FormatReason | null {
  if (typeof value !== 'string') return 'not_string';
  if (!/^\d*$/.test(value)) return 'not_digits';
  if (value.length !== 12) return 'length';
  const parts = parsePersonalId(value);
  if (parts === null) return 'shape';
  const place = Number(parts.placeCode);
  if (place < 100 && !PERSONAL_ID_PROVINCE_CODES.has(parts.placeCode)) return 'place_code';
  if (parts.centuryCode > 3) return 'century_code';
  if (parts.birthYear > currentYear) return 'birth_year_future';
  return null;
}

// ---------------------------------------------------------------------------
// tax-code (mã số thuế)
// ---------------------------------------------------------------------------

const TAX_WEIGHTS = [31, 29, 23, 19, 17, 13, 7, 5, 3] as const;

/**
 * Check digit of a 10-digit tax code: N10 = 10 − (Σ Ni·Wi mod 11), weights
 * 31,29,23,19,17,13,7,5,3. A remainder of 0 would need a check digit of 10, so no
 * valid code has it. Verified against published codes (0100107518 Vietnam Airlines,
 * 0300588569 Vinamilk, 0100109106 Viettel, 0100107370 Petrolimex, 0100112437 Vietcombank).
 */
export function taxCheckDigit(first9: string): number | null {
  if (!/^\d{9}$/.test(first9)) return null;
  let sum = 0;
  for (let i = 0; i < 9; i++) sum += Number(first9[i]) * (TAX_WEIGHTS[i] ?? 0);
  const r = sum % 11;
  return r === 0 ? null : 10 - r;
}

/**
 * Tax code: 10 digits (enterprise / organisation), 10 + "-" + 3 (dependent unit,
 * branch; also accepted as 13 plain digits and normalised to the hyphenated form),
 * or — since 1 July 2025 (Circular 86/2024/TT-BTC) — an individual's or household
 * business's 12-digit personal identification number.
 */
export function checkTaxCode(value: unknown, currentYear: number): FormatReason | null {
  if (typeof value !== 'string') return 'not_string';
  if (/^\d{12}$/.test(value)) return checkPersonalId(value, currentYear);
  const m = /^(\d{10})(?:-?(\d{3}))?$/.exec(value);
  if (m === null) return /^[\d-]*$/.test(value) ? 'shape' : 'not_digits';
  const main = m[1] ?? '';
  const expected = taxCheckDigit(main.slice(0, 9));
  if (expected === null || expected !== Number(main[9])) return 'check_digit';
  if (m[2] !== undefined && m[2] === '000') return 'branch_code';
  return null;
}

export function normalizeTaxCode(value: string): string {
  return /^\d{13}$/.test(value) ? `${value.slice(0, 10)}-${value.slice(10)}` : value;
}

// ---------------------------------------------------------------------------
// vn-phone
// ---------------------------------------------------------------------------

/** Mobile prefixes after the 2018 conversion of 11-digit numbers (first 3 digits with the 0). */
const MOBILE = /^0(3[2-9]|5[25689]|7[06-9]|8[1-9]|9\d)\d{7}$/;
/** Landline: 02 + area code + subscriber, 11 digits in all (e.g. 0206 3852 xxx in Cao Bằng). */
const LANDLINE = /^02\d{9}$/;

/**
 * Returns the phone number as 0xxxxxxxxx (or 02xxxxxxxxx for a landline), or null.
 * Accepts spaces, dots, hyphens and parentheses between digits and the +84 / 84 /
 * 0084 country prefixes.
 */
export function normalizePhone(value: string): string | null {
  const compact = value.trim().replace(/[\s.\-()]/g, '');
  let national: string;
  if (/^\+84\d+$/.test(compact)) national = '0' + compact.slice(3);
  else if (/^0084\d+$/.test(compact)) national = '0' + compact.slice(4);
  else if (/^84\d{9,10}$/.test(compact)) national = '0' + compact.slice(2);
  else national = compact;
  if (national.startsWith('00')) return null;
  return MOBILE.test(national) || LANDLINE.test(national) ? national : null;
}

export function checkPhone(value: unknown): FormatReason | null {
  if (typeof value !== 'string') return 'not_string';
  if (normalizePhone(value) !== null) return null;
  const digits = value.replace(/[\s.\-()+]/g, '');
  if (!/^\d+$/.test(digits)) return 'not_digits';
  return 'phone_prefix';
}

// ---------------------------------------------------------------------------
// date-vn
// ---------------------------------------------------------------------------

export function isRealDate(year: number, month: number, day: number): boolean {
  if (!Number.isInteger(year) || !Number.isInteger(month) || !Number.isInteger(day)) return false;
  if (month < 1 || month > 12 || day < 1) return false;
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  const days = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1] ?? 0;
  return day <= days;
}

const pad2 = (n: number): string => String(n).padStart(2, '0');

/** Smallest year accepted (catches a mistyped year such as 0199). */
export const MIN_YEAR = 1000;

/**
 * Parses a date typed as dd/mm/yyyy or d/m/yyyy (separator `/`, `.` or `-`) or
 * ISO yyyy-mm-dd; returns the ISO form, or a reason.
 */
export function parseDateVn(value: unknown): { iso: string } | { reason: FormatReason } {
  if (typeof value !== 'string') return { reason: 'not_string' };
  const s = value.trim();
  let y: number, m: number, d: number;
  const iso = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s);
  const vn = /^(\d{1,2})([/.-])(\d{1,2})\2(\d{4})$/.exec(s);
  if (iso !== null) {
    y = Number(iso[1]);
    m = Number(iso[2]);
    d = Number(iso[3]);
  } else if (vn !== null) {
    d = Number(vn[1]);
    m = Number(vn[3]);
    y = Number(vn[4]);
  } else {
    return { reason: 'shape' };
  }
  if (y < MIN_YEAR) return { reason: 'year_range' };
  if (!isRealDate(y, m, d)) return { reason: 'calendar' };
  return { iso: `${y}-${pad2(m)}-${pad2(d)}` };
}

export function checkDateVn(value: unknown): FormatReason | null {
  const r = parseDateVn(value);
  return 'reason' in r ? r.reason : null;
}

/** Today's date in Vietnam (UTC+7) as yyyy-mm-dd. */
export function todayInVietnam(now: Date): string {
  // Vietnam has no daylight saving time: a fixed +7 h offset is exact.
  const t = new Date(now.getTime() + 7 * 3600_000);
  return `${t.getUTCFullYear()}-${pad2(t.getUTCMonth() + 1)}-${pad2(t.getUTCDate())}`;
}

// ---------------------------------------------------------------------------
// file-id
// ---------------------------------------------------------------------------

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The id of an uploaded file: a UUID (any version), normalised to lower case. */
export function checkFileId(value: unknown): FormatReason | null {
  if (typeof value !== 'string') return 'not_string';
  return UUID.test(value) ? null : 'shape';
}

// ---------------------------------------------------------------------------

/** The custom formats, by name. */
export const VN_FORMATS = ['personal-id', 'tax-code', 'vn-phone', 'date-vn', 'file-id'] as const;
export type VnFormat = (typeof VN_FORMATS)[number];

/** Why `value` fails `format`, or null when it passes (custom formats only). */
export function explainFormat(format: string, value: unknown, now: Date): FormatReason | null {
  const year = Number(todayInVietnam(now).slice(0, 4));
  switch (format) {
    case 'personal-id':
      return checkPersonalId(value, year);
    case 'tax-code':
      return checkTaxCode(value, year);
    case 'vn-phone':
      return checkPhone(value);
    case 'date-vn':
      return checkDateVn(value);
    case 'file-id':
      return checkFileId(value);
    default:
      return null;
  }
}

/** Canonical form of a value that passed its format; undefined when nothing changes. */
export function normalizeFormat(format: string, value: string): string | undefined {
  switch (format) {
    case 'vn-phone':
      return normalizePhone(value) ?? undefined;
    case 'date-vn': {
      const r = parseDateVn(value);
      return 'iso' in r ? r.iso : undefined;
    }
    case 'tax-code':
      return normalizeTaxCode(value);
    case 'file-id':
      return checkFileId(value) === null ? value.toLowerCase() : undefined;
    default:
      return undefined;
  }
}

/** Formats whose value is rewritten by `normalizeFormat`. */
export const NORMALIZED_FORMATS: ReadonlySet<string> = new Set(['vn-phone', 'date-vn', 'tax-code', 'file-id']);
