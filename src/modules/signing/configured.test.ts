import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError, loadConfig } from '../../config.ts';
import { configuredSigner } from './configured.ts';
import { startCscSandbox } from './csc.ts';
import { parseP12 } from './p12.ts';
import { initDevPki } from './pki.ts';
import { signerName } from './pades.ts';

const prod = { MOTCUA_SANDBOX_IDP: '0', MOTCUA_OIDC_ISSUER: 'https://id.example.vn' };

describe('signing settings', () => {
  it('the demo signs with a development PKI in <data>/pki; production without a signer generates no documents', () => {
    const demo = loadConfig({ MOTCUA_DEMO: '1', MOTCUA_DATA_DIR: '/srv/m' });
    assert.equal(demo.signing.p12Path, '/srv/m/pki/agency.p12');
    assert.equal(demo.signing.trustAnchorsPath, '/srv/m/pki/trust-anchors.pem');
    assert.equal(demo.signing.devPki, true);
    assert.equal(demo.signing.documents, true);
    const p = loadConfig(prod);
    assert.equal(p.signing.devPki, false);
    assert.equal(p.signing.p12Password, undefined);
    assert.equal(p.signing.documents, false);
  });

  it('MOTCUA_DOCUMENTS=on without a signer, a CSC URL without its credential, a bad switch: refused, naming the setting, never echoing secrets', () => {
    try {
      loadConfig({ ...prod, MOTCUA_DOCUMENTS: 'on', MOTCUA_CSC_URL: 'https://sign.example.vn', MOTCUA_CSC_PIN: '987654' });
      assert.fail('expected ConfigError');
    } catch (e) {
      assert.ok(e instanceof ConfigError);
      const text = e.problems.join('\n');
      assert.match(text, /MOTCUA_CSC_CREDENTIAL_ID/);
      assert.match(text, /MOTCUA_SIGNING_P12_PASSWORD/);
      assert.doesNotMatch(text, /987654/);
    }
    assert.throws(() => loadConfig({ ...prod, MOTCUA_DOCUMENTS: 'maybe' }), /MOTCUA_DOCUMENTS/);
    const secret = 'p12-secret-value';
    const c = loadConfig({ ...prod, MOTCUA_SIGNING_P12: '/etc/motcua/agency.p12', MOTCUA_SIGNING_P12_PASSWORD: secret, MOTCUA_TRUST_ANCHORS: '/etc/motcua/roots.pem' });
    assert.equal(c.signing.documents, true);
    assert.equal(c.signing.p12Path, '/etc/motcua/agency.p12');
    assert.equal(c.signing.trustAnchorsPath, '/etc/motcua/roots.pem');
  });
});

describe('configuredSigner', () => {
  it('demo: creates the development PKI on first use, once, and signs with the agency certificate', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'motcua-signer-'));
    const c = loadConfig({ MOTCUA_DEMO: '1', MOTCUA_DATA_DIR: dir });
    assert.equal(existsSync(c.signing.p12Path), false);
    const get = configuredSigner(c.signing);
    const [a, b] = await Promise.all([get(), get()]);
    assert.equal(a, b);
    assert.ok(existsSync(c.signing.p12Path));
    assert.ok(existsSync(c.signing.trustAnchorsPath));
    assert.equal(await signerName(a), 'Ủy ban nhân dân phường Thục Phán');
  });

  it('production without a PKCS#12 password: a clear error; with a CSC service: the remote signer', async () => {
    await assert.rejects(configuredSigner(loadConfig(prod).signing)(), /signing is not configured/);
    const dir = mkdtempSync(join(tmpdir(), 'motcua-signer-csc-'));
    await initDevPki(dir, [{ commonName: 'Sở Tư pháp tỉnh Cao Bằng', file: 'seal.p12' }], 'pw');
    const sandbox = await startCscSandbox({ accessToken: 't0k', credentials: { seal: { ...parseP12(readFileSync(join(dir, 'seal.p12')), 'pw'), pin: '1234' } } });
    try {
      const c = loadConfig({ ...prod, MOTCUA_CSC_URL: sandbox.url, MOTCUA_CSC_CREDENTIAL_ID: 'seal', MOTCUA_CSC_ACCESS_TOKEN: 't0k', MOTCUA_CSC_PIN: '1234' });
      assert.equal(c.signing.documents, true);
      const s = await configuredSigner(c.signing)();
      assert.match(s.label, /^csc:/);
      assert.equal(await signerName(s), 'Sở Tư pháp tỉnh Cao Bằng');
      assert.equal((await s.signHash(new Uint8Array(32))).length, 256);
      assert.equal(sandbox.signed(), 1);
    } finally {
      await sandbox.close();
    }
  });
});
