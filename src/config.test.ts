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
