import { before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { X509Certificate } from 'node:crypto';
import { renderDossierDocument, type DossierDocumentData } from '../documents/templates.ts';
import { parseTrustAnchors, verifyPdf } from '../verification/verify.ts';
import { createCscSigner, startCscSandbox } from './csc.ts';
import { keySigner, loadP12Signer, parseP12 } from './p12.ts';
import { signPdf } from './pades.ts';
import { createRootCa, initDevPki, issueSigningCertificate, toP12 } from './pki.ts';
import { pdfsig, skipWithout } from './poppler.ts';
import type { Signer } from './types.ts';

const CODE = '000.00.04.H12-261123-0007';
/** Every date here is fixed: the fixtures' certificates are issued at AT, and every signature is made at AT. */
const AT = new Date('2026-11-23T03:00:00Z');
const data: DossierDocumentData = {
  dossierCode: CODE,
  verifyUrl: `http://localhost:3000/verify/${CODE}`,
  agency: { code: '000.00.04.H12', name: 'Ủy ban nhân dân phường Thục Phán' },
  place: 'Cao Bằng',
  issuedAt: new Date('2026-11-23T02:30:00Z'),
  procedure: { code: '1.004222', name: 'Đăng ký thường trú' },
  applicant: { name: 'Nguyễn Văn An' },
};

let dir: string;
let anchors: X509Certificate[];
let specialist: Signer;
let leader: Signer;
let pdf: Uint8Array;

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'motcua-pki-'));
  const r = await initDevPki(dir, [
    { commonName: 'Đàm Quang Huy', file: 'specialist.p12', person: true },
    { commonName: 'Ủy ban nhân dân phường Thục Phán', organization: 'UBND phường Thục Phán', file: 'agency.p12' },
  ], 'mật-khẩu', { now: AT });
  anchors = parseTrustAnchors(readFileSync(r.trustAnchorsPath, 'utf8'));
  specialist = await loadP12Signer(r.p12[0]!.path, 'mật-khẩu');
  leader = await loadP12Signer(r.p12[1]!.path, 'mật-khẩu');
  pdf = await renderDossierDocument('result', data, 'Xác nhận đăng ký thường trú');
});

/** Flips one byte inside the first signed range (the page content), well away from the signature value. */
const tamper = (bytes: Uint8Array, at = 2000): Uint8Array => {
  const copy = Uint8Array.from(bytes);
  copy[at] = copy[at]! ^ 0x01;
  return copy;
};

