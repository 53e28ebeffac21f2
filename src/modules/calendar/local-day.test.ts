import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import {
  civilFromDays,
  dayOfIso,
  daysFromCivil,
  endOfLocalDay,
  formatDay,
  localDate,
  localDayOf,
  localMsOfDay,
  parseIsoDate,
  weekdayOf,
} from './local-day.ts';

test('day numbers agree with Date.UTC and round-trip', () => {
  fc.assert(
    fc.property(fc.integer({ min: -200_000, max: 200_000 }), (d) => {
      const { year, month, day } = civilFromDays(d);
      assert.equal(daysFromCivil(year, month, day), d);
      const js = new Date(d * 86_400_000);
      assert.deepEqual([year, month, day], [js.getUTCFullYear(), js.getUTCMonth() + 1, js.getUTCDate()]);
      assert.equal(weekdayOf(d), js.getUTCDay());
    }),
  );
});

test('local day is UTC+7: 17:00 UTC is already the next day in Hanoi', () => {
  assert.equal(localDate(new Date('2026-02-12T16:59:59.999Z')), '2026-02-12');
  assert.equal(localDate(new Date('2026-02-12T17:00:00.000Z')), '2026-02-13');
  assert.equal(localMsOfDay(Date.parse('2026-02-13T08:00:00Z')), 15 * 3_600_000); // 15:00 local
  assert.equal(new Date(endOfLocalDay(dayOfIso('2026-02-27'))).toISOString(), '2026-02-27T16:59:59.999Z');
});

test('local day agrees with Intl for Asia/Ho_Chi_Minh (since 1976, no DST)', () => {
  const fmt = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Ho_Chi_Minh', year: 'numeric', month: '2-digit', day: '2-digit' });
  fc.assert(
    fc.property(fc.integer({ min: Date.UTC(1976, 0, 1), max: Date.UTC(2199, 0, 1) }), (ms) => {
      assert.equal(formatDay(localDayOf(ms)), fmt.format(new Date(ms)));
    }),
    { numRuns: 500 },
  );
});

test('parseIsoDate accepts only real YYYY-MM-DD dates', () => {
  assert.deepEqual(parseIsoDate('2024-02-29'), { year: 2024, month: 2, day: 29 });
  for (const bad of ['2025-02-29', '2100-02-29', '2026-13-01', '2026-00-10', '2026-04-31', '2026-4-01', '2026-04-1', '2026/04/01', '20260401xx', 'abcd-ef-gh', '']) {
    assert.equal(parseIsoDate(bad), undefined, bad);
  }
  assert.throws(() => dayOfIso('2026-02-30'), RangeError);
});
