/**
 * From the start command to a healthy /healthz on PGlite (goal: at most 3 s), as
 * `npm start` runs it (demo data, sandbox identity provider): a first start on an
 * empty data folder (the database made from the PGlite template, migrated, the demo
 * loaded) and a restart on that folder. Several rounds: the median, and the fastest
 * and slowest, since the machine is shared.
 * Then, in this process, what the template saves: PGlite's initdb on an empty folder
 * against extracting the template and opening it, in the same run.
 * Run: node_modules/.bin/node bench/startup.bench.ts [--rounds 5]
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { PGlite } from '@electric-sql/pglite';
import { extractTemplate, readTemplate, templateFile } from '../src/db/pglite-template.ts';
import { fmt, machineCpuMs, median, startServer } from './support.ts';

const { values } = parseArgs({ options: { rounds: { type: 'string', default: '5' } } });
const rounds = Number(values.rounds);
const GOAL_MS = 3000;

const hasTemplate = (await readTemplate()) !== undefined;
if (!hasTemplate) console.log(`note: no PGlite template at ${templateFile()} (npm install makes it); the first round's first start makes it`);

const first: number[] = [];
const restart: number[] = [];
const m0 = machineCpuMs();
for (let i = 0; i < rounds; i++) {
  const dir = await mkdtemp(join(tmpdir(), 'motcua-startup-'));
  try {
    const a = await startServer({ MOTCUA_DATA_DIR: dir });
    await a.stop();
    first.push(a.startMs);
    const b = await startServer({ MOTCUA_DATA_DIR: dir });
    await b.stop();
    restart.push(b.startMs);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
const m1 = machineCpuMs();
const line = (xs: number[]) => `median ${fmt(median(xs))} ms (fastest ${fmt(Math.min(...xs))}, slowest ${fmt(Math.max(...xs))})`;
console.log(`startup to healthy /healthz on PGlite, ${rounds} rounds (goal: at most ${fmt(GOAL_MS)} ms):`);
console.log(`  first start (empty data folder): ${line(first)} — ${median(first) <= GOAL_MS ? 'met' : 'NOT met'}`);
console.log(`  restart (existing data folder):  ${line(restart)} — ${median(restart) <= GOAL_MS ? 'met' : 'NOT met'}`);
if (m0 && m1) console.log(`  machine idle during the rounds: ${fmt((100 * (m1.idle - m0.idle)) / (m1.idle - m0.idle + m1.busy - m0.busy))}% (of 2 cores; the rest was this benchmark and anything else running)`);

// What the template saves, in this process: PGlite's own initdb against the template.
const template = await readTemplate();
const dir = await mkdtemp(join(tmpdir(), 'motcua-startup-'));
try {
  let t = performance.now();
  const fresh = await PGlite.create({ dataDir: join(dir, 'initdb') });
  await fresh.query('SELECT 1');
  const initdbMs = performance.now() - t;
  await fresh.close();
  if (template) {
    t = performance.now();
    await extractTemplate(template, join(dir, 'copy'));
    const extractMs = performance.now() - t;
    const copy = await PGlite.create({ dataDir: join(dir, 'copy') });
    await copy.query('SELECT 1');
    const copyMs = performance.now() - t;
    await copy.close();
    console.log(`  a new PGlite database: initdb ${fmt(initdbMs)} ms; from the template ${fmt(copyMs)} ms (extract ${fmt(extractMs)} + open ${fmt(copyMs - extractMs)}), ${fmt(initdbMs / copyMs, 1)}× faster`);
  } else {
    console.log(`  a new PGlite database: initdb ${fmt(initdbMs)} ms (no template to compare)`);
  }
} finally {
  await rm(dir, { recursive: true, force: true });
}
