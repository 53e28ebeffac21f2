/**
 * Dossier submissions over HTTP at 64 concurrent clients, on a PostgreSQL server and
 * on PGlite, with this machine's own pgbench figure from the same run for the ratio.
 * Each request is a full birth-registration submission (token check, eForm
 * validation, code allocation, one transaction with the dossier, history, audit, outbox).
 * Run: node_modules/.bin/node bench/submissions.bench.ts [--seconds 15] [--pg-url postgres://postgres@127.0.0.1:5432/postgres]
 */
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import pg from 'pg';
import { issueSandboxToken } from '../src/modules/identity/issue-sandbox-token.ts';
import { TINY_PDF } from '../test/support/app.ts';
import { fmt, machineCpuMs, postgresCpuMs, processCpuMs, startServer, type RunningServer } from './support.ts';

const { values } = parseArgs({
  options: {
    seconds: { type: 'string', default: '15' },
    'pg-url': { type: 'string', default: 'postgres://postgres@127.0.0.1:5432/postgres' },
    connections: { type: 'string', default: '64' },
    /** The server's database pool (MOTCUA_DB_POOL). */
    pool: { type: 'string', default: '32' },
    'skip-pglite': { type: 'boolean', default: false },
    /** Writes a CPU profile of each server process into this folder. */
    'cpu-prof': { type: 'string' },
  },
});
const seconds = Number(values.seconds);
const connections = Number(values.connections);
const adminUrl = values['pg-url']!;

const example = JSON.parse(readFileSync('src/modules/catalogue/demo/examples/1.001193.json', 'utf8')) as Record<string, unknown>;

async function uploadAttachment(server: RunningServer, token: string): Promise<string> {
  const fd = new FormData();
  fd.append('file', new Blob([new Uint8Array(TINY_PDF)], { type: 'application/pdf' }), 'giay-chung-sinh.pdf');
  const r = await fetch(`${server.url}/api/v1/files`, { method: 'POST', headers: { authorization: `Bearer ${token}` }, body: fd });
  if (!r.ok) throw new Error(`upload failed: ${r.status} ${await r.text()}`);
  return ((await r.json()) as { id: string }).id;
}

/** The example form with its placeholder file ids replaced by a file this citizen uploaded. */
function formFor(fileId: string): unknown {
  return JSON.parse(JSON.stringify(example).replace(/[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}/g, fileId));
}

interface RunResult {
  rps: number;
  p50: number;
  p99: number;
  errors: number;
  non2xx: number;
}

async function run(server: RunningServer, label: string, opts: { postgres?: boolean } = {}): Promise<RunResult> {
  const accounts = ['citizen1', 'citizen2', 'citizen3'];
  const bodies: string[] = [];
  const tokens: string[] = [];
  for (const a of accounts) {
    const t = (await issueSandboxToken(server.url, a)).accessToken;
    tokens.push(t);
    // Procedure 1.001193 is received at several agencies: the applicant names one.
    bodies.push(JSON.stringify({ procedureCode: '1.001193', agencyCode: '000.00.04.H12', form: formFor(await uploadAttachment(server, t)) }));
  }
  // Warm up: JIT, connection pool, caches.
  await autocannon({ url: `${server.url}/healthz`, connections: 8, duration: 1 });
  let n = 0;
  const refusals = new Map<string, number>();
  const cpu0 = { server: processCpuMs(server.proc.pid!), postgres: opts.postgres ? postgresCpuMs() : undefined, machine: machineCpuMs(), self: process.cpuUsage() };
  const result = await autocannon({
    url: `${server.url}/api/v1/dossiers`,
    connections,
    duration: seconds,
    method: 'POST',
    requests: [
      {
        setupRequest: (req) => {
          const i = n++ % accounts.length;
          return { ...req, headers: { 'content-type': 'application/json', authorization: `Bearer ${tokens[i]}`, 'idempotency-key': `bench-${process.pid}-${n}` }, body: bodies[i] };
        },
        onResponse: (status, body) => {
          if (status >= 200 && status < 300) return;
          const key = `${status} ${body.slice(0, 160)}`;
          refusals.set(key, (refusals.get(key) ?? 0) + 1);
        },
      },
    ],
  });
  const cpu1 = { server: processCpuMs(server.proc.pid!), postgres: opts.postgres ? postgresCpuMs() : undefined, machine: machineCpuMs(), self: process.cpuUsage(cpu0.self) };
  const out = { rps: result.requests.average, p50: result.latency.p50, p99: result.latency.p99, errors: result.errors, non2xx: result.non2xx };
  const done = result.requests.total;
  console.log(`${label}: ${fmt(out.rps)} submissions/s at ${connections} clients, latency p50 ${out.p50} ms, p99 ${out.p99} ms, ${out.non2xx} non-2xx, ${out.errors} errors (${seconds} s, ${fmt(done)} submitted)`);
  const parts: string[] = [];
  if (cpu0.server !== undefined && cpu1.server !== undefined) parts.push(`Motcua ${fmt((cpu1.server - cpu0.server) / done, 2)} ms`);
  if (cpu0.postgres !== undefined && cpu1.postgres !== undefined) parts.push(`PostgreSQL ${fmt((cpu1.postgres - cpu0.postgres) / done, 2)} ms`);
  parts.push(`load generator ${fmt((cpu1.self.user + cpu1.self.system) / 1000 / done, 2)} ms`);
  const idle = cpu0.machine && cpu1.machine ? (100 * (cpu1.machine.idle - cpu0.machine.idle)) / (cpu1.machine.idle - cpu0.machine.idle + cpu1.machine.busy - cpu0.machine.busy) : undefined;
  console.log(`  CPU per submission: ${parts.join(', ')}${idle !== undefined ? `; machine idle ${fmt(idle)}%` : ''}`);
  for (const [k, v] of refusals) console.log(`  non-2xx: ${v} × ${k}`);
  return out;
}

