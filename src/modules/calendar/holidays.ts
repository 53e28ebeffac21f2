/**
 * Vietnam's public holidays for one Gregorian year, with compensatory days.
 *
 * Labour Code 2019 (Law 45/2019/QH14):
 * - Art. 112(1): 1 Jan; Tết 5 days; Hùng Kings 10/3 lunar; 30 Apr; 1 May; National Day
 *   2 Sep plus one day next to it (before or after, the government chooses);
 * - Art. 112(3): the Prime Minister decides the specific days of Tết and of the second
 *   National Day holiday each year;
 * - Art. 111(3): a holiday falling on the weekly rest day gives a compensatory day off on
 *   the next working day.
 *
 * Tết: the statutory 5 days are the last day of the lunar year and lunar 1/1..4/1. When one
 * of them falls on a Saturday the government has, every year since 2014, placed its
 * compensatory day on the working day *before* Tết, and a Sunday's on the working day
 * after (2021: 10–16/2, 2023: 20–26/1, 2024: 8–14/2, 2025: 25/1–2/2 all follow this rule).
 * Other holidays: Saturday or Sunday gives the next working day (Art. 111(3)).
 *
 * The lunar dates come from @dqcai/vn-lunar, which computes Vietnam's calendar at UTC+7
 * (Vietnam's Tết differs from China's in some years, e.g. 1985).
 */
import { getSolarDate } from '@dqcai/vn-lunar';
import { civilFromDays, daysFromCivil, formatDay, weekdayOf } from './local-day.ts';
import type { ExtraHoliday } from './types.ts';

/** Years the calendar covers (the lunar package covers 1200–2199; a year needs its neighbours). */
export const MIN_YEAR = 1901;
export const MAX_YEAR = 2198;

/** Julian day number of 1970-01-01 (day number 0). */
const JD_EPOCH = 2440588;

export interface Holiday {
  day: number;
  name: { vi: string; en: string };
  /** One of the five Tết days (Saturday compensation goes before, see above). */
  tet: boolean;
}

export interface Compensatory {
  day: number;
  /** The holiday that fell on a weekend. */
  for: Holiday;
}

export interface HolidayRules {
  extraHolidays: readonly ExtraHoliday[];
  nationalDayAdjacent: Readonly<Record<number, 'before' | 'after'>>;
}

function lunarToDay(day: number, month: number, year: number): number {
  const s = getSolarDate(day, month, year, false);
  if (!s || s.jd === 0) throw new RangeError(`lunar date ${day}/${month}/${year} out of the lunar table's range`);
  return s.jd - JD_EPOCH;
}

/** Day number of Tết (lunar 1/1) of the lunar year that starts in Gregorian `year`. */
export function tetDay(year: number): number {
  return lunarToDay(1, 1, year);
}

/** Day number of the Hùng Kings' commemoration (lunar 10/3, the regular third month). */
export function hungKingsDay(year: number): number {
  return lunarToDay(10, 3, year);
}

/**
 * Default second National Day holiday: after 2/9 when 2/9 is a Monday, Thursday or
 * Sunday, before otherwise (so the break joins a weekend; announced so 2021–2025).
 */
export function defaultNationalDayAdjacent(year: number): 'before' | 'after' {
  const w = weekdayOf(daysFromCivil(year, 9, 2));
  return w === 1 || w === 4 || w === 0 ? 'after' : 'before';
}

const TET_NAMES: ReadonlyArray<{ vi: string; en: string }> = [
  { vi: 'Tết Nguyên đán (ngày cuối năm Âm lịch)', en: 'Tết (last day of the lunar year)' },
  { vi: 'Tết Nguyên đán (mùng 1 Tết)', en: 'Tết (lunar new year, 1st day)' },
  { vi: 'Tết Nguyên đán (mùng 2 Tết)', en: 'Tết (2nd day)' },
  { vi: 'Tết Nguyên đán (mùng 3 Tết)', en: 'Tết (3rd day)' },
  { vi: 'Tết Nguyên đán (mùng 4 Tết)', en: 'Tết (4th day)' },
];

