import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mondayToFridayCalendar as cal } from './test-calendar.ts';
import { at } from './test-fixtures.ts';

describe('the Monday-to-Friday test calendar', () => {
  it('knows weekends', () => {
    assert.equal(cal.isWorkingDay('2026-03-06'), true); // Friday
    assert.equal(cal.isWorkingDay('2026-03-07'), false);
    assert.equal(cal.isWorkingDay('2026-03-08'), false);
    assert.equal(cal.isWorkingDay('2026-03-09'), true);
  });
  it('dueDate counts from the next working day and ends at 23:59:59.999 Hanoi time', () => {
    assert.equal(cal.dueDate(at('2026-03-06', 10), 1).toISOString(), '2026-03-09T16:59:59.999Z');
    assert.equal(cal.dueDate(at('2026-03-02', 10), 10).toISOString(), '2026-03-16T16:59:59.999Z');
    assert.equal(cal.dueDate(at('2026-03-02', 10), 0).toISOString(), '2026-03-02T16:59:59.999Z');
    assert.equal(cal.dueDate(at('2026-03-07', 10), 0).toISOString(), '2026-03-09T16:59:59.999Z');
    // 00:30 local on Tuesday is still Monday in UTC: the local day counts
    assert.equal(cal.dueDate(at('2026-03-03', 0, 30), 1).toISOString(), '2026-03-04T16:59:59.999Z');
    assert.equal(cal.dueDate(at('2026-03-02', 15), 1, { paperAfterCutoff: true }).toISOString(), '2026-03-04T16:59:59.999Z');
    assert.equal(cal.dueDate(at('2026-03-02', 14), 1, { paperAfterCutoff: true }).toISOString(), '2026-03-03T16:59:59.999Z');
  });
  it('workingDaysBetween and workingDayBefore', () => {
    assert.equal(cal.workingDaysBetween(at('2026-03-06'), at('2026-03-09')), 1);
    assert.equal(cal.workingDaysBetween(at('2026-03-09'), at('2026-03-06')), -1);
    assert.equal(cal.workingDaysBetween(at('2026-03-02'), at('2026-03-02', 20)), 0);
    assert.equal(cal.workingDayBefore(at('2026-03-09'), 1), '2026-03-06');
    assert.equal(cal.workingDayBefore(at('2026-03-08'), 0), '2026-03-06');
    assert.equal(cal.workingDayBefore(at('2026-03-16'), 5), '2026-03-09');
  });
});
