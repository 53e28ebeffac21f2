/**
 * What the authorization decision adds to a request, without I/O: the route's policy
 * from its config, the caller's roles from their organisation standing (token roles
 * dropped, unit roles added), the route decision, and for a dossier request the
 * visibility check and the workflow actor. Median over batches; goal ≤ 50 µs.
 * Then the whole per-request step as the auth hook runs it on the embedded database
 * (PGlite): a citizen (remembered as "not staff": no query), a staff member remembered
 * (PGlite's default) and one read every time (one query).
 * On PostgreSQL the staff query is timed by bench/queue.bench.ts.
 * Run: node_modules/.bin/node bench/authz.bench.ts [--batches 200] [--batch 2000]
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { connectDatabase } from '../src/db/connect.ts';
import { migrate } from '../src/db/migrate.ts';
import { createAccessResolver } from '../src/modules/authorization/resolver.ts';
import { callerFrom } from '../src/modules/authorization/caller.ts';
import { actorFor, canSeeDossier, visibleDossierBranches } from '../src/modules/authorization/dossier-access.ts';
import { compilePolicy, decideRoute, policy, policyOf } from '../src/modules/authorization/policy.ts';
import { fmt, median } from './support.ts';

const { values } = parseArgs({ options: { batches: { type: 'string', default: '200' }, batch: { type: 'string', default: '2000' } } });
const batches = Number(values.batches);
const perBatch = Number(values.batch);

// Route configs as the routes declare them (the same objects on every request).
const configs = [
  { policy: policy.roles(['applicant', 'officer'], { kind: 'dossier', param: 'code' }) },
  { policy: policy.roles(['administrator']) },
  { policy: policy.public() },
  { roles: ['admin'] as readonly string[] },
  { auth: 'public' as const },
];
const tokens = [
  { sub: 'officer-1', roles: ['leader'], agencyCode: 'X' },
  { sub: 'citizen-1', roles: ['citizen'], personalId: '004085012345' },
  { sub: 'business-1', roles: ['business'], taxCode: '4800206198' },
];
const standings = [
  { staffActive: true, roles: [{ unitCode: '000.00.04.H12', role: 'leader' }, { unitCode: '000.00.04.H12', role: 'specialist' }, { unitCode: '000.00.05.H12', role: 'reception', delegatedBy: 'x' }] },
  { staffActive: null, roles: [] },
  { staffActive: null, roles: [] },
];
const dossier = { applicantSub: 'citizen-1', applicantTaxCode: null, agencyCode: '000.00.04.H12', currentAgencyCode: '000.00.04.H12' };

let sink = 0;
function oneRequest(i: number): void {
  const cfg = configs[i % configs.length]!;
  const k = i % tokens.length;
  const caller = callerFrom(tokens[k]!, standings[k]!);
  if (caller === 'removed') return;
  const d = decideRoute(compilePolicy(policyOf(cfg)!), caller);
  if (d.ok && i % configs.length === 0) {
    if (canSeeDossier(caller, dossier)) sink += actorFor(caller, dossier).roles.length;
    sink += visibleDossierBranches(caller).length;
  }
  sink += d.ok ? 1 : 0;
}

// Warm up (JIT), then time batches.
for (let i = 0; i < 50_000; i++) oneRequest(i);
const perCallUs: number[] = [];
for (let b = 0; b < batches; b++) {
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < perBatch; i++) oneRequest(b * perBatch + i);
  perCallUs.push(Number(process.hrtime.bigint() - t0) / 1000 / perBatch);
}
perCallUs.sort((a, b) => a - b);
const p50 = median(perCallUs);
const p95 = perCallUs[Math.floor(perCallUs.length * 0.95)]!;
console.log(`authorization decision (policy + caller's roles + route decision + dossier visibility and actor), ${fmt(batches)} batches of ${fmt(perBatch)}:`);
console.log(`  median ${fmt(p50, 2)} µs per request, p95 of batches ${fmt(p95, 2)} µs — goal ≤ 50 µs at the median: ${p50 <= 50 ? 'met' : 'NOT met'}`);

// The hook's whole step on PGlite: read the standing (or not, for a remembered citizen), then decide.
const dir = await mkdtemp(join(tmpdir(), 'motcua-authz-bench-'));
const db = await connectDatabase({ dataDir: dir });
try {
  await migrate(db);
  await db.query(`INSERT INTO agencies (code, name, level) VALUES ('000.00.04.H12', 'Xã', 'commune')`);
  await db.query(`INSERT INTO staff (sub, name) SELECT 'staff-' || i, 'Cán bộ ' || i FROM generate_series(0, 999) i`);
  await db.query(
    `INSERT INTO role_grants (id, sub, unit_code, role, valid_from, granted_by, granted_at)
     SELECT md5('g' || i)::uuid, 'staff-' || i, '000.00.04.H12', (ARRAY['reception','specialist','leader'])[1 + i % 3], now() - interval '1 day', 'bench', now() FROM generate_series(0, 999) i`,
  );
  const remembering = createAccessResolver({ db });
  const reading = createAccessResolver({ db, positiveTtlMs: 0 });
  const officerRoute = compilePolicy(policy.roles(['applicant', 'officer']));
  const runs = [
    ['citizen (remembered as not staff: no query)', remembering, 'citizen-1', ['citizen']],
    ['staff member, remembered (PGlite default)', remembering, 'staff-7', []],
    ['staff member, read every time (one query)', reading, 'staff-8', []],
  ] as const;
  for (const [label, resolver, sub, roles] of runs) {
    const step = async (): Promise<void> => {
      const c = await resolver.resolve({ sub, roles: [...roles] });
      if (c === 'removed' || !decideRoute(officerRoute, c).ok) throw new Error(`refused ${sub}`);
    };
    for (let i = 0; i < 200; i++) await step();
    const us: number[] = [];
    for (let i = 0; i < 2000; i++) {
      const t0 = process.hrtime.bigint();
      await step();
      us.push(Number(process.hrtime.bigint() - t0) / 1000);
    }
    us.sort((a, b) => a - b);
    console.log(`  whole step on PGlite, ${label}: median ${fmt(median(us), 1)} µs, p95 ${fmt(us[Math.floor(us.length * 0.95)]!, 1)} µs`);
  }
} finally {
  await db.close();
  await rm(dir, { recursive: true, force: true });
}
if (sink === -1) console.log(sink);
