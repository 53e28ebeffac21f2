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
   * `start` (a paper dossier received after 15:00 starts one working day later when
   * `afterCutoffCountsNextDay` is set), and ends at 23:59:59.999 local time of its
   * last working day. `workingDays` may be 0 (due the end of the start's working day).
   */
  dueDate(start: Date, workingDays: number, opts?: { paperAfterCutoff?: boolean }): Date;
  /** Whole working days from the local day of `from` (exclusive) to that of `to` (inclusive); negative when `to` is before. */
  workingDaysBetween(from: Date, to: Date): number;
  /** The working day `n` working days before the local day of `at` (n >= 0), as an ISO date. */
  workingDayBefore(at: Date, n: number): string;
}
