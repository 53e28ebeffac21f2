/**
 * The whole national export in ../shared/data (1,856 procedures of five
 * ministries): every line gives an entry or a problem with its line number,
 * and the goals of issue 3 hold (≥ 95 % of procedures with their deadline,
 * channels and documents read). Nothing in the file is skipped; the test itself is
 * reported as skipped only when the shared data is not beside the checkout (CI has it).
 */
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { parseNationalFile } from './national.ts';
import { formatRateReport, parseRateReport } from './report.ts';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../../../..');
const file = join(repoRoot, '..', 'shared', 'data', 'procedures', 'procedures.jsonl');

test('the national export: every line accounted for, ≥ 95 % of deadlines, channels and documents read', { skip: !existsSync(file) && 'the shared catalogue (../shared/data) is not beside this checkout' }, () => {
  const text = readFileSync(file, 'utf8');
  const lineCount = text.split('\n').filter((_, i, all) => i < all.length - 1 || all[i] !== '').length;
  const results = parseNationalFile(text);
  assert.equal(results.length, lineCount);
  assert.ok(lineCount >= 1800, `expected the full export, got ${lineCount} lines`);
  results.forEach((r, i) => {
    assert.equal(r.line, i + 1);
    if (r.ok) {
      assert.ok(r.entry.code && r.entry.name);
      for (const p of r.problems) {
        assert.equal(p.line, i + 1);
        assert.equal(p.code, r.entry.code);
        assert.ok(p.message.vi && p.message.en);
      }
    } else {
      assert.equal(r.problem.line, i + 1);
    }
  });
  const report = parseRateReport(results);
  console.log(formatRateReport(report));
  for (const part of ['time', 'channels', 'documents'] as const) {
    assert.ok(report.parts[part].percent >= 95, `${part}: ${report.parts[part].percent} % < 95 %`);
  }
  // Every ministry of the export is read, not only the largest.
  const bySource = new Map<string, { n: number; time: number; docs: number }>();
  for (const r of results) {
    if (!r.ok) continue;
    const s = bySource.get(r.entry.source) ?? { n: 0, time: 0, docs: 0 };
    s.n++;
    if (r.entry.processingTime) s.time++;
    if (r.entry.documents.length > 0) s.docs++;
    bySource.set(r.entry.source, s);
  }
  assert.ok(bySource.size >= 5);
  for (const [source, s] of bySource) {
    assert.ok(s.time / s.n >= 0.9 && s.docs / s.n >= 0.9, `${source}: ${s.time}/${s.n} deadlines, ${s.docs}/${s.n} with documents`);
  }
});
