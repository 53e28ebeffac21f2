/**
 * The audit + outbox write path on a PostgreSQL server at 64 concurrent clients: each
 * transaction appends two audit entries and enqueues one outbox event (what a dossier
 * submission adds), while the sealer runs every 200 ms. For comparison, the same with
 * one global lock taken in every transaction and held to commit, which is what chaining
 * at insert time would need. Then sealing lag and verification speed.
 * Run: node_modules/.bin/node bench/audit.bench.ts [--seconds 10] [--pg-url postgres://postgres@127.0.0.1:5432/postgres]
 */
import { randomBytes } from 'node:crypto';
import { parseArgs } from 'node:util';
import pg from 'pg';
import type { Database } from '../src/db/database.ts';
import { migrate } from '../src/db/migrate.ts';
import { openPostgres } from '../src/db/postgres.ts';
import { appendAudit, sealAuditLog, startAuditSealer, verifyAuditLog } from '../src/modules/audit/audit.ts';
import { enqueue } from '../src/modules/outbox/outbox.ts';
import { fmt } from './support.ts';

const { values } = parseArgs({
  options: {
    seconds: { type: 'string', default: '10' },
    clients: { type: 'string', default: '64' },
    'pg-url': { type: 'string', default: 'postgres://postgres@127.0.0.1:5432/postgres' },
  },
});
const seconds = Number(values.seconds);
const clients = Number(values.clients);
const adminUrl = values['pg-url'] as string;

async function withTempDatabase<T>(fn: (db: Database) => Promise<T>): Promise<T> {
  const name = `motcua_bench_${randomBytes(5).toString('hex')}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  const db = await openPostgres(url.toString(), { max: clients + 4 });
  try {
    await migrate(db);
    return await fn(db);
  } finally {
    await db.close();
    await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await admin.end();
  }
}

async function run(db: Database, globalLock: boolean): Promise<{ tps: number; p99: number }> {
  const deadline = performance.now() + seconds * 1000;
  const latencies: number[] = [];
  let n = 0;
  await Promise.all(
    Array.from({ length: clients }, async (_, c) => {
      while (performance.now() < deadline) {
        const t0 = performance.now();
        const code = `H12.22-${c}-${n++}`;
        await db.transaction(async (tx) => {
          if (globalLock) await tx.query('SELECT pg_advisory_xact_lock(42)');
          const at = new Date();
          const after = { status: 'received', code, form: { child: { name: 'Nguyễn Văn B', dob: '2026-02-01' }, parent: 'Nguyễn Văn A' } };
          await appendAudit(tx, { actorSub: `citizen-${c}`, actorRoles: ['citizen'], action: 'dossier.submit', entityType: 'dossier', entityId: code, before: null, after, at, requestId: code });
          await appendAudit(tx, { actorSub: 'system', actorRoles: ['system'], action: 'dossier.assign', entityType: 'dossier', entityId: code, before: after, after: { ...after, assignee: 'officer-1' }, at });
          await enqueue(tx, [{ topic: 'dossier.submitted', key: code, payload: { code, at: at.toISOString() } }]);
        });
        latencies.push(performance.now() - t0);
      }
    }),
  );
  latencies.sort((a, b) => a - b);
  return { tps: latencies.length / seconds, p99: latencies[Math.floor(latencies.length * 0.99)] ?? 0 };
}

await withTempDatabase(async (db) => {
  const sealer = startAuditSealer(db, { intervalMs: 200, batchSize: 5000 });
  const plain = await run(db, false);
  await sealer.stop();
  const lag = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM audit_log WHERE chain_pos IS NULL');
  const t0 = performance.now();
  const rest = await sealAuditLog(db, { batchSize: 5000 });
  const sealMs = performance.now() - t0;
  const t1 = performance.now();
  const v = await verifyAuditLog(db, { seal: false, pageSize: 5000 });
  const verifyMs = performance.now() - t1;
  console.log(
    `audit+outbox append, ${clients} clients, ${seconds}s, PostgreSQL, sealer every 200 ms: ${fmt(plain.tps)} tx/s (${fmt(plain.tps * 2)} audit entries/s), p99 ${fmt(plain.p99)} ms`,
  );
  console.log(`  unsealed when the load stopped: ${lag.rows[0]?.n} entries, sealed then in ${fmt(sealMs)} ms (${rest.sealed})`);
  console.log(`  verify: ${v.checked} entries in ${fmt(verifyMs)} ms (${fmt((v.checked / verifyMs) * 1000)} entries/s), ok=${v.ok}`);
});

await withTempDatabase(async (db) => {
  const locked = await run(db, true);
  console.log(`same with one global lock held to commit (chaining at insert): ${fmt(locked.tps)} tx/s, p99 ${fmt(locked.p99)} ms`);
});