function pgbench(url: string, db: string): number {
  const u = new URL(url);
  const args = ['-h', u.hostname, '-p', u.port || '5432', '-U', u.username || 'postgres'];
  execFileSync('pgbench', [...args, '-i', '-q', '-s', '10', db], { stdio: 'ignore' });
  const out = execFileSync('pgbench', [...args, '-c', String(connections), '-j', '2', '-T', String(seconds), '-n', db], { encoding: 'utf8' });
  const m = /tps = ([\d.]+)/.exec(out);
  if (!m) throw new Error(`could not read pgbench output:\n${out}`);
  return Number(m[1]);
}

async function withDatabase<T>(fn: (url: string, name: string) => Promise<T>): Promise<T> {
  const name = `motcua_bench_${randomBytes(5).toString('hex')}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  try {
    const u = new URL(adminUrl);
    u.pathname = `/${name}`;
    return await fn(u.toString(), name);
  } finally {
    await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await admin.end();
  }
}

console.log(`Motcua submission benchmark — ${new Date().toISOString()}, Node ${process.version}`);
const profile = (name: string) => (values['cpu-prof'] ? { nodeArgs: ['--cpu-prof', `--cpu-prof-dir=${values['cpu-prof']}`, `--cpu-prof-name=${name}.cpuprofile`] } : {});
const pgResult = await withDatabase(async (url) => {
  const server = await startServer({ DATABASE_URL: url, MOTCUA_DB_POOL: values.pool! }, profile('postgresql'));
  try {
    return await run(server, 'PostgreSQL', { postgres: true });
  } finally {
    await server.stop();
  }
});
const tps = await withDatabase(async (_url, name) => pgbench(adminUrl, name));
console.log(`pgbench (TPC-B-like, scale 10, ${connections} clients, 2 threads, ${seconds} s) on the same server: ${fmt(tps)} tps`);
const ratio = pgResult.rps / tps;
console.log(`ratio submissions/s ÷ pgbench tps: ${fmt(ratio, 2)} (aim: at least 0.5) — ${ratio >= 0.5 ? 'met' : 'NOT met'}`);
console.log(`goal on PostgreSQL: at least 1,000 submissions/s — ${pgResult.rps >= 1000 ? 'met' : 'NOT met'}; p99 at most 100 ms — ${pgResult.p99 <= 100 ? 'met' : 'NOT met'}; no non-2xx — ${pgResult.non2xx === 0 && pgResult.errors === 0 ? 'met' : 'NOT met'}`);
if (!values['skip-pglite']) {
  const server = await startServer({}, profile('pglite'));
  try {
    await run(server, 'PGlite');
  } finally {
    await server.stop();
  }
}
