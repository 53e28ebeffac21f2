/**
 * A small fake WorkingCalendar for the workflow tests and bench: Monday to Friday are
 * working days, no holidays, local time Asia/Ho_Chi_Minh (UTC+7). Follows the
 * contract in calendar/types.ts. Not for production (no holidays, no make-up days).
 */
import type { WorkingCalendar } from '../calendar/index.ts';

const DAY_MS = 86_400_000;
const OFFSET_MS = 7 * 3_600_000;

/** Days since 1970-01-01 of the local day of an instant. */
const localDayNumber = (at: Date): number => Math.floor((at.getTime() + OFFSET_MS) / DAY_MS);
/** 1970-01-01 was a Thursday (4 with Sunday = 0). */
const isWorkingDayNumber = (n: number): boolean => {
  const wd = (((n + 4) % 7) + 7) % 7;
  return wd !== 0 && wd !== 6;
};
const dayNumberOf = (day: string): number => Math.floor(Date.parse(`${day}T00:00:00Z`) / DAY_MS);
const isoOf = (n: number): string => new Date(n * DAY_MS).toISOString().slice(0, 10);
/** 23:59:59.999 local time of local day n. */
const endOf = (n: number): Date => new Date((n + 1) * DAY_MS - OFFSET_MS - 1);

export const mondayToFridayCalendar: WorkingCalendar = {
  isWorkingDay(day) {
    return isWorkingDayNumber(dayNumberOf(day));
  },
  dueDate(start, workingDays, opts) {
    let n = localDayNumber(start);
    let left = Math.ceil(workingDays);
    if (opts?.paperAfterCutoff === true) {
      const localHour = Math.floor(((start.getTime() + OFFSET_MS) % DAY_MS) / 3_600_000);
      if (localHour >= 15) left += 1;
    }
    if (left <= 0) {
      while (!isWorkingDayNumber(n)) n++;
      return endOf(n);
    }
    while (left > 0) {
      n++;
      if (isWorkingDayNumber(n)) left--;
    }
    return endOf(n);
  },
  workingDaysBetween(from, to) {
    const a = localDayNumber(from);
    const b = localDayNumber(to);
    const lo = Math.min(a, b);
    const hi = Math.max(a, b);
    let count = 0;
    for (let n = lo + 1; n <= hi; n++) if (isWorkingDayNumber(n)) count++;
    return b >= a ? count : -count;
  },
  workingDayBefore(at, n) {
    let d = localDayNumber(at);
    let left = n;
    while (!isWorkingDayNumber(d)) d--;
    while (left > 0) {
      d--;
      if (isWorkingDayNumber(d)) left--;
    }
    return isoOf(d);
  },
};
