/**
 * What the rest of Motcua needs from the working-day calendar. Implemented in
 * ./working-days.ts; the workflow engine receives one of these, so it stays pure.
 */
export interface WorkingCalendar {
  /** True when `day` (an ISO date `YYYY-MM-DD`, in Asia/Ho_Chi_Minh) is a working day. */
  isWorkingDay(day: string): boolean;
  /**
   * The instant a period of `workingDays` ends when it starts counting from `start`
   * (an instant): the period starts the next working day after the local day of
   * `start` (a paper dossier received after 15:00 local time starts one working day
   * later when `paperAfterCutoff` is set: the flag says "this is a paper dossier under
   * the afternoon cut-off rule", the calendar itself checks the local time of `start`),
   * and ends at 23:59:59.999 local time of its last working day. `workingDays` may be
   * 0 (due the end of the start's local day if it is a working day, else the end of
   * the next working day).
   */
  dueDate(start: Date, workingDays: number, opts?: { paperAfterCutoff?: boolean }): Date;
  /** Whole working days from the local day of `from` (exclusive) to that of `to` (inclusive); negative when `to` is before. */
  workingDaysBetween(from: Date, to: Date): number;
  /**
   * The working day `n` working days before the local day of `at` (n >= 0), as an ISO
   * date: the working day D such that there are exactly `n` working days after D up to
   * and including the local day of `at` (n = 0: that day itself if working, else the
   * last working day before it).
   */
  workingDayBefore(at: Date, n: number): string;
}

/**
 * One announced change to the ordinary week: `off` makes `date` a day off (a weekday
 * swapped for a working Saturday, an extra day off), `work` makes it a working day (the
 * Saturday worked in exchange, or a computed compensatory day the announcement moved).
 * Swaps have the last word over weekdays, holidays and compensatory days.
 */
export interface DaySwap {
  /** ISO date `YYYY-MM-DD`, local (Asia/Ho_Chi_Minh). */
  date: string;
  kind: 'off' | 'work';
  /** Why, and where it was announced (free text). */
  note?: string;
}

/**
 * A public holiday beyond Labour Code 2019 Art. 112(1) (e.g. one added by a later law, or
 * a one-off holiday), treated like the statutory ones: when it falls on a Saturday or a
 * Sunday, the next working day is a compensatory day off (Art. 111(3)).
 * Either a single `date`, or a yearly `month`/`day` within optional years.
 */
export type ExtraHoliday =
  | { name: string; date: string }
  | { name: string; month: number; day: number; fromYear?: number; toYear?: number };

export interface WorkingCalendarOptions {
  daySwaps?: readonly DaySwap[];
  extraHolidays?: readonly ExtraHoliday[];
  /**
   * Which day next to 2 September the government chose, per year. Default (no entry):
   * the day after when 2/9 is a Monday, Thursday or Sunday, otherwise the day before
   * (what was announced 2021 to 2025; see data/README.md).
   */
  nationalDayAdjacent?: Readonly<Record<number, 'before' | 'after'>>;
}

/** One day that is not an ordinary Monday-to-Friday working day or weekend, for display. */
export interface CalendarDay {
  /** ISO date `YYYY-MM-DD`. */
  date: string;
  /** `holiday`: a public holiday itself (may fall on a weekend); `compensatory`: day off in lieu of a weekend holiday; `swap-off`/`swap-work`: from announced swaps. */
  kind: 'holiday' | 'compensatory' | 'swap-off' | 'swap-work';
  name: { vi: string; en: string };
}

/** The calendar `createWorkingCalendar` returns: the contract plus a listing for display. */
export interface VietnamWorkingCalendar extends WorkingCalendar {
  /** Holidays, compensatory days and swaps in `year` (Gregorian), by date. */
  holidays(year: number): CalendarDay[];
}
