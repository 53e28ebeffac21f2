import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createWorkingCalendar, isAfterPaperCutoff, vietnamCalendar } from './working-days.ts';

const cal = vietnamCalendar();
/** Local (UTC+7) wall-clock time as an instant. */
const vn = (local: string): Date => new Date(`${local}+07:00`);
/** The instant a result is due: end of that local day. */
const endOf = (day: string): string => new Date(`${day}T23:59:59.999+07:00`).toISOString();
const due = (local: string, n: number, paper = false): string =>
  cal.dueDate(vn(local), n, paper ? { paperAfterCutoff: true } : undefined).toISOString();

/** Every date from `from` to `to` inclusive whose working status is not `expected`. */
function wrongDays(from: string, to: string, expected: boolean, c = cal): string[] {
  const out: string[] = [];
  for (let t = Date.parse(`${from}T00:00:00Z`); t <= Date.parse(`${to}T00:00:00Z`); t += 86_400_000) {
    const d = new Date(t).toISOString().slice(0, 10);
    if (c.isWorkingDay(d) !== expected) out.push(d);
  }
  return out;
}

test('Tết breaks as announced: 2024, 2025, 2026 (days off, then back to work)', () => {
  // Tết Giáp Thìn 2024: off Thu 8/2 to Wed 14/2.
  assert.deepEqual(wrongDays('2024-02-08', '2024-02-14', false), []);
  assert.equal(cal.isWorkingDay('2024-02-07'), true);
  assert.equal(cal.isWorkingDay('2024-02-15'), true);
  // Tết Ất Tỵ 2025 (Tết 29/1): off Sat 25/1 to Sun 2/2, back Mon 3/2.
  assert.deepEqual(wrongDays('2025-01-25', '2025-02-02', false), []);
  assert.equal(cal.isWorkingDay('2025-01-24'), true);
  assert.equal(cal.isWorkingDay('2025-02-03'), true);
  // Tết Bính Ngọ 2026 (Tết 17/2): off Sat 14/2 to Sun 22/2, back Mon 23/2.
  assert.deepEqual(wrongDays('2026-02-14', '2026-02-22', false), []);
  assert.equal(cal.isWorkingDay('2026-02-13'), true);
  assert.equal(cal.isWorkingDay('2026-02-23'), true);
});

test('Tết 2027 (Tết Sat 6/2) by the rules: off Thu 4/2 to Wed 10/2', () => {
  assert.deepEqual(wrongDays('2027-02-04', '2027-02-10', false), []);
  assert.equal(cal.isWorkingDay('2027-02-03'), true);
  assert.equal(cal.isWorkingDay('2027-02-11'), true);
});

test('earlier years with no swap data reproduce what was announced', () => {
  const rulesOnly = createWorkingCalendar();
  const offSpans: Array<[string, string]> = [
    ['2021-02-10', '2021-02-16'], // Tết Tân Sửu
    ['2022-01-29', '2022-02-06'], // Tết Nhâm Dần
    ['2022-04-30', '2022-05-03'], // 30/4 Sat, 1/5 Sun → Mon, Tue
    ['2022-09-01', '2022-09-04'], // 2/9 Fri + Thu 1/9
    ['2023-01-20', '2023-01-26'], // Tết Quý Mão
    ['2023-04-29', '2023-05-03'], // Hùng Kings Sat 29/4, 30/4 Sun, 1/5 Mon → Tue, Wed
    ['2023-09-01', '2023-09-04'], // 2/9 Sat + Fri 1/9 → Mon 4/9
  ];
  for (const [from, to] of offSpans) assert.deepEqual(wrongDays(from, to, false, rulesOnly), [], `${from}..${to}`);
  assert.equal(rulesOnly.isWorkingDay('2021-09-03'), false); // 2/9/2021 Thu + Fri 3/9
  assert.equal(rulesOnly.isWorkingDay('2021-09-01'), true);
  assert.equal(rulesOnly.isWorkingDay('2022-04-11'), false); // Hùng Kings Sun 10/4/2022 → Mon 11/4
});

test('the fixed holidays and their compensatory days', () => {
  assert.equal(cal.isWorkingDay('2026-01-01'), false); // Thu
  assert.equal(cal.isWorkingDay('2026-01-02'), true);
  assert.equal(cal.isWorkingDay('2026-04-26'), false); // Hùng Kings, a Sunday
  assert.equal(cal.isWorkingDay('2026-04-27'), false); // … compensated on Monday
  assert.equal(cal.isWorkingDay('2026-04-28'), true);
  assert.equal(cal.isWorkingDay('2026-04-30'), false);
  assert.equal(cal.isWorkingDay('2026-05-01'), false);
  assert.equal(cal.isWorkingDay('2026-09-01'), false);
  assert.equal(cal.isWorkingDay('2026-09-02'), false);
  assert.equal(cal.isWorkingDay('2026-09-03'), true);
  // 2027: 1/5 is a Saturday → Monday 3/5 off.
  assert.equal(cal.isWorkingDay('2027-05-03'), false);
  // 2025: 30/8 to 2/9 off; 2024: 31/8 to 3/9 off.
  assert.deepEqual(wrongDays('2025-08-30', '2025-09-02', false), []);
  assert.equal(cal.isWorkingDay('2025-09-03'), true);
  assert.deepEqual(wrongDays('2024-08-31', '2024-09-03', false), []);
  assert.equal(cal.isWorkingDay('2024-09-04'), true);
});