describe('signing: PKCS#12 and the development PKI', () => {
  it('pki init writes a root, PKCS#12 files and the trust anchor; a second run keeps them', async () => {
    const again = await initDevPki(dir, [{ commonName: 'x', file: 'agency.p12' }], 'other', { now: AT });
    assert.equal(again.created, false);
    const root = new X509Certificate(readFileSync(join(dir, 'root-ca.pem')));
    assert.ok(root.ca);
    const { chain } = parseP12(readFileSync(join(dir, 'agency.p12')), 'mật-khẩu');
    const own = new X509Certificate(Buffer.from(chain[0]!));
    assert.match(own.subject, /CN=Ủy ban nhân dân phường Thục Phán/);
    assert.ok(own.verify(root.publicKey));
    assert.equal(own.ca, false);
  });

  it('a wrong password is refused with a clear message', () => {
    assert.throws(() => parseP12(readFileSync(join(dir, 'agency.p12')), 'wrong'), /cannot open the PKCS#12 file/);
  });
});

describe('signing: PAdES and the verifier', () => {
  it('one signature: intact, ETSI.CAdES.detached, signing-certificate-v2, chained to the anchor', async () => {
    const signingTime = AT;
    const signed = await signPdf(pdf, leader, { reason: 'Phê duyệt kết quả', location: 'Cao Bằng', signingTime });
    const r = verifyPdf(signed, anchors);
    assert.equal(r.valid, true, r.problems.join('; '));
    const [s] = r.signatures;
    assert.equal(s?.subFilter, 'ETSI.CAdES.detached');
    assert.equal(s?.signerName, 'Ủy ban nhân dân phường Thục Phán');
    assert.equal(s?.signingTime, signingTime.toISOString());
    assert.equal(s?.signingCertificateV2, true);
    assert.equal(s?.chain.length, 2);
    assert.equal(s?.coversWholeDocument, true);
  });

  it('specialist then leader by incremental update: both stay valid; the first covers only its revision', async () => {
    const once = await signPdf(pdf, specialist, { reason: 'Người xử lý', signingTime: AT });
    const twice = await signPdf(once, leader, { reason: 'Phê duyệt', signingTime: AT });
    assert.deepEqual(Buffer.from(twice.subarray(0, once.length)), Buffer.from(once), 'the second signature only appends');
    const r = verifyPdf(twice, anchors);
    assert.equal(r.valid, true, r.problems.join('; '));
    assert.deepEqual(r.signatures.map((s) => s.signerName), ['Đàm Quang Huy', 'Ủy ban nhân dân phường Thục Phán']);
    assert.deepEqual(r.signatures.map((s) => s.coversWholeDocument), [false, true]);
  });

  it('any changed byte makes it invalid: in the content, in the signature value, or appended after', async () => {
    const signed = await signPdf(pdf, leader, { reason: 'Phê duyệt', signingTime: AT });
    assert.equal(verifyPdf(tamper(signed), anchors).valid, false);
    const r = verifyPdf(tamper(signed), anchors);
    assert.match(r.signatures[0]!.problems.join(), /digest mismatch/);
    // inside /Contents: the CMS itself or its zero padding
    const text = Buffer.from(signed).toString('latin1');
    const contents = text.lastIndexOf('/Contents <') + '/Contents <'.length;
    assert.equal(verifyPdf(tamper(signed, contents + 900), anchors).valid, false);
    const padding = text.indexOf('>', contents) - 4;
    const padded = Uint8Array.from(signed);
    padded[padding] = '1'.charCodeAt(0);
    assert.equal(verifyPdf(padded, anchors).valid, false);
    // appended after the last signature
    const appended = Buffer.concat([Buffer.from(signed), Buffer.from('\n% added\n')]);
    const ra = verifyPdf(appended, anchors);
    assert.equal(ra.valid, false);
    assert.match(ra.problems.join(), /changed after the last signature/);
    // the last byte of the document
    assert.equal(verifyPdf(tamper(signed, signed.length - 2), anchors).valid, false);
  });

  it('a chain to another root is not trusted; an unsigned PDF or a non-PDF is not valid', async () => {
    const otherRoot = createRootCa('Some other root', AT);
    const id = issueSigningCertificate(otherRoot, { commonName: 'Mạo danh' }, AT);
    const impostor = keySigner(parseP12(toP12(id, [otherRoot.cert], 'x', 'm'), 'x'), 'impostor');
    const r = verifyPdf(await signPdf(pdf, impostor, { reason: 'x', signingTime: AT }), anchors);
    assert.equal(r.valid, false);
    assert.equal(r.signatures[0]!.intact, true);
    assert.equal(r.signatures[0]!.trusted, false);
    assert.match(r.problems.join(), /not a configured trust anchor/);
    assert.equal(verifyPdf(pdf, anchors).valid, false);
    assert.match(verifyPdf(pdf, anchors).problems.join(), /no signature/);
    assert.equal(verifyPdf(Buffer.from('hello'), anchors).valid, false);
  });
});

describe('signing: remote signer (Cloud Signature Consortium API sandbox)', () => {
  it('signs through credentials/info, credentials/authorize and signatures/signHash; the key stays in the service', async () => {
    const agency = parseP12(readFileSync(join(dir, 'agency.p12')), 'mật-khẩu');
    const sandbox = await startCscSandbox({ accessToken: 'tok', credentials: { 'agency-seal': { ...agency, pin: '123456' } } });
    try {
      const remote = createCscSigner({ baseUrl: sandbox.url, credentialId: 'agency-seal', accessToken: 'tok', pin: '123456' });
      const signed = await signPdf(pdf, remote, { reason: 'Phê duyệt', signingTime: AT });
      assert.equal(sandbox.signed(), 1);
      const r = verifyPdf(signed, anchors);
      assert.equal(r.valid, true, r.problems.join('; '));
      assert.equal(r.signatures[0]!.signerName, 'Ủy ban nhân dân phường Thục Phán');
      const wrongPin = createCscSigner({ baseUrl: sandbox.url, credentialId: 'agency-seal', accessToken: 'tok', pin: '000000' });
      await assert.rejects(signPdf(pdf, wrongPin, { reason: 'x', signingTime: AT }), /invalid_pin/);
      const wrongToken = createCscSigner({ baseUrl: sandbox.url, credentialId: 'agency-seal', accessToken: 'nope' });
      await assert.rejects(signPdf(pdf, wrongToken, { reason: 'x', signingTime: AT }), /401/);
    } finally {
      await sandbox.close();
    }
  });
});

describe('signing: independent check with poppler pdfsig', { skip: skipWithout('pdfsig') }, () => {
  it('pdfsig calls each signature valid, and not valid after one byte is changed', async () => {
    const twice = await signPdf(await signPdf(pdf, specialist, { reason: 'Người xử lý', signingTime: AT }), leader, { reason: 'Phê duyệt', signingTime: AT });
    const ok = pdfsig(twice);
    assert.equal(ok.signatures.length, 2, ok.output);
    assert.ok(ok.signatures.every((s) => s.valid), ok.output);
    assert.deepEqual(ok.signatures.map((s) => s.commonName), ['Đàm Quang Huy', 'Ủy ban nhân dân phường Thục Phán']);
    assert.equal(ok.signatures[1]!.totalDocumentSigned, true);
    const bad = pdfsig(tamper(twice));
    assert.equal(bad.signatures.length, 2, bad.output);
    assert.ok(bad.signatures.every((s) => !s.valid), bad.output);
  });
});

const hasOpenssl = spawnSync('openssl', ['version']).error === undefined;
describe('signing: the CMS checked by OpenSSL', { skip: !hasOpenssl && 'openssl is not installed' }, () => {
  it('openssl cms -verify accepts the detached CAdES over the byte range, with signing-certificate-v2 among the signed attributes', async () => {
    const signed = Buffer.from(await signPdf(pdf, leader, { reason: 'Phê duyệt', signingTime: AT }));
    const t = signed.toString('latin1');
    const m = /\/ByteRange\s*\[\s*(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s*\]/.exec(t)!;
    const [a0, l0, a1, l1] = m.slice(1).map(Number) as [number, number, number, number];
    const work = mkdtempSync(join(tmpdir(), 'motcua-cms-'));
    writeFileSync(join(work, 'content.bin'), Buffer.concat([signed.subarray(a0, a0 + l0), signed.subarray(a1, a1 + l1)]));
    const cms = Buffer.from(t.slice(l0 + 1, a1 - 1), 'hex');
    const len = cms[1]! & 0x80 ? 2 + (cms[1]! & 0x7f) + cms.readUIntBE(2, cms[1]! & 0x7f) : 2 + cms[1]!;
    writeFileSync(join(work, 'sig.der'), cms.subarray(0, len));
    writeFileSync(join(work, 'ca.pem'), readFileSync(join(dir, 'trust-anchors.pem')));
    const v = spawnSync('openssl', ['cms', '-verify', '-binary', '-inform', 'DER', '-in', join(work, 'sig.der'), '-content', join(work, 'content.bin'), '-CAfile', join(work, 'ca.pem'), '-purpose', 'any', '-out', '/dev/null'], { encoding: 'utf8' });
    assert.equal(v.status, 0, v.stderr);
    assert.match(v.stderr, /Verification successful/);
    const p = spawnSync('openssl', ['cms', '-cmsout', '-print', '-inform', 'DER', '-in', join(work, 'sig.der')], { encoding: 'utf8' });
    assert.match(p.stdout, /signingCertificateV2/);
    assert.doesNotMatch(p.stdout, /signingTime/);
    // One changed byte of the content: OpenSSL refuses too.
    const content = readFileSync(join(work, 'content.bin'));
    content[100] = content[100]! ^ 1;
    writeFileSync(join(work, 'content.bin'), content);
    assert.notEqual(spawnSync('openssl', ['cms', '-verify', '-binary', '-inform', 'DER', '-in', join(work, 'sig.der'), '-content', join(work, 'content.bin'), '-CAfile', join(work, 'ca.pem'), '-purpose', 'any', '-out', '/dev/null']).status, 0);
  });
});
