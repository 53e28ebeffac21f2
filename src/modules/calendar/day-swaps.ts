/**
 * The shipped, editable announcements (data/day-swaps.json; shape in data/README.md),
 * checked when the module loads so a typo fails at start, not as a wrong deadline.
 */
import shipped from './data/day-swaps.json' with { type: 'json' };
import { parseIsoDate } from './local-day.ts';
import type { DaySwap, ExtraHoliday, WorkingCalendarOptions } from './types.ts';

function fail(where: string, what: string): never {
  throw new Error(`calendar data ${where}: ${what}`);
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function checkDate(v: unknown, where: string): string {
  if (typeof v !== 'string' || parseIsoDate(v) === undefined) fail(where, `not a YYYY-MM-DD date: ${JSON.stringify(v)}`);
  return v;
}

function optionalYear(v: unknown, where: string): number | undefined {
  if (v === undefined) return undefined;
  if (typeof v !== 'number' || !Number.isInteger(v)) fail(where, 'a year must be an integer');
  return v;
}

export function checkExtraHoliday(v: unknown, where: string): ExtraHoliday {
  if (!isObject(v)) fail(where, 'must be an object');
  if (typeof v.name !== 'string' || v.name === '') fail(where, 'needs a name');
  if (v.date !== undefined) return { name: v.name, date: checkDate(v.date, `${where}.date`) };
  const { month, day } = v;
  if (typeof month !== 'number' || typeof day !== 'number' || parseIsoDate(`2000-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`) === undefined)
    fail(where, 'needs a date, or a month and day');
  const fromYear = optionalYear(v.fromYear, `${where}.fromYear`);
  const toYear = optionalYear(v.toYear, `${where}.toYear`);
  return { name: v.name, month, day, ...(fromYear !== undefined ? { fromYear } : {}), ...(toYear !== undefined ? { toYear } : {}) };
}

export function checkDaySwap(v: unknown, where: string): DaySwap {
  if (!isObject(v)) fail(where, 'must be an object');
  const date = checkDate(v.date, `${where}.date`);
  if (v.kind !== 'off' && v.kind !== 'work') fail(`${where}.kind`, 'must be "off" or "work"');
  if (v.note !== undefined && typeof v.note !== 'string') fail(`${where}.note`, 'must be text');
  return { date, kind: v.kind, ...(typeof v.note === 'string' ? { note: v.note } : {}) };
}

/** Validates the JSON shape of data/day-swaps.json and turns it into calendar options. */
export function parseCalendarData(data: unknown): Required<WorkingCalendarOptions> {
  if (!isObject(data)) fail('(root)', 'must be an object');
  const extraHolidays = data.extraHolidays ?? [];
  if (!Array.isArray(extraHolidays)) fail('extraHolidays', 'must be an array');
  const years = data.years ?? {};
  if (!isObject(years)) fail('years', 'must be an object keyed by year');
  const daySwaps: DaySwap[] = [];
  const nationalDayAdjacent: Record<number, 'before' | 'after'> = {};
  const seen = new Set<string>();
  for (const [key, entry] of Object.entries(years)) {
    if (!/^\d{4}$/.test(key)) fail(`years.${key}`, 'keys are four-digit years');
    if (!isObject(entry)) fail(`years.${key}`, 'must be an object');
    const year = Number(key);
    if (entry.sources !== undefined && (!Array.isArray(entry.sources) || !entry.sources.every((s) => typeof s === 'string')))
      fail(`years.${key}.sources`, 'must be an array of text');
    if (entry.nationalDayAdjacent !== undefined) {
      if (entry.nationalDayAdjacent !== 'before' && entry.nationalDayAdjacent !== 'after')
        fail(`years.${key}.nationalDayAdjacent`, 'must be "before" or "after"');
      nationalDayAdjacent[year] = entry.nationalDayAdjacent;
    }
    const swaps = entry.swaps ?? [];
    if (!Array.isArray(swaps)) fail(`years.${key}.swaps`, 'must be an array');
    swaps.forEach((s, i) => {
      const swap = checkDaySwap(s, `years.${key}.swaps[${i}]`);
      if (!swap.date.startsWith(key)) fail(`years.${key}.swaps[${i}]`, `${swap.date} is not in ${key}`);
      if (seen.has(swap.date)) fail(`years.${key}.swaps[${i}]`, `${swap.date} listed twice`);
      seen.add(swap.date);
      daySwaps.push(swap);
    });
  }
  return {
    daySwaps,
    extraHolidays: extraHolidays.map((h, i) => checkExtraHoliday(h, `extraHolidays[${i}]`)),
    nationalDayAdjacent,
  };
}

/** The shipped announcements, checked once at module load. */
export const SHIPPED_CALENDAR_DATA: Required<WorkingCalendarOptions> = parseCalendarData(shipped);