test('announced swaps: worked Saturdays and swapped weekdays', () => {
  // 2025: Fri 2/5 off, Sat 26/4 worked → 30/4 to 4/5 off.
  assert.equal(cal.isWorkingDay('2025-04-26'), true);
  assert.deepEqual(wrongDays('2025-04-30', '2025-05-04', false), []);
  // 2024: Mon 29/4 off, Sat 4/5 worked → 27/4 to 1/5 off.
  assert.deepEqual(wrongDays('2024-04-27', '2024-05-01', false), []);
  assert.equal(cal.isWorkingDay('2024-05-04'), true);
  // Without the data, the rules alone leave 2/5/2025 a working day.
  assert.equal(createWorkingCalendar().isWorkingDay('2025-05-02'), true);
  assert.equal(createWorkingCalendar().isWorkingDay('2025-04-26'), false);
});

test('dueDate: received Friday 2026-02-13 with 5 working days over Tết 2026', () => {
  // Received Fri 13/2 10:00. 14/2 (Sat) to 22/2 (Sun) are all off, so the period starts
  // Mon 23/2: day 1 Mon 23/2, 2 Tue 24/2, 3 Wed 25/2, 4 Thu 26/2, 5 Fri 27/2 → due end of 27/2.
  assert.equal(due('2026-02-13T10:00', 5), endOf('2026-02-27'));
  assert.equal(due('2026-02-13T10:00', 5), '2026-02-27T16:59:59.999Z');
  // A paper dossier received at 16:00 counts as received Mon 23/2: days 24, 25, 26, 27/2 and Mon 2/3.
  assert.equal(due('2026-02-13T16:00', 5, true), endOf('2026-03-02'));
  // The same at 16:00 online (no paper cut-off): unchanged.
  assert.equal(due('2026-02-13T16:00', 5), endOf('2026-02-27'));
  // At exactly 15:00:00.000 it is not yet "after 15:00"; one millisecond later it is.
  assert.equal(due('2026-02-13T15:00:00.000', 5, true), endOf('2026-02-27'));
  assert.equal(due('2026-02-13T15:00:00.001', 5, true), endOf('2026-03-02'));
  assert.equal(isAfterPaperCutoff(vn('2026-02-13T15:00:00.000')), false);
  assert.equal(isAfterPaperCutoff(vn('2026-02-13T15:00:00.001')), true);
});

test('dueDate: more hand-computed cases', () => {
  // Thu 12/2/2026 23:59:59.999 local is still Thursday: 1 day → Fri 13/2.
  assert.equal(cal.dueDate(new Date('2026-02-12T16:59:59.999Z'), 1).toISOString(), endOf('2026-02-13'));
  // One millisecond later it is Fri 13/2 local: 1 day → Mon 23/2 (after Tết).
  assert.equal(cal.dueDate(new Date('2026-02-12T17:00:00.000Z'), 1).toISOString(), endOf('2026-02-23'));
  // Fri 24/4/2026, 3 days: Mon 27/4 is the Hùng Kings compensatory day → Tue 28/4 (1), Wed 29/4 (2),
  // 30/4 and 1/5 holidays, 2–3/5 weekend → Mon 4/5 (3).
  assert.equal(due('2026-04-24T09:00', 3), endOf('2026-05-04'));
  // Fri 25/4/2025, 3 days: Sat 26/4 is a worked Saturday (1), Sun off, Mon 28/4 (2), Tue 29/4 (3).
  assert.equal(due('2025-04-25T09:00', 3), endOf('2025-04-29'));
  // Tue 29/4/2025, 1 day: 30/4, 1/5 holidays, 2/5 swapped off, 3–4/5 weekend → Mon 5/5.
  assert.equal(due('2025-04-29T09:00', 1), endOf('2025-05-05'));
  // Across New Year: Wed 31/12/2025, 1 day: 1/1 holiday → Fri 2/1/2026.
  assert.equal(due('2025-12-31T09:00', 1), endOf('2026-01-02'));
  // 15 working days from Mon 2/2/2026: Feb 3–6 (4), 9–13 (9), Tết break, Feb 23–27 (14), Mon 2/3 (15).
  assert.equal(due('2026-02-02T08:00', 15), endOf('2026-03-02'));
});

test('dueDate with 0 days', () => {
  assert.equal(due('2026-02-09T10:00', 0), endOf('2026-02-09')); // a working Monday: same day
  assert.equal(due('2026-02-14T10:00', 0), endOf('2026-02-23')); // Saturday in the Tết break: next working day
  assert.equal(due('2026-02-09T16:00', 0, true), endOf('2026-02-10')); // paper after 15:00: the next working day
});

