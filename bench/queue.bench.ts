/**
 * An officer's queue over 1,000,000 dossiers on PostgreSQL: the dossiers of a province
 * (about 200 units, the one-stop centre holding a fifth of them, 2% transferred) are
 * loaded with INSERT … SELECT over generate_series, then the API's own list use case
 * (DossierService.list, first page of 50, access rule inside the query) is timed for an
 * officer of a commune and of the one-stop centre, with and without a status filter,
 * plus the next page and an applicant's own list; and the per-request read of the
 * caller's roles (organisationStanding). Goal: p95 ≤ 50 ms. The database is dropped at the end.
 * Run: node_modules/.bin/node bench/queue.bench.ts [--dossiers 1000000] [--runs 300] [--pg-url postgres://postgres@127.0.0.1:5432/postgres]
 * (DATABASE_URL, when set, names the server; a fresh database is made on it.)
 */
import { randomBytes } from 'node:crypto';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { migrate } from '../src/db/migrate.ts';
import { openPostgres } from '../src/db/postgres.ts';
import type { Database } from '../src/db/database.ts';
import { vietnamCalendar } from '../src/modules/calendar/working-days.ts';
import { createDossierService } from '../src/modules/dossiers/service.ts';
import { createAccessResolver } from '../src/modules/authorization/resolver.ts';
import { organisationStanding } from '../src/modules/organisation/store.ts';
import { fmt } from './support.ts';

