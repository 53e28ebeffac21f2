/**
 * Vietnam's working-day calendar: Monday to Friday, minus public holidays and
 * compensatory days (./holidays.ts), with the government's announced swaps on top
 * (data/day-swaps.json). Days are local days in Asia/Ho_Chi_Minh (fixed UTC+7).
 *
 * Speed: each Gregorian year is turned once, on first use, into a block holding a
 * working-day flag per day, a running count of working days, and the sorted list of its
 * working days. Then dueDate is a table look-up (the k-th working day after a day is
 * `work[cum[day] + k - 1]`, stepping into the following years only when k runs past the
 * year), and workingDaysBetween a difference of running counts.
 */
import { SHIPPED_CALENDAR_DATA, checkDaySwap, checkExtraHoliday } from './day-swaps.ts';
import { MAX_YEAR, MIN_YEAR, daysOffOfYear, describeCompensatory } from './holidays.ts';
import {
  DAY_MS,
  OFFSET_MS,
  PAPER_CUTOFF_MS_OF_DAY,
  daysFromCivil,
  endOfLocalDay,
  formatDay,
  localMsOfDay,
  parseIsoDate,
  weekdayOf,
} from './local-day.ts';
import type { CalendarDay, DaySwap, VietnamWorkingCalendar, WorkingCalendarOptions } from './types.ts';

export { MAX_YEAR, MIN_YEAR } from './holidays.ts';
export { localDate, PAPER_CUTOFF_MS_OF_DAY } from './local-day.ts';
export type { CalendarDay, DaySwap, ExtraHoliday, VietnamWorkingCalendar, WorkingCalendar, WorkingCalendarOptions } from './types.ts';

/** True when `at` is after 15:00:00.000 local time: the afternoon cut-off for paper dossiers. */
export function isAfterPaperCutoff(at: Date): boolean {
  return localMsOfDay(at.getTime()) > PAPER_CUTOFF_MS_OF_DAY;
}

interface YearBlock {
  /** Day number of 1 January. */
  start: number;
  /** 1 when the day (index from 1 January) is a working day. */
  flags: Uint8Array;
  /** Working days from 1 January up to and including the day. */
  cum: Uint16Array;
  /** Day numbers of the year's working days, ascending. */
  work: Int32Array;
  count: number;
}

const YEARS = MAX_YEAR - MIN_YEAR + 1;
/** Day number of 1 January of MIN_YEAR + i, for i in 0..YEARS (the last one ends the range). */
const YEAR_START = new Int32Array(YEARS + 1);
for (let i = 0; i <= YEARS; i++) YEAR_START[i] = daysFromCivil(MIN_YEAR + i, 1, 1);
const FIRST_DAY = YEAR_START[0]!;
const END_DAY = YEAR_START[YEARS]!;
/** Days before each month in a common year. */
const MONTH_OFFSET = [0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334];

function outOfRange(what: string): never {
  throw new RangeError(`${what} is outside the calendar's years ${MIN_YEAR}–${MAX_YEAR}`);
}

/** Index (year - MIN_YEAR) of the year holding day number `d`. */
function yearIndexOf(d: number): number {
  if (!(d >= FIRST_DAY && d < END_DAY)) outOfRange(`day ${Number.isFinite(d) ? formatDay(d) : String(d)}`);
  let i = Math.floor((d - FIRST_DAY) / 365.2425);
  if (i >= YEARS) i = YEARS - 1;
  while (d < YEAR_START[i]!) i--;
  while (d >= YEAR_START[i + 1]!) i++;
  return i;
}

function checkCount(n: number, what: string): void {
  if (!Number.isInteger(n) || n < 0) throw new RangeError(`${what} must be a whole number >= 0, got ${String(n)}`);
}

function msOf(d: Date, what: string): number {
  const ms = d instanceof Date ? d.getTime() : NaN;
  if (ms !== ms) throw new RangeError(`${what} is not a valid Date`);
  return ms;
}

