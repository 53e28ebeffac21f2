/**
 * Search through the API, as a citizen's browser calls it, with the whole shared
 * national catalogue imported and offered, on PGlite and on PostgreSQL; and the time
 * `motcua catalogue import` takes for the shared file on each.
 * Run: node_modules/.bin/node bench/search-http.bench.ts [--rounds 10] [--pg-url postgres://postgres@127.0.0.1:5432/postgres]
 */
import { execFileSync } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { fmt, startServer } from './support.ts';

const { values } = parseArgs({ options: { rounds: { type: 'string', default: '10' }, 'pg-url': { type: 'string', default: 'postgres://postgres@127.0.0.1:5432/postgres' } } });
const rounds = Number(values.rounds);
const SHARED = fileURLToPath(new URL('../../shared/data/procedures/procedures.jsonl', import.meta.url));
const queries = (JSON.parse(await readFile(new URL('../src/modules/catalogue/search/relevance.json', import.meta.url), 'utf8')) as { queries: { q: string }[] }).queries.map((x) => x.q);

const pct = (sorted: number[], p: number): number => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;

async function run(label: string, env: Record<string, string>): Promise<void> {
  const t0 = performance.now();
  execFileSync(process.execPath, ['bin/motcua.js', 'catalogue', 'import', SHARED], { env: { ...process.env, MOTCUA_DEMO: '1', LOG_LEVEL: 'warn', ...env }, stdio: ['ignore', 'ignore', 'ignore'] });
  const importS = (performance.now() - t0) / 1000;
  const server = await startServer(env);
  try {
    const url = (q: string) => `${server.url}/api/v1/procedures?q=${encodeURIComponent(q)}&limit=20`;
    for (const q of queries) await (await fetch(url(q))).arrayBuffer(); // warm up: the index is built on the first search
    const times: number[] = [];
    let non200 = 0;
    for (let r = 0; r < rounds; r++) {
      for (const q of queries) {
        const s = performance.now();
        const res = await fetch(url(q));
        await res.arrayBuffer();
        times.push(performance.now() - s);
        if (res.status !== 200) non200++;
      }
    }
    times.sort((a, b) => a - b);
    console.log(
      `${label.padEnd(10)} import of the shared file (1,856 procedures, first time): ${fmt(importS, 1)} s | search over HTTP, ${times.length} queries one at a time: ` +
        `p50 ${fmt(pct(times, 50), 2)} ms, p99 ${fmt(pct(times, 99), 2)} ms, max ${fmt(times.at(-1)!, 1)} ms, non-200 ${non200}`,
    );
  } finally {
    await server.stop();
  }
}

const dir = await mkdtemp(join(tmpdir(), 'motcua-search-bench-'));
try {
  await run('PGlite', { MOTCUA_DATA_DIR: join(dir, 'pglite') });
  const name = `motcua_bench_search_${process.pid}`;
  const admin = new pg.Client({ connectionString: values['pg-url'] });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  try {
    const u = new URL(values['pg-url']!);
    u.pathname = `/${name}`;
    await run('PostgreSQL', { MOTCUA_DATA_DIR: join(dir, 'pg'), DATABASE_URL: u.toString() });
  } finally {
    await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await admin.end();
  }
} finally {
  await rm(dir, { recursive: true, force: true });
}
