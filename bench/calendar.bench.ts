/**
 * The working-day calendar on one core: holiday precompute time, then dueDate,
 * isWorkingDay and workingDaysBetween calls per second (goal: dueDate >= 1,000,000/s).
 * Inputs are random instants 2024–2031 and periods of 0–60 working days, half of them
 * paper dossiers under the 15:00 cut-off. About 4 seconds.
 * Run: node_modules/.bin/node bench/calendar.bench.ts
 */
import { createWorkingCalendar, MAX_YEAR, MIN_YEAR, vietnamCalendar } from '../src/modules/calendar/working-days.ts';

const fmt = (n: number): string => Math.round(n).toLocaleString('en-US');

// Deterministic inputs (xorshift), so runs compare.
let seed = 0x2026_0217;
const rnd = (): number => {
  seed ^= seed << 13;
  seed ^= seed >>> 17;
  seed ^= seed << 5;
  return (seed >>> 0) / 4_294_967_296;
};

// 1. Precompute: a fresh calendar, every year built once, then one year cold.
{
  let t = performance.now();
  const fresh = createWorkingCalendar();
  for (let y = MIN_YEAR; y <= MAX_YEAR; y++) fresh.isWorkingDay(`${y}-06-15`);
  const all = performance.now() - t;
  t = performance.now();
  createWorkingCalendar().isWorkingDay('2026-06-15');
  const one = performance.now() - t;
  console.log(`holiday precompute: ${MAX_YEAR - MIN_YEAR + 1} years (${MIN_YEAR}-${MAX_YEAR}) in ${all.toFixed(1)} ms (${((all / (MAX_YEAR - MIN_YEAR + 1)) * 1000).toFixed(0)} µs a year); one year cold, new calendar: ${one.toFixed(2)} ms`);
}

const cal = vietnamCalendar();
const N = 1 << 16;
const MASK = N - 1;
const from = Date.UTC(2024, 0, 1);
const span = Date.UTC(2031, 0, 1) - from;
const starts = Array.from({ length: N }, () => new Date(from + Math.floor(rnd() * span)));
const ends = Array.from({ length: N }, () => new Date(from + Math.floor(rnd() * span)));
const periods = Int32Array.from({ length: N }, () => Math.floor(rnd() * 61));
const paperOpts = { paperAfterCutoff: true };
const paper = Array.from({ length: N }, () => (rnd() < 0.5 ? paperOpts : undefined));
const isoDays = starts.map((d) => new Date(d.getTime() + 7 * 3_600_000).toISOString().slice(0, 10));

/** Runs `body(i)` in batches for about `ms` milliseconds; returns calls per second. */
function rate(ms: number, body: (i: number) => number): { perSec: number; sink: number } {
  let sink = 0;
  for (let i = 0; i < 200_000; i++) sink += body(i & MASK); // warm-up
  let calls = 0;
  const t0 = performance.now();
  let elapsed: number;
  do {
    for (let i = 0; i < 100_000; i++) sink += body((calls + i) & MASK);
    calls += 100_000;
    elapsed = performance.now() - t0;
  } while (elapsed < ms);
  return { perSec: (calls / elapsed) * 1000, sink };
}

const due = rate(1000, (i) => cal.dueDate(starts[i]!, periods[i]!, paper[i]).getTime() & 1);
console.log(`dueDate: ${fmt(due.perSec)} calls/s (goal >= 1,000,000)`);
const work = rate(1000, (i) => (cal.isWorkingDay(isoDays[i]!) ? 1 : 0));
console.log(`isWorkingDay: ${fmt(work.perSec)} calls/s`);
const between = rate(800, (i) => cal.workingDaysBetween(starts[i]!, ends[i]!));
console.log(`workingDaysBetween (up to 7 years apart): ${fmt(between.perSec)} calls/s`);
if (due.sink + work.sink + between.sink === 0.5) console.log(''); // keeps the results alive
if (due.perSec < 1_000_000) process.exitCode = 1;