const { values } = parseArgs({
  options: {
    dossiers: { type: 'string', default: '1000000' },
    runs: { type: 'string', default: '300' },
    'pg-url': { type: 'string', default: process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres' },
  },
});
const total = Number(values.dossiers);
const runs = Number(values.runs);
const adminUrl = values['pg-url'] as string;

const SUFFIX = 'H99';
const CENTRE = `000.00.01.${SUFFIX}`;
const COMMUNES = 190;
const STATUSES = ['submitted', 'received', 'assigned', 'processing', 'awaiting_approval', 'approved', 'returned', 'returned', 'returned', 'returned'];

async function load(db: Database): Promise<void> {
  await db.query(`INSERT INTO agencies (code, name, level) VALUES ($1, 'Ủy ban nhân dân tỉnh (bench)', 'province')`, [`000.00.00.${SUFFIX}`]);
  await db.query(`INSERT INTO agencies (code, name, level, parent_code) VALUES ($1, 'Trung tâm Phục vụ hành chính công (bench)', 'province', $2)`, [CENTRE, `000.00.00.${SUFFIX}`]);
  await db.query(
    `INSERT INTO agencies (code, name, level, parent_code) SELECT '000.00.' || (100 + i) || '.${SUFFIX}', 'Ủy ban nhân dân xã ' || i, 'commune', $1 FROM generate_series(0, $2 - 1) i`,
    [`000.00.00.${SUFFIX}`, COMMUNES],
  );
  await db.query(
    `INSERT INTO procedures (code, version, is_current, name, field, level, online_level, legal_processing_days, workflow_id, workflow_version, data)
     VALUES ('9.999999', 1, true, 'Thủ tục (bench)', 'Hộ tịch', 'commune', 'full', 5, 'one-stop', 1, '{}')`,
  );
  // Units by weight: the one-stop centre a fifth of all dossiers, the communes the rest evenly.
  const batch = 100_000;
  const t0 = performance.now();
  for (let start = 0; start < total; start += batch) {
    const end = Math.min(total, start + batch) - 1;
    await db.query(
      `INSERT INTO dossiers (id, code, procedure_code, procedure_version, workflow_id, workflow_version, agency_code, current_agency_code,
         applicant_sub, applicant, form, status, assignee_sub, submitted_at, received_at, due_at, snapshot, revision)
       SELECT md5('d' || i)::uuid, 'B' || lpad(i::text, 8, '0'), '9.999999', 1, 'one-stop', 1, a.agency,
              CASE WHEN i % 50 = 7 THEN '000.00.' || (100 + (i / 50) % $3) || '.${SUFFIX}' ELSE a.agency END,
              'citizen-' || (i % 250000),
              CASE WHEN i % 100 = 3 THEN jsonb_build_object('type', 'business', 'taxCode', '48' || lpad((i % 5000)::text, 8, '0'), 'name', 'Công ty ' || (i % 5000))
                   ELSE jsonb_build_object('type', 'citizen', 'name', 'Nguyễn Văn ' || (i % 250000), 'personalId', '004' || lpad((i % 250000)::text, 9, '0')) END,
              jsonb_build_object('child', jsonb_build_object('fullName', 'Nguyễn Thị ' || i, 'dateOfBirth', '2026-01-01', 'placeOfBirth', 'Bệnh viện đa khoa tỉnh'), 'note', repeat('x', 120)),
              (ARRAY[${STATUSES.map((s) => `'${s}'`).join(',')}])[1 + (hashint4(i) & 65535) % ${STATUSES.length}],
              NULL,
              timestamptz '2024-11-01' + (i * interval '63 seconds'),
              NULL, NULL,
              jsonb_build_object('status', 'submitted', 'transfers', '[]'::jsonb, 'supplementRequests', '[]'::jsonb, 'pad', repeat('s', 300)),
              1
         FROM generate_series($1::int, $2::int) i,
              LATERAL (SELECT CASE WHEN i % 5 = 0 THEN '${CENTRE}' ELSE '000.00.' || (100 + (i * 13) % $3) || '.${SUFFIX}' END AS agency) a`,
      [start, end, COMMUNES],
    );
    process.stdout.write(`\r  loaded ${fmt(end + 1)} dossiers (${fmt((performance.now() - t0) / 1000, 1)} s)`);
  }
  process.stdout.write('\n');
  await db.query('ANALYZE dossiers');
  await db.query('ANALYZE agencies');
  // Officers (with a few thousand other staff and grants around them).
  await db.query(`INSERT INTO staff (sub, name) SELECT 'staff-' || i, 'Cán bộ ' || i FROM generate_series(0, 3999) i`);
  await db.query(
    `INSERT INTO role_grants (id, sub, unit_code, role, valid_from, granted_by, granted_at)
     SELECT md5('g' || i)::uuid, 'staff-' || i, CASE WHEN i % 20 = 0 THEN '${CENTRE}' ELSE '000.00.' || (100 + i % $1) || '.${SUFFIX}' END,
            (ARRAY['reception','specialist','leader'])[1 + i % 3], timestamptz '2024-01-01', 'bench', now()
       FROM generate_series(0, 3999) i`,
    [COMMUNES],
  );
  await db.query('ANALYZE staff');
  await db.query('ANALYZE role_grants');
  console.log(`  load: ${fmt(total)} dossiers in ${fmt((performance.now() - t0) / 1000, 1)} s`);
}

function stats(ms: number[]): { p50: number; p95: number; p99: number } {
  const s = [...ms].sort((a, b) => a - b);
  const at = (q: number): number => s[Math.min(s.length - 1, Math.floor(s.length * q))]!;
  return { p50: at(0.5), p95: at(0.95), p99: at(0.99) };
}

async function time(label: string, fn: () => Promise<unknown>): Promise<number> {
  for (let i = 0; i < 10; i++) await fn();
  const ms: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    await fn();
    ms.push(performance.now() - t0);
  }
  const s = stats(ms);
  console.log(`  ${label.padEnd(64)} p50 ${fmt(s.p50, 2).padStart(6)} ms   p95 ${fmt(s.p95, 2).padStart(6)} ms   p99 ${fmt(s.p99, 2).padStart(6)} ms`);
  return s.p95;
}