/** The public holidays themselves (not compensatory days) in Gregorian `year`, by day. */
export function holidaysOfYear(year: number, rules: HolidayRules): Holiday[] {
  const out: Holiday[] = [];
  const add = (day: number, vi: string, en: string, tet = false): void => {
    out.push({ day, name: { vi, en }, tet });
  };
  add(daysFromCivil(year, 1, 1), 'Tết Dương lịch', "New Year's Day");
  const tet = tetDay(year);
  for (let i = 0; i < 5; i++) {
    const n = TET_NAMES[i]!;
    out.push({ day: tet - 1 + i, name: n, tet: true });
  }
  add(hungKingsDay(year), 'Giỗ Tổ Hùng Vương (10/3 Âm lịch)', "Hùng Kings' Commemoration Day");
  add(daysFromCivil(year, 4, 30), 'Ngày Chiến thắng (30/4)', 'Reunification Day');
  add(daysFromCivil(year, 5, 1), 'Ngày Quốc tế Lao động (1/5)', 'International Labour Day');
  const sep2 = daysFromCivil(year, 9, 2);
  add(sep2, 'Quốc khánh (2/9)', 'National Day');
  const side = rules.nationalDayAdjacent[year] ?? defaultNationalDayAdjacent(year);
  add(side === 'before' ? sep2 - 1 : sep2 + 1, 'Quốc khánh (ngày liền kề)', 'National Day (adjacent day)');
  for (const h of rules.extraHolidays) {
    if ('date' in h) {
      const [y, m, d] = h.date.split('-').map(Number) as [number, number, number];
      if (y === year) add(daysFromCivil(y, m, d), h.name, h.name);
    } else if ((h.fromYear === undefined || year >= h.fromYear) && (h.toYear === undefined || year <= h.toYear)) {
      add(daysFromCivil(year, h.month, h.day), h.name, h.name);
    }
  }
  out.sort((a, b) => a.day - b.day);
  // The same day twice (an extra holiday on a statutory one) is one day off, not two.
  return out.filter((h, i) => i === 0 || out[i - 1]!.day !== h.day);
}

/**
 * Compensatory days for the weekend holidays among `holidays` (sorted by day), taking
 * each holiday in date order; a compensatory day never lands on a weekend, a holiday, or
 * another compensatory day.
 */
export function compensatoryDays(holidays: readonly Holiday[]): Compensatory[] {
  const taken = new Set<number>();
  for (const h of holidays) taken.add(h.day);
  const out: Compensatory[] = [];
  for (const h of holidays) {
    const w = weekdayOf(h.day);
    if (w !== 0 && w !== 6) continue;
    const step = h.tet && w === 6 ? -1 : 1;
    let d = h.day + step;
    for (;;) {
      const wd = weekdayOf(d);
      if (wd !== 0 && wd !== 6 && !taken.has(d)) break;
      d += step;
    }
    taken.add(d);
    out.push({ day: d, for: h });
  }
  return out.sort((a, b) => a.day - b.day);
}

/**
 * Holidays and compensatory days that fall in Gregorian `year`, computed over the years
 * around it too, so a compensatory day crossing New Year is not lost.
 */
export function daysOffOfYear(year: number, rules: HolidayRules): { holidays: Holiday[]; compensatory: Compensatory[] } {
  const all = [...holidaysOfYear(year - 1, rules), ...holidaysOfYear(year, rules), ...holidaysOfYear(year + 1, rules)].sort(
    (a, b) => a.day - b.day,
  );
  const first = daysFromCivil(year, 1, 1);
  const next = daysFromCivil(year + 1, 1, 1);
  const inYear = (d: number): boolean => d >= first && d < next;
  return {
    holidays: all.filter((h) => inYear(h.day)),
    compensatory: compensatoryDays(all).filter((c) => inYear(c.day)),
  };
}

export function describeCompensatory(c: Compensatory): { vi: string; en: string } {
  const { day, month } = civilFromDays(c.for.day);
  return {
    vi: `Nghỉ bù cho ${c.for.name.vi} (${day}/${month})`,
    en: `Compensatory day off for ${c.for.name.en} (${formatDay(c.for.day)})`,
  };
}