/**
 * A calendar from the statutory rules plus `opts` (nothing announced unless given; use
 * vietnamCalendar() for the shipped announcements). Options are checked here and throw
 * on bad dates or conflicting swaps.
 */
export function createWorkingCalendar(opts: WorkingCalendarOptions = {}): VietnamWorkingCalendar {
  const extraHolidays = (opts.extraHolidays ?? []).map((h, i) => checkExtraHoliday(h, `extraHolidays[${i}]`));
  const nationalDayAdjacent: Record<number, 'before' | 'after'> = { ...(opts.nationalDayAdjacent ?? {}) };
  for (const [y, side] of Object.entries(nationalDayAdjacent)) {
    if (side !== 'before' && side !== 'after') throw new RangeError(`nationalDayAdjacent[${y}] must be "before" or "after"`);
  }
  const rules = { extraHolidays, nationalDayAdjacent };

  /** Swaps by year: day number -> swap. */
  const swapsByYear = new Map<number, Map<number, DaySwap>>();
  (opts.daySwaps ?? []).forEach((raw, i) => {
    const s = checkDaySwap(raw, `daySwaps[${i}]`);
    const p = parseIsoDate(s.date)!;
    const day = daysFromCivil(p.year, p.month, p.day);
    let m = swapsByYear.get(p.year);
    if (m === undefined) swapsByYear.set(p.year, (m = new Map()));
    const before = m.get(day);
    if (before !== undefined && before.kind !== s.kind) throw new RangeError(`daySwaps: ${s.date} is both "off" and "work"`);
    m.set(day, s);
  });

  const blocks: Array<YearBlock | undefined> = new Array(YEARS);

  function buildBlock(yi: number): YearBlock {
    const year = MIN_YEAR + yi;
    const start = YEAR_START[yi]!;
    const len = YEAR_START[yi + 1]! - start;
    const flags = new Uint8Array(len);
    for (let i = 0; i < len; i++) {
      const w = weekdayOf(start + i);
      flags[i] = w !== 0 && w !== 6 ? 1 : 0;
    }
    const { holidays, compensatory } = daysOffOfYear(year, rules);
    for (const h of holidays) flags[h.day - start] = 0;
    for (const c of compensatory) flags[c.day - start] = 0;
    for (const [day, s] of swapsByYear.get(year) ?? []) flags[day - start] = s.kind === 'work' ? 1 : 0;
    const cum = new Uint16Array(len);
    let count = 0;
    for (let i = 0; i < len; i++) cum[i] = count += flags[i]!;
    const work = new Int32Array(count);
    for (let i = 0, k = 0; i < len; i++) if (flags[i] === 1) work[k++] = start + i;
    return { start, flags, cum, work, count };
  }

  function block(yi: number): YearBlock {
    return blocks[yi] ?? (blocks[yi] = buildBlock(yi));
  }

  function isWorkingDayNumber(d: number): boolean {
    const b = block(yearIndexOf(d));
    return b.flags[d - b.start] === 1;
  }

  /** The k-th (k >= 1) working day strictly after day `d`. */
  function nthWorkingAfter(d: number, k: number): number {
    let yi = yearIndexOf(d);
    let b = block(yi);
    let t = b.cum[d - b.start]! + k - 1;
    while (t >= b.count) {
      t -= b.count;
      if (++yi >= YEARS) outOfRange(`${k} working days after ${formatDay(d)}`);
      b = block(yi);
    }
    return b.work[t]!;
  }

  /** The working day with exactly n working days after it up to and including day `d`. */
  function workingBefore(d: number, n: number): number {
    let yi = yearIndexOf(d);
    let b = block(yi);
    let t = b.cum[d - b.start]! - 1 - n;
    while (t < 0) {
      if (--yi < 0) outOfRange(`${n} working days before ${formatDay(d)}`);
      b = block(yi);
      t += b.count;
    }
    return b.work[t]!;
  }

  /** Working days in (a, b], for a <= b. */
  function countBetween(a: number, b: number): number {
    let ya = yearIndexOf(a);
    const yb = yearIndexOf(b);
    const ba = block(ya);
    if (ya === yb) return ba.cum[b - ba.start]! - ba.cum[a - ba.start]!;
    let n = ba.count - ba.cum[a - ba.start]!;
    while (++ya < yb) n += block(ya).count;
    const bb = block(yb);
    return n + bb.cum[b - bb.start]!;
  }

  return {
    isWorkingDay(day: string): boolean {
      const p = parseIsoDate(day);
      if (p === undefined) throw new RangeError(`not an ISO date YYYY-MM-DD: ${JSON.stringify(day)}`);
      const yi = p.year - MIN_YEAR;
      if (yi < 0 || yi >= YEARS) outOfRange(day);
      const b = block(yi);
      const leap = YEAR_START[yi + 1]! - b.start === 366;
      const i = MONTH_OFFSET[p.month - 1]! + (leap && p.month > 2 ? 1 : 0) + p.day - 1;
      return b.flags[i] === 1;
    },

    dueDate(start: Date, workingDays: number, opts?: { paperAfterCutoff?: boolean }): Date {
      const ms = msOf(start, 'start');
      checkCount(workingDays, 'workingDays');
      const local = ms + OFFSET_MS;
      let day = Math.floor(local / DAY_MS);
      if (opts?.paperAfterCutoff === true && local - day * DAY_MS > PAPER_CUTOFF_MS_OF_DAY) {
        // Received after the cut-off: counted as received on the next working day.
        day = nthWorkingAfter(day, 1);
      }
      const last = workingDays === 0 ? (isWorkingDayNumber(day) ? day : nthWorkingAfter(day, 1)) : nthWorkingAfter(day, workingDays);
      return new Date(endOfLocalDay(last));
    },

    workingDaysBetween(from: Date, to: Date): number {
      const a = Math.floor((msOf(from, 'from') + OFFSET_MS) / DAY_MS);
      const b = Math.floor((msOf(to, 'to') + OFFSET_MS) / DAY_MS);
      return a <= b ? countBetween(a, b) : 0 - countBetween(b, a); // 0 - x: never -0
    },

    workingDayBefore(at: Date, n: number): string {
      const d = Math.floor((msOf(at, 'at') + OFFSET_MS) / DAY_MS);
      checkCount(n, 'n');
      return formatDay(workingBefore(d, n));
    },

    holidays(year: number): CalendarDay[] {
      if (!Number.isInteger(year) || year < MIN_YEAR || year > MAX_YEAR) outOfRange(`year ${String(year)}`);
      const { holidays, compensatory } = daysOffOfYear(year, rules);
      const out: Array<CalendarDay & { day: number }> = [
        ...holidays.map((h) => ({ day: h.day, date: formatDay(h.day), kind: 'holiday' as const, name: h.name })),
        ...compensatory.map((c) => ({ day: c.day, date: formatDay(c.day), kind: 'compensatory' as const, name: describeCompensatory(c) })),
        ...[...(swapsByYear.get(year) ?? [])].map(([day, s]) => ({
          day,
          date: s.date,
          kind: s.kind === 'off' ? ('swap-off' as const) : ('swap-work' as const),
          name:
            s.kind === 'off'
              ? { vi: `Ngày nghỉ theo thông báo${s.note ? `: ${s.note}` : ''}`, en: `Announced day off${s.note ? `: ${s.note}` : ''}` }
              : { vi: `Ngày làm việc theo thông báo${s.note ? `: ${s.note}` : ''}`, en: `Announced working day${s.note ? `: ${s.note}` : ''}` },
        })),
      ];
      out.sort((x, y) => x.day - y.day);
      return out.map(({ date, kind, name }) => ({ date, kind, name }));
    },
  };
}

let shippedCalendar: VietnamWorkingCalendar | undefined;

/** The calendar with the shipped announcements (data/day-swaps.json); one shared instance. */
export function vietnamCalendar(): VietnamWorkingCalendar {
  return (shippedCalendar ??= createWorkingCalendar(SHIPPED_CALENDAR_DATA));
}
