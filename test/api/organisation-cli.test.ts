/**
 * The organisation commands as an operator runs them: the package's bin in a child
 * process on an embedded database folder, exit codes scripts can rely on
 * (0 done, 2 bad input, 3 not found, 4 conflict), messages in Vietnamese and English.
 */
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { connectDatabase } from '../../src/db/connect.ts';
import { motcua } from '../support/cli.ts';

describe('motcua setup, units, staff', () => {
  let dir: string;
  let env: Record<string, string>;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'motcua-org-cli-'));
    env = { MOTCUA_DATA_DIR: dir, MOTCUA_SANDBOX_IDP: '1', LOG_LEVEL: 'silent' };
  });
  after(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('setup --province 04 creates Cao Bằng; a second run changes nothing', async () => {
    const r = await motcua(['setup', '--province', '04'], env);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /Tỉnh Cao Bằng \(H12\): 72 units \/ đơn vị — 72 created/);
    const again = await motcua(['setup', '--province', '04'], env);
    assert.equal(again.code, 0, again.stderr);
    assert.match(again.stdout, /0 created \/ tạo mới, 0 completed \/ bổ sung, 72 unchanged/);
  });

  it('bad input: usage 2, unknown province 3, bad suffix 2, each message bilingual', async () => {
    assert.equal((await motcua(['setup'], env)).code, 2);
    const unknown = await motcua(['setup', '--province', '99'], env);
    assert.equal(unknown.code, 3);
    assert.match(unknown.stderr, /province: No province with code 99 .* \/ Không có tỉnh/);
    const suffix = await motcua(['setup', '--province', '01', '--code-suffix', 'h1'], env);
    assert.equal(suffix.code, 2);
    assert.match(suffix.stderr, /codeSuffix/);
  });

  it('units add, rename, merge; merging again is a conflict (4)', async () => {
    const add = await motcua(['units', 'add', 'Ủy ban nhân dân xã Thử', '--kind', 'commune'], env);
    assert.equal(add.code, 0, add.stderr);
    const code = (JSON.parse(add.stdout) as { code: string }).code;
    assert.equal(code, '000.00.156.H12');
    const ren = await motcua(['units', 'rename', code, 'Ủy ban nhân dân xã Thử Mới'], env);
    assert.equal(ren.code, 0, ren.stderr);
    assert.equal((JSON.parse(ren.stdout) as { name: string }).name, 'Ủy ban nhân dân xã Thử Mới');
    assert.equal((await motcua(['units', 'rename', '000.00.999.H12', 'X'], env)).code, 3);
    const badKind = await motcua(['units', 'add', 'X', '--kind', 'castle'], env);
    assert.equal(badKind.code, 2);
    assert.match(badKind.stderr, /\/kind/);
    assert.equal((await motcua(['units', 'merge', code, '--into', '000.00.100.H12'], env)).code, 0);
    const twice = await motcua(['units', 'merge', code, '--into', '000.00.100.H12'], env);
    assert.equal(twice.code, 4);
    assert.match(twice.stderr, /\/code: .* \/ /);
  });

  it('staff import (all or nothing, by line), grant and revoke', async () => {
    const bad = join(dir, 'bad.csv');
    await writeFile(bad, 'sub,name,email,unit_code,roles\nk-1,Nguyễn A,,000.00.100.H12,reception\nk-2,,,000.00.999.H12,boss\n');
    const r = await motcua(['staff', 'import', bad], env);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /line 3: name: The name is missing \/ Thiếu họ tên/);
    assert.match(r.stderr, /line 3: roles: Unknown role: boss/);
    assert.match(r.stderr, /line 3: unit_code: No unit 000\.00\.999\.H12/);
    const good = join(dir, 'good.csv');
    await writeFile(good, 'sub,name,email,unit_code,roles\nk-1,Nguyễn A,a@caobang.gov.vn,000.00.100.H12,reception;specialist\n');
    const ok = await motcua(['staff', 'import', good], env);
    assert.equal(ok.code, 0, ok.stderr);
    assert.match(ok.stdout, /1 staff \(1 new \/ mới\), 2 roles granted/);

    const g = await motcua(['staff', 'grant', 'k-2', '000.00.100.H12', 'leader', '--name', 'Trần B'], env);
    assert.equal(g.code, 0, g.stderr);
    const grant = JSON.parse(g.stdout) as { id: string; role: string };
    assert.equal(grant.role, 'leader');
    assert.equal((await motcua(['staff', 'grant', 'nobody', '000.00.100.H12', 'leader'], env)).code, 3);
    const rv = await motcua(['staff', 'revoke', grant.id], env);
    assert.equal(rv.code, 0, rv.stderr);
    assert.equal((await motcua(['staff', 'revoke', grant.id], env)).code, 4);

    const db = await connectDatabase({ databaseUrl: undefined, dataDir: dir });
    try {
      const log = await db.query<{ action: string; n: number }>("SELECT action, count(*)::int AS n FROM audit_log WHERE action LIKE 'organisation.role.%' AND actor_sub = 'system:cli' GROUP BY action ORDER BY action");
      assert.deepEqual(log.rows, [{ action: 'organisation.role.grant', n: 3 }, { action: 'organisation.role.revoke', n: 1 }]);
      assert.equal((await db.query('SELECT 1 FROM staff')).rows.length, 2, 'the refused file wrote nothing');
    } finally {
      await db.close();
    }
  });
});
