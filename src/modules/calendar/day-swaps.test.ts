import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SHIPPED_CALENDAR_DATA, parseCalendarData } from './day-swaps.ts';

test('the shipped data loads and holds the swaps we are sure of', () => {
  const dates = SHIPPED_CALENDAR_DATA.daySwaps.map((s) => `${s.date} ${s.kind}`).sort();
  assert.deepEqual(dates, ['2024-04-29 off', '2024-05-04 work', '2025-04-26 work', '2025-05-02 off']);
  assert.deepEqual(SHIPPED_CALENDAR_DATA.nationalDayAdjacent, { 2024: 'after', 2025: 'before' });
  // Every swap is paired: as many worked days as days off in each year.
  const byYear = new Map<string, number>();
  for (const s of SHIPPED_CALENDAR_DATA.daySwaps) byYear.set(s.date.slice(0, 4), (byYear.get(s.date.slice(0, 4)) ?? 0) + (s.kind === 'off' ? 1 : -1));
  for (const [y, n] of byYear) assert.equal(n, 0, y);
});

test('bad data is refused with a message naming the place', () => {
  const bad: Array<[unknown, RegExp]> = [
    [[], /root/],
    [{ years: { 2026: { swaps: [{ date: '2026-02-30', kind: 'off' }] } } }, /years\.2026\.swaps\[0\]\.date/],
    [{ years: { 2026: { swaps: [{ date: '2026-03-07', kind: 'holiday' }] } } }, /kind/],
    [{ years: { 2026: { swaps: [{ date: '2025-03-07', kind: 'off' }] } } }, /not in 2026/],
    [{ years: { 2026: { swaps: [{ date: '2026-03-07', kind: 'off' }, { date: '2026-03-07', kind: 'work' }] } } }, /twice/],
    [{ years: { 26: { swaps: [] } } }, /four-digit/],
    [{ years: { 2026: { nationalDayAdjacent: 'both' } } }, /nationalDayAdjacent/],
    [{ years: { 2026: { sources: 'text' } } }, /sources/],
    [{ extraHolidays: [{ month: 11, day: 24 }] }, /name/],
    [{ extraHolidays: [{ name: 'x', month: 13, day: 1 }] }, /month and day/],
  ];
  for (const [data, message] of bad) assert.throws(() => parseCalendarData(data), message, JSON.stringify(data));
});

test('good data becomes calendar options', () => {
  const opts = parseCalendarData({
    extraHolidays: [{ name: 'Ngày Văn hóa', month: 11, day: 24, fromYear: 2026 }],
    years: { 2027: { sources: ['x'], nationalDayAdjacent: 'before', swaps: [{ date: '2027-02-13', kind: 'work', note: 'n' }] } },
  });
  assert.deepEqual(opts, {
    daySwaps: [{ date: '2027-02-13', kind: 'work', note: 'n' }],
    extraHolidays: [{ name: 'Ngày Văn hóa', month: 11, day: 24, fromYear: 2026 }],
    nationalDayAdjacent: { 2027: 'before' },
  });
});