const name = `motcua_bench_queue_${randomBytes(4).toString('hex')}`;
const admin = new pg.Client({ connectionString: adminUrl });
await admin.connect();
await admin.query(`CREATE DATABASE ${name}`);
const url = new URL(adminUrl);
url.pathname = `/${name}`;
const db = await openPostgres(url.toString(), { max: 4 });
try {
  await migrate(db);
  console.log(`queue over ${fmt(total)} dossiers on PostgreSQL (${(await db.query<{ v: string }>("SELECT current_setting('server_version') AS v")).rows[0]!.v}), database ${name}`);
  await load(db);
  const dossiers = createDossierService({ db, calendar: vietnamCalendar() });
  const access = createAccessResolver({ db });
  const who = async (sub: string, roles: string[] = []) => {
    const p = await access.resolve({ sub, roles });
    if (p === 'removed') throw new Error('removed');
    return p;
  };
  const communeOfficer = await who('staff-1'); // specialist of a commune
  const centreOfficer = await who('staff-20'); // leader at the one-stop centre (a fifth of all dossiers)
  const citizen = await who('citizen-4242', ['citizen']);
  const counts = await db.query<{ unit: string; n: number }>(
    `SELECT current_agency_code AS unit, count(*)::int AS n FROM dossiers WHERE current_agency_code = ANY($1::text[]) GROUP BY 1`,
    [[communeOfficer.agencyCode, centreOfficer.agencyCode]],
  );
  console.log(`  units: ${counts.rows.map((r) => `${r.unit} holds ${fmt(r.n)}`).join(', ')}`);
  const firstPage = await dossiers.list(communeOfficer, { limit: 50 });
  if (firstPage.items.length !== 50 || firstPage.nextCursor === null) throw new Error('the commune officer should see a full first page');
  const worst: number[] = [];
  console.log(`  ${runs} runs each, first page of 50 unless said:`);
  worst.push(await time('commune officer: queue', () => dossiers.list(communeOfficer, { limit: 50 })));
  worst.push(await time('commune officer: queue, status=received', () => dossiers.list(communeOfficer, { status: 'received', limit: 50 })));
  worst.push(await time('commune officer: second page (cursor)', () => dossiers.list(communeOfficer, { limit: 50, cursor: firstPage.nextCursor! })));
  worst.push(await time('one-stop centre officer: queue (~200,000 dossiers)', () => dossiers.list(centreOfficer, { limit: 50 })));
  worst.push(await time('one-stop centre officer: status=awaiting_approval', () => dossiers.list(centreOfficer, { status: 'awaiting_approval', limit: 50 })));
  worst.push(await time('one-stop centre officer: a status no dossier has (worst case)', () => dossiers.list(centreOfficer, { status: 'cancelled', limit: 50 })));
  worst.push(await time('citizen: own dossiers', () => dossiers.list(citizen, { limit: 50 })));
  await time("caller's roles read per request (organisationStanding)", () => organisationStanding(db, 'staff-1', new Date()));
  const p95 = Math.max(...worst);
  console.log(`  worst p95 of the queue requests ${fmt(p95, 2)} ms — goal ≤ 50 ms: ${p95 <= 50 ? 'met' : 'NOT met'}`);
  const plan = await db.query<{ 'QUERY PLAN': string }>(
    `EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF, SUMMARY ON)
     SELECT d.id FROM (SELECT id, submitted_at FROM ((SELECT d.id, d.submitted_at FROM dossiers d WHERE d.current_agency_code = $1 ORDER BY d.submitted_at DESC, d.id DESC LIMIT 51)
       UNION (SELECT d.id, d.submitted_at FROM dossiers d WHERE d.agency_code = $1 AND d.agency_code <> d.current_agency_code ORDER BY d.submitted_at DESC, d.id DESC LIMIT 51)) u ORDER BY submitted_at DESC, id DESC LIMIT 51) v JOIN dossiers d ON d.id = v.id`,
    [centreOfficer.agencyCode],
  );
  console.log('  plan of the one-stop centre queue:');
  for (const row of plan.rows) console.log(`    ${row['QUERY PLAN']}`);
} finally {
  await db.close();
  await admin.query(`DROP DATABASE IF EXISTS ${name}`);
  await admin.end();
  console.log(`  dropped ${name}`);
}
