/**
 * The `motcua` command as an operator runs it: the package's bin in a child process,
 * settings from the environment, exit codes that scripts can rely on.
 */
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { appendAudit, sealAuditLog } from '../src/modules/audit/audit.ts';
import { connectDatabase } from '../src/db/connect.ts';
import { DEMO_ACCOUNTS } from '../src/modules/identity/demo-accounts.ts';
import { startTestApp, type TestApp } from './support/app.ts';
import { motcua } from './support/cli.ts';

describe('motcua token', () => {
  let app: TestApp;
  before(async () => {
    app = await startTestApp();
  });
  after(async () => {
    await app?.close();
  });

  it('--list --json gives every demo account with its roles', async () => {
    const r = await motcua(['token', '--list', '--json']);
    assert.equal(r.code, 0, r.stderr);
    const list = JSON.parse(r.stdout) as { account: string; roles: string[] }[];
    assert.deepEqual(list, DEMO_ACCOUNTS.map((a) => ({ account: a.account, roles: [...a.roles] })));
    const roles = new Set<string>(list.flatMap((a) => a.roles));
    for (const role of ['citizen', 'business', 'reception', 'specialist', 'leader', 'admin']) assert.ok(roles.has(role), role);
  });

  it('prints a token the running server accepts for that account', async () => {
    const r = await motcua(['token', 'reception1'], { MOTCUA_PUBLIC_URL: app.url });
    assert.equal(r.code, 0, r.stderr);
    const token = r.stdout.trim();
    const res = await fetch(`${app.url}/api/v1/dossiers`, { headers: { authorization: `Bearer ${token}` } });
    assert.equal(res.status, 200);
    const claims = JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString()) as { roles: string[]; agency_code: string };
    assert.deepEqual(claims.roles, ['reception']);
    assert.equal(claims.agency_code, '000.00.04.H12');
  });

  it('refuses an unknown account, and any token when the sandbox is off', async () => {
    const unknown = await motcua(['token', 'mallory'], { MOTCUA_PUBLIC_URL: app.url });
    assert.equal(unknown.code, 2);
    assert.match(unknown.stderr, /mallory/);
    const off = await motcua(['token', 'citizen1'], { MOTCUA_PUBLIC_URL: app.url, MOTCUA_SANDBOX_IDP: '0', MOTCUA_OIDC_ISSUER: 'https://sso.example.gov.vn/realms/motcua' });
    assert.equal(off.code, 2);
    assert.match(off.stderr, /sandbox/i);
    assert.equal(off.stdout, '');
  });
});

describe('motcua migrate and audit verify', () => {
  let dataDir: string;
  before(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'motcua-cli-'));
  });
  after(async () => {
    await rm(dataDir, { recursive: true, force: true });
  });

  it('migrates an embedded database, then finds a changed audit entry', async () => {
    const env = { MOTCUA_DATA_DIR: dataDir, MOTCUA_SANDBOX_IDP: '1' };
    const first = await motcua(['migrate'], env);
    assert.equal(first.code, 0, first.stderr);
    assert.match(first.stdout, /applied: 0001/);
    const again = await motcua(['migrate'], env);
    assert.match(again.stdout, /up to date/);

    // Three changes, written as the services write them; then sealed.
    const db = await connectDatabase({ dataDir });
    try {
      for (let i = 0; i < 3; i++) {
        await db.transaction((tx) =>
          appendAudit(tx, { actorSub: 'u1', actorRoles: ['reception'], action: 'dossier.receive', entityType: 'dossier', entityId: `D-${i}`, before: { status: 'submitted' }, after: { status: 'received' }, at: new Date() }),
        );
      }
      await sealAuditLog(db);
    } finally {
      await db.close();
    }
    const ok = await motcua(['audit', 'verify'], env);
    assert.equal(ok.code, 0, ok.stdout + ok.stderr);
    assert.match(ok.stdout, /^OK: 3 entries checked/m);

    // Someone with direct database access rewrites history.
    const db2 = await connectDatabase({ dataDir });
    try {
      await db2.transaction(async (tx) => {
        await tx.query('ALTER TABLE audit_log DISABLE TRIGGER audit_log_append_only');
        await tx.query(`UPDATE audit_log SET after = '{"status":"refused"}'::jsonb WHERE entity_id = 'D-1'`);
        await tx.query('ALTER TABLE audit_log ENABLE TRIGGER audit_log_append_only');
      });
    } finally {
      await db2.close();
    }
    const broken = await motcua(['audit', 'verify'], env);
    assert.equal(broken.code, 1);
    assert.match(broken.stdout, /hash_mismatch/);
    assert.match(broken.stdout, /^BROKEN/m);
  });

  it('catalogue offer: sets an offering, refuses a longer deadline or an unknown agency by name', async () => {
    const env = { MOTCUA_DATA_DIR: dataDir, MOTCUA_SANDBOX_IDP: '1', MOTCUA_DEMO: '1' };
    // The demo catalogue goes in with the import of the sample template (the demo seeds an empty database first).
    const imp = await motcua(['catalogue', 'import', fileURLToPath(new URL('../src/modules/catalogue/import/template-sample.csv', import.meta.url))], env);
    assert.equal(imp.code, 0, imp.stderr);
    assert.match(imp.stdout, /Imported \d+ procedures/);
    const ok = await motcua(['catalogue', 'offer', '1.001193', '000.00.05.H12', '--days', '1'], env);
    assert.equal(ok.code, 0, ok.stderr);
    assert.equal(JSON.parse(ok.stdout).processingDays, 1);
    const longer = await motcua(['catalogue', 'offer', '1.001193', '000.00.05.H12', '--days', '40'], env);
    assert.equal(longer.code, 2);
    assert.match(longer.stderr, /\/processingDays/);
    const nowhere = await motcua(['catalogue', 'offer', '1.001193', '000.00.99.H12'], env);
    assert.equal(nowhere.code, 3);
    assert.match(nowhere.stderr, /000\.00\.99\.H12/);
  });

  it('explains an invalid setting and exits 2', async () => {
    const r = await motcua(['migrate'], { PORT: 'eighty', MOTCUA_SANDBOX_IDP: '1' });
    assert.equal(r.code, 2);
    assert.match(r.stderr, /PORT/);
  });
});
