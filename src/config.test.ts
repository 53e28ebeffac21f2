import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ConfigError, loadConfig } from './config.ts';

test('defaults: port 3000, data in ./data, PGlite, sandbox only with the demo', () => {
  const c = loadConfig({ MOTCUA_DEMO: '1' });
  assert.equal(c.port, 3000);
  assert.equal(c.databaseUrl, undefined);
  assert.ok(c.dataDir.endsWith('/data'));
  assert.equal(c.sandboxIdp, true);
  assert.equal(c.oidcIssuer, 'http://localhost:3000/oidc');
});

test('every bad setting is reported at once, naming the variable', () => {
  try {
    loadConfig({ PORT: 'abc', DATABASE_URL: 'mysql://x', MOTCUA_DEMO: 'maybe', MOTCUA_SANDBOX_IDP: '0' });
    assert.fail('expected ConfigError');
  } catch (e) {
    assert.ok(e instanceof ConfigError);
    const text = e.problems.join('\n');
    for (const name of ['PORT', 'DATABASE_URL', 'MOTCUA_DEMO', 'MOTCUA_OIDC_ISSUER']) assert.match(text, new RegExp(name));
  }
});

test('this suite runs on Node 24 or later', () => {
  const major = Number(process.versions.node.split('.')[0]);
  assert.ok(major >= 24, `running on Node ${process.versions.node}; Motcua needs Node 24 LTS`);
});

test('identity assurance: level 2 of level1,level2 by default; a minimum outside the levels is refused', () => {
  assert.deepEqual(loadConfig({ MOTCUA_DEMO: '1' }).assurance, { levels: ['level1', 'level2'], submitMin: 'level2' });
  assert.deepEqual(loadConfig({ MOTCUA_DEMO: '1', MOTCUA_ACR_LEVELS: 'loa1, loa2 ,loa3', MOTCUA_SUBMIT_MIN_ACR: 'loa3' }).assurance, { levels: ['loa1', 'loa2', 'loa3'], submitMin: 'loa3' });
  for (const env of [{ MOTCUA_SUBMIT_MIN_ACR: 'level9' }, { MOTCUA_ACR_LEVELS: 'level1,level1', MOTCUA_SUBMIT_MIN_ACR: 'level1' }, { MOTCUA_ACR_LEVELS: ' , ' }]) {
    assert.throws(() => loadConfig({ MOTCUA_DEMO: '1', ...env }), (e: unknown) => e instanceof ConfigError && e.problems.some((p) => /MOTCUA_(SUBMIT_MIN_ACR|ACR_LEVELS)/.test(p)), JSON.stringify(env));
  }
  const mapped = loadConfig({ MOTCUA_DEMO: '1', MOTCUA_OIDC_CLAIM_BIRTHDATE: 'NgayThangNamSinh', MOTCUA_OIDC_CLAIM_PERSONAL_ID: 'SoDinhDanh' });
  assert.deepEqual(mapped.oidcClaimMap, { birthdate: 'NgayThangNamSinh', personalId: 'SoDinhDanh' });
});
