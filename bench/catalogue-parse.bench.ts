/**
 * Parsing the national procedure catalogue export (../shared/data/procedures/procedures.jsonl,
 * 1,856 procedures): the parse rate of each part, the time taken for the whole
 * file (median of 5 runs after a warm-up), and the slowest lines.
 * Run: node_modules/.bin/node bench/catalogue-parse.bench.ts [path/to/export.jsonl]
 */
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseNationalFile, parseNationalLine } from '../src/modules/catalogue/import/national.ts';
import { formatRateReport, parseRateReport } from '../src/modules/catalogue/import/report.ts';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const file = process.argv[2] ?? join(root, '..', 'shared', 'data', 'procedures', 'procedures.jsonl');
const text = readFileSync(file, 'utf8');
const mib = Buffer.byteLength(text) / 1024 / 1024;

let t = performance.now();
const results = parseNationalFile(text);
const cold = performance.now() - t;
const runs: number[] = [];
for (let i = 0; i < 5; i++) {
  t = performance.now();
  parseNationalFile(text);
  runs.push(performance.now() - t);
}
runs.sort((a, b) => a - b);
const median = runs[2] ?? 0;

console.log(`file: ${file} (${mib.toFixed(1)} MiB, ${results.length} lines)`);
console.log(formatRateReport(parseRateReport(results)));
console.log(
  `time: first run ${cold.toFixed(0)} ms; median of 5 warm runs ${median.toFixed(0)} ms (${((results.length / median) * 1000).toFixed(0)} lines/s, ${(mib / (median / 1000)).toFixed(1)} MiB/s)`,
);

const lines = text.split('\n');
const slow = lines
  .map((l, i) => {
    const s = performance.now();
    parseNationalLine(l, i + 1);
    return { line: i + 1, ms: performance.now() - s, chars: l.length };
  })
  .sort((a, b) => b.ms - a.ms)
  .slice(0, 3);
console.log(`slowest lines: ${slow.map((s) => `#${s.line} ${s.ms.toFixed(1)} ms (${s.chars} chars)`).join(', ')}`);
