/**
 * Local days in Asia/Ho_Chi_Minh as whole numbers, by fixed-offset arithmetic.
 *
 * Vietnam has kept UTC+7 without daylight saving since 1975, so a "day number" (days
 * since 1970-01-01, local) is `floor((epochMs + 7 h) / 1 day)`. No Intl, no Date parsing.
 */

export const OFFSET_MS = 7 * 3_600_000;
export const DAY_MS = 86_400_000;
/** Afternoon cut-off for paper dossiers: 15:00 local, as milliseconds into the local day. */
export const PAPER_CUTOFF_MS_OF_DAY = 15 * 3_600_000;

/** Local day number of an instant (epoch milliseconds). */
export function localDayOf(ms: number): number {
  return Math.floor((ms + OFFSET_MS) / DAY_MS);
}

/** Milliseconds since local midnight of an instant. */
export function localMsOfDay(ms: number): number {
  const t = ms + OFFSET_MS;
  return t - Math.floor(t / DAY_MS) * DAY_MS;
}

/** The last millisecond (23:59:59.999 local) of a local day, as epoch milliseconds. */
export function endOfLocalDay(day: number): number {
  return (day + 1) * DAY_MS - OFFSET_MS - 1;
}

/** 0 = Sunday … 6 = Saturday. */
export function weekdayOf(day: number): number {
  return (((day + 4) % 7) + 7) % 7; // 1970-01-01 was a Thursday
}

/** Day number of a proleptic Gregorian date (H. Hinnant's days_from_civil). */
export function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const mp = (month + 9) % 12;
  const doy = Math.floor((153 * mp + 2) / 5) + day - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

/** Year, month (1-12), day of a day number. */
export function civilFromDays(dayNumber: number): { year: number; month: number; day: number } {
  const z = dayNumber + 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const day = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const month = mp < 10 ? mp + 3 : mp - 9;
  return { year: yoe + era * 400 + (month <= 2 ? 1 : 0), month, day };
}

export function isLeapYear(y: number): boolean {
  return (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
}

export function daysInMonth(y: number, m: number): number {
  if (m === 2) return isLeapYear(y) ? 29 : 28;
  return m === 4 || m === 6 || m === 9 || m === 11 ? 30 : 31;
}

/** `YYYY-MM-DD` of a day number. */
export function formatDay(dayNumber: number): string {
  const { year, month, day } = civilFromDays(dayNumber);
  return `${String(year).padStart(4, '0')}-${month < 10 ? '0' : ''}${month}-${day < 10 ? '0' : ''}${day}`;
}

/** The local ISO date of an instant. */
export function localDate(at: Date): string {
  return formatDay(localDayOf(at.getTime()));
}

/**
 * Year, month and day of a strict `YYYY-MM-DD` string (a real date), or undefined.
 * Hand-rolled on char codes: it sits on the isWorkingDay hot path.
 */
export function parseIsoDate(s: string): { year: number; month: number; day: number } | undefined {
  if (s.length !== 10 || s.charCodeAt(4) !== 45 || s.charCodeAt(7) !== 45) return undefined;
  let year = 0;
  for (let i = 0; i < 4; i++) {
    const c = s.charCodeAt(i) - 48;
    if (c < 0 || c > 9) return undefined;
    year = year * 10 + c;
  }
  const m1 = s.charCodeAt(5) - 48, m2 = s.charCodeAt(6) - 48, d1 = s.charCodeAt(8) - 48, d2 = s.charCodeAt(9) - 48;
  if (m1 < 0 || m1 > 9 || m2 < 0 || m2 > 9 || d1 < 0 || d1 > 9 || d2 < 0 || d2 > 9) return undefined;
  const month = m1 * 10 + m2;
  const day = d1 * 10 + d2;
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return undefined;
  return { year, month, day };
}

/** Day number of a strict `YYYY-MM-DD`, or throws RangeError. */
export function dayOfIso(s: string): number {
  const p = parseIsoDate(s);
  if (p === undefined) throw new RangeError(`not an ISO date YYYY-MM-DD: ${JSON.stringify(s)}`);
  return daysFromCivil(p.year, p.month, p.day);
}