test('workingDaysBetween', () => {
  assert.equal(cal.workingDaysBetween(vn('2026-02-13T10:00'), vn('2026-02-27T23:00')), 5);
  assert.equal(cal.workingDaysBetween(vn('2026-02-27T23:00'), vn('2026-02-13T10:00')), -5);
  assert.equal(cal.workingDaysBetween(vn('2026-02-13T01:00'), vn('2026-02-13T23:00')), 0);
  assert.equal(cal.workingDaysBetween(vn('2026-02-13T10:00'), vn('2026-02-22T10:00')), 0); // only the Tết break
  // A whole year: 2026 has 261 weekdays (52 weeks + Thu 1/1), minus 10 holidays on weekdays
  // (1/1, the 5 Tết days, 30/4, 1/5, 1/9, 2/9) and the Hùng Kings compensatory Mon 27/4: 250.
  assert.equal(cal.workingDaysBetween(vn('2025-12-31T12:00'), vn('2026-12-31T12:00')), 250);
  // Across several years equals the sum of the years.
  const y25 = cal.workingDaysBetween(vn('2024-12-31T12:00'), vn('2025-12-31T12:00'));
  const y26 = 250;
  assert.equal(cal.workingDaysBetween(vn('2024-12-31T12:00'), vn('2026-12-31T12:00')), y25 + y26);
});

test('workingDayBefore', () => {
  // 5 working days before Fri 27/2/2026: 23–27/2 are the five, so Fri 13/2.
  assert.equal(cal.workingDayBefore(vn('2026-02-27T12:00'), 5), '2026-02-13');
  assert.equal(cal.workingDayBefore(vn('2026-02-27T12:00'), 0), '2026-02-27');
  assert.equal(cal.workingDayBefore(vn('2026-02-22T12:00'), 0), '2026-02-13'); // Sunday in the break
  assert.equal(cal.workingDayBefore(vn('2026-02-23T12:00'), 1), '2026-02-13');
  assert.equal(cal.workingDayBefore(vn('2026-01-02T12:00'), 1), '2025-12-31'); // across New Year
});

test('bad input is refused with RangeError', () => {
  assert.throws(() => cal.isWorkingDay('2026-02-30'), RangeError);
  assert.throws(() => cal.isWorkingDay('26-02-01'), RangeError);
  assert.throws(() => cal.isWorkingDay('1800-01-01'), RangeError);
  assert.throws(() => cal.dueDate(new Date(Number.NaN), 1), RangeError);
  assert.throws(() => cal.dueDate(vn('2026-02-13T10:00'), -1), RangeError);
  assert.throws(() => cal.dueDate(vn('2026-02-13T10:00'), 1.5), RangeError);
  assert.throws(() => cal.dueDate(vn('2198-12-30T10:00'), 10), RangeError);
  assert.throws(() => cal.workingDayBefore(vn('2026-02-13T10:00'), -1), RangeError);
  assert.throws(() => cal.holidays(1800), RangeError);
});

test('options: extra holidays get compensation, swaps must not conflict, National Day side override', () => {
  const c = createWorkingCalendar({
    extraHolidays: [
      { name: 'One-off', date: '2026-11-21' }, // a Saturday → Monday 23/11 off
      { name: 'Yearly', month: 11, day: 24, fromYear: 2026 },
    ],
    nationalDayAdjacent: { 2026: 'after' },
  });
  assert.equal(c.isWorkingDay('2026-11-23'), false);
  assert.equal(c.isWorkingDay('2026-11-24'), false);
  assert.equal(c.isWorkingDay('2025-11-24'), true); // before fromYear
  assert.equal(c.isWorkingDay('2026-09-01'), true);
  assert.equal(c.isWorkingDay('2026-09-03'), false);
  assert.deepEqual(
    c.holidays(2026).filter((d) => d.date.startsWith('2026-11')).map((d) => `${d.date} ${d.kind}`),
    ['2026-11-21 holiday', '2026-11-23 compensatory', '2026-11-24 holiday'],
  );
  assert.throws(() => createWorkingCalendar({ daySwaps: [{ date: '2026-03-07', kind: 'work' }, { date: '2026-03-07', kind: 'off' }] }));
  assert.throws(() => createWorkingCalendar({ daySwaps: [{ date: '2026-02-30', kind: 'off' }] }));
  assert.throws(() => createWorkingCalendar({ extraHolidays: [{ name: 'x', month: 2, day: 30 }] }));
});

test('holidays(year) lists holidays, compensatory days and swaps in date order', () => {
  const y25 = cal.holidays(2025).map((d) => `${d.date} ${d.kind}`);
  assert.deepEqual(y25, [
    '2025-01-01 holiday',
    '2025-01-27 compensatory',
    '2025-01-28 holiday',
    '2025-01-29 holiday',
    '2025-01-30 holiday',
    '2025-01-31 holiday',
    '2025-02-01 holiday',
    '2025-04-07 holiday',
    '2025-04-26 swap-work',
    '2025-04-30 holiday',
    '2025-05-01 holiday',
    '2025-05-02 swap-off',
    '2025-09-01 holiday',
    '2025-09-02 holiday',
  ]);
});
