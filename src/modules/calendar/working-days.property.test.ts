import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { daysFromCivil, formatDay, localDate, localDayOf, weekdayOf } from './local-day.ts';
import { isAfterPaperCutoff, vietnamCalendar } from './working-days.ts';

const cal = vietnamCalendar();
const HOUR = 3_600_000;
const DAY = 86_400_000;
const OFFSET = 7 * HOUR;

/** Instants from 2000 to 2100. */
const instant = fc.integer({ min: Date.UTC(2000, 0, 1), max: Date.UTC(2100, 0, 1) }).map((ms) => new Date(ms));
const days = fc.integer({ min: 0, max: 300 });
const paper = fc.boolean();

const isWorking = (d: number): boolean => cal.isWorkingDay(formatDay(d));

/** Reference model: step day by day using only isWorkingDay. */
function naiveDue(start: Date, n: number, paperAfterCutoff: boolean): Date {
  let d = localDayOf(start.getTime());
  if (paperAfterCutoff && isAfterPaperCutoff(start)) {
    do d++;
    while (!isWorking(d));
  }
  if (n === 0) {
    while (!isWorking(d)) d++;
  } else {
    for (let k = 0; k < n; ) if (isWorking(++d)) k++;
  }
  return new Date((d + 1) * DAY - OFFSET - 1);
}

test('property: dueDate equals a day-by-day count over isWorkingDay', () => {
  fc.assert(
    fc.property(instant, fc.integer({ min: 0, max: 60 }), paper, (start, n, p) => {
      assert.equal(cal.dueDate(start, n, { paperAfterCutoff: p }).getTime(), naiveDue(start, n, p).getTime());
    }),
    { numRuns: 2000 },
  );
});

test('property: a due date is the end of a working day', () => {
  fc.assert(
    fc.property(instant, days, paper, (start, n, p) => {
      const due = cal.dueDate(start, n, { paperAfterCutoff: p });
      assert.equal(cal.isWorkingDay(localDate(due)), true);
      assert.equal((due.getTime() + OFFSET + 1) % DAY, 0, 'ends at 23:59:59.999 local');
      assert.ok(due.getTime() >= start.getTime(), 'never before the start');
    }),
    { numRuns: 2000 },
  );
});

test('property: more days never give an earlier date (strictly later from 1 day on)', () => {
  fc.assert(
    fc.property(instant, days, days, paper, (start, a, b, p) => {
      const [lo, hi] = a <= b ? [a, b] : [b, a];
      const dLo = cal.dueDate(start, lo, { paperAfterCutoff: p }).getTime();
      const dHi = cal.dueDate(start, hi, { paperAfterCutoff: p }).getTime();
      assert.ok(dLo <= dHi);
      if (lo >= 1 && lo < hi) assert.ok(dLo < dHi);
    }),
    { numRuns: 2000 },
  );
});

test('property: counting back from the due date with workingDaysBetween gives n', () => {
  fc.assert(
    fc.property(instant, fc.integer({ min: 1, max: 300 }), (start, n) => {
      const due = cal.dueDate(start, n);
      assert.equal(cal.workingDaysBetween(start, due), n);
      assert.equal(cal.workingDaysBetween(due, start), -n);
      // … and workingDayBefore goes back to the last working day on or before the start.
      const back = cal.workingDayBefore(due, n);
      assert.ok(back <= localDate(start));
      assert.equal(cal.isWorkingDay(back), true);
      assert.equal(cal.workingDaysBetween(new Date(`${back}T12:00:00+07:00`), start), 0);
    }),
    { numRuns: 2000 },
  );
});

test('property: with the paper cut-off applied, the count from receipt is n + 1', () => {
  fc.assert(
    fc.property(instant, fc.integer({ min: 1, max: 300 }), (start, n) => {
      const due = cal.dueDate(start, n, { paperAfterCutoff: true });
      assert.equal(cal.workingDaysBetween(start, due), isAfterPaperCutoff(start) ? n + 1 : n);
    }),
    { numRuns: 1000 },
  );
});

test('property: a paper dossier after 15:00 is never due earlier than before 15:00 the same day', () => {
  const localDay = fc.integer({ min: daysFromCivil(2000, 1, 1), max: daysFromCivil(2099, 12, 31) });
  const before = fc.integer({ min: 0, max: 15 * HOUR }); // up to 15:00:00.000 inclusive
  const after = fc.integer({ min: 15 * HOUR + 1, max: DAY - 1 });
  fc.assert(
    fc.property(localDay, before, after, days, (d, tb, ta, n) => {
      const early = new Date(d * DAY - OFFSET + tb);
      const late = new Date(d * DAY - OFFSET + ta);
      const dueEarly = cal.dueDate(early, n, { paperAfterCutoff: true }).getTime();
      const dueLate = cal.dueDate(late, n, { paperAfterCutoff: true }).getTime();
      assert.ok(dueLate >= dueEarly);
      assert.ok(dueLate >= cal.dueDate(late, n).getTime(), 'the cut-off never shortens a period');
      assert.equal(dueEarly, cal.dueDate(early, n).getTime(), 'before the cut-off the flag changes nothing');
      if (isWorking(d)) assert.ok(dueLate > dueEarly, 'on a working day, after 15:00 is one working day later');
    }),
    { numRuns: 2000 },
  );
});

test('property: workingDaysBetween is additive and antisymmetric', () => {
  fc.assert(
    fc.property(instant, instant, instant, (a, b, c) => {
      assert.equal(cal.workingDaysBetween(a, b) + cal.workingDaysBetween(b, c), cal.workingDaysBetween(a, c));
      assert.equal(cal.workingDaysBetween(a, b), 0 - cal.workingDaysBetween(b, a)); // strict: -0 would fail
    }),
    { numRuns: 500 },
  );
});

test('property: isWorkingDay agrees with weekends and the holidays(year) listing', () => {
  fc.assert(
    fc.property(fc.integer({ min: daysFromCivil(1990, 1, 1), max: daysFromCivil(2150, 12, 31) }), (d) => {
      const iso = formatDay(d);
      const entries = cal.holidays(Number(iso.slice(0, 4))).filter((e) => e.date === iso);
      const w = weekdayOf(d);
      let expected = w !== 0 && w !== 6;
      if (entries.some((e) => e.kind === 'holiday' || e.kind === 'compensatory' || e.kind === 'swap-off')) expected = false;
      if (entries.some((e) => e.kind === 'swap-work')) expected = true;
      assert.equal(cal.isWorkingDay(iso), expected, iso);
    }),
    { numRuns: 3000 },
  );
});

test('property: every year has 11 statutory days off and a sane number of working days', () => {
  fc.assert(
    fc.property(fc.integer({ min: 1950, max: 2150 }), (year) => {
      const list = cal.holidays(year);
      assert.equal(list.filter((e) => e.kind === 'holiday').length, 11);
      const n = cal.workingDaysBetween(new Date(Date.UTC(year - 1, 11, 31, 5)), new Date(Date.UTC(year, 11, 31, 5)));
      // 260–262 weekdays minus at most 11 holidays (each weekend one is compensated) plus swaps.
      assert.ok(n >= 245 && n <= 255, `${year}: ${n}`);
    }),
    { numRuns: 200 },
  );
});
