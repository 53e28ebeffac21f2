import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compensatoryDays, defaultNationalDayAdjacent, holidaysOfYear, hungKingsDay, tetDay } from './holidays.ts';
import { formatDay } from './local-day.ts';

const rules = { extraHolidays: [], nationalDayAdjacent: {} };

test('Tết (lunar 1/1) on Vietnam’s dates', () => {
  const cases: Array<[number, string]> = [
    [1985, '1985-01-21'], // Vietnam's Tết; China's was 1985-02-20
    [2024, '2024-02-10'],
    [2025, '2025-01-29'],
    [2026, '2026-02-17'],
    [2027, '2027-02-06'],
  ];
  for (const [year, date] of cases) assert.equal(formatDay(tetDay(year)), date, String(year));
});

test('Hùng Kings’ day (10/3 lunar)', () => {
  assert.equal(formatDay(hungKingsDay(2024)), '2024-04-18');
  assert.equal(formatDay(hungKingsDay(2025)), '2025-04-07');
  assert.equal(formatDay(hungKingsDay(2026)), '2026-04-26');
});

test('statutory Tết is the last day of the lunar year and mùng 1 to 4', () => {
  const tet = (y: number) => holidaysOfYear(y, rules).filter((h) => h.tet).map((h) => formatDay(h.day));
  // 2025: lunar 12th month of Giáp Thìn had 29 days, so the last day is 29 Tết, 28/1.
  assert.deepEqual(tet(2025), ['2025-01-28', '2025-01-29', '2025-01-30', '2025-01-31', '2025-02-01']);
  assert.deepEqual(tet(2026), ['2026-02-16', '2026-02-17', '2026-02-18', '2026-02-19', '2026-02-20']);
  assert.deepEqual(tet(2027), ['2027-02-05', '2027-02-06', '2027-02-07', '2027-02-08', '2027-02-09']);
});

test('all eleven statutory days of 2026', () => {
  assert.deepEqual(
    holidaysOfYear(2026, rules).map((h) => formatDay(h.day)),
    ['2026-01-01', '2026-02-16', '2026-02-17', '2026-02-18', '2026-02-19', '2026-02-20', '2026-04-26', '2026-04-30', '2026-05-01', '2026-09-01', '2026-09-02'],
  );
});

test('second National Day holiday: default side by weekday, overridable', () => {
  assert.equal(defaultNationalDayAdjacent(2021), 'after'); // Thursday: 2–3/9/2021 was announced
  assert.equal(defaultNationalDayAdjacent(2024), 'after'); // Monday: 2–3/9/2024
  assert.equal(defaultNationalDayAdjacent(2025), 'before'); // Tuesday: 1–2/9/2025
  assert.equal(defaultNationalDayAdjacent(2026), 'before'); // Wednesday
  const days = holidaysOfYear(2026, { extraHolidays: [], nationalDayAdjacent: { 2026: 'after' } }).map((h) => formatDay(h.day));
  assert.ok(days.includes('2026-09-03') && !days.includes('2026-09-01'));
});

test('compensatory days: Saturday Tết day goes before, Sunday after; other holidays go to the next working day', () => {
  const comp = (y: number) => compensatoryDays(holidaysOfYear(y, rules)).map((c) => `${formatDay(c.for.day)}>${formatDay(c.day)}`);
  assert.deepEqual(comp(2025), ['2025-02-01>2025-01-27']);
  assert.deepEqual(comp(2024), ['2024-02-10>2024-02-08', '2024-02-11>2024-02-14']);
  assert.deepEqual(comp(2026), ['2026-04-26>2026-04-27']);
  // 2023: Hùng Kings Sat 29/4, 30/4 Sun, 1/5 Mon → Tue 2/5 and Wed 3/5 (skipping the holiday 1/5).
  assert.ok(comp(2023).includes('2023-04-29>2023-05-02') && comp(2023).includes('2023-04-30>2023-05-03'));
  // A holiday run never compensates onto another holiday or compensatory day.
  const hs = holidaysOfYear(2023, rules);
  const c = compensatoryDays(hs).map((x) => x.day);
  assert.equal(new Set(c).size, c.length);
  for (const d of c) assert.ok(!hs.some((h) => h.day === d));
});
