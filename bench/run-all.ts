/**
 * `npm run bench`: every bench/*.bench.ts, one after the other (never two at once: they
 * measure the machine), each in its own process, printing its own figures; then which
 * ran and how long each took. Names narrow the run: `npm run bench -- startup submissions`.
 * Timing goals are printed by each benchmark ("met" / "NOT met"); they are never tests.
 */
import { spawnSync } from 'node:child_process';
import { globSync } from 'node:fs';
import { basename } from 'node:path';

/** The issue's benchmarks first, in this order; any other after them, by name. */
const FIRST = ['workflow', 'calendar', 'startup', 'submissions', 'audit'];

const names = process.argv.slice(2).filter((a) => !a.startsWith('-'));
const all = globSync('bench/*.bench.ts')
  .map((f) => basename(f, '.bench.ts'))
  .sort((a, b) => {
    const ia = FIRST.indexOf(a);
    const ib = FIRST.indexOf(b);
    return (ia === -1 ? FIRST.length : ia) - (ib === -1 ? FIRST.length : ib) || a.localeCompare(b);
  });
const chosen = names.length > 0 ? all.filter((n) => names.includes(n)) : all;
const unknown = names.filter((n) => !all.includes(n));
if (unknown.length > 0) {
  console.error(`no such benchmark: ${unknown.join(', ')} (there are: ${all.join(', ')})`);
  process.exit(2);
}

console.log(`Motcua benchmarks — ${new Date().toISOString()}, Node ${process.version}, ${chosen.length} to run: ${chosen.join(', ')}`);
const summary: string[] = [];
let failed = 0;
for (const name of chosen) {
  console.log(`\n=== ${name} (node bench/${name}.bench.ts)`);
  const t0 = performance.now();
  const r = spawnSync(process.execPath, [`bench/${name}.bench.ts`], { stdio: 'inherit' });
  const s = ((performance.now() - t0) / 1000).toFixed(0);
  const ok = r.status === 0;
  if (!ok) failed++;
  summary.push(`  ${name}: ${ok ? 'ran' : `exited with ${r.status ?? r.signal}`} (${s} s)`);
}
console.log(`\n=== summary\n${summary.join('\n')}`);
process.exitCode = failed > 0 ? 1 : 0;
