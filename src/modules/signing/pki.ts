/**
 * A development PKI: a root CA and agency (organisation) certificates, written as
 * PKCS#12 files plus the root as the trust anchor PEM. Never for production: the
 * province's real certificates come from a licensed CA (see docs/signing.md).
 */
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import forge from 'node-forge';

export interface DevIdentity {
  /** e.g. `Ủy ban nhân dân phường Thục Phán`. */
  commonName: string;
  organization?: string;
  /** A PKCS#12 file name in the folder, e.g. `agency.p12`. */
  file: string;
  /** Extra personal certificate (a leader or specialist) rather than the agency's seal. */
  person?: boolean;
}

function newKeys(bits: number): { publicKey: forge.pki.rsa.PublicKey; privateKey: forge.pki.rsa.PrivateKey } {
  // Node's native generator; forge's is pure JavaScript and slow.
  const { publicKey, privateKey } = generateKeyPairSync('rsa', { modulusLength: bits, publicKeyEncoding: { type: 'spki', format: 'pem' }, privateKeyEncoding: { type: 'pkcs8', format: 'pem' } });
  return { publicKey: forge.pki.publicKeyFromPem(publicKey) as forge.pki.rsa.PublicKey, privateKey: forge.pki.privateKeyFromPem(privateKey) as forge.pki.rsa.PrivateKey };
}

const serial = (): string => `01${randomBytes(15).toString('hex')}`;

/** A UTF-8 name attribute (Vietnamese names), as forge writes it when given `valueTagClass`. */
const utf8 = (shortName: string, value: string): forge.pki.CertificateField =>
  ({ shortName, value, valueTagClass: forge.asn1.Type.UTF8 }) as unknown as forge.pki.CertificateField;

function name(commonName: string, organization?: string): forge.pki.CertificateField[] {
  return [{ shortName: 'C', value: 'VN' }, utf8('ST', 'Cao Bằng'), ...(organization ? [utf8('O', organization)] : []), utf8('CN', commonName)];
}

export interface DevCa {
  cert: forge.pki.Certificate;
  key: forge.pki.rsa.PrivateKey;
}

export function createRootCa(commonName = 'Motcua Development Root CA (NOT FOR PRODUCTION)', now = new Date()): DevCa {
  const keys = newKeys(2048);
  const cert = forge.pki.createCertificate();
  cert.publicKey = keys.publicKey;
  cert.serialNumber = serial();
  cert.validity.notBefore = new Date(now.getTime() - 86400_000);
  cert.validity.notAfter = new Date(now.getTime() + 10 * 365 * 86400_000);
  const subject = name(commonName, 'Motcua');
  cert.setSubject(subject);
  cert.setIssuer(subject);
  cert.setExtensions([
    { name: 'basicConstraints', cA: true, critical: true },
    { name: 'keyUsage', keyCertSign: true, cRLSign: true, critical: true },
    { name: 'subjectKeyIdentifier' },
  ]);
  cert.sign(keys.privateKey, forge.md.sha256.create());
  return { cert, key: keys.privateKey };
}

export function issueSigningCertificate(ca: DevCa, who: { commonName: string; organization?: string }, now = new Date(), years = 3): DevCa {
  const keys = newKeys(2048);
  const cert = forge.pki.createCertificate();
  cert.publicKey = keys.publicKey;
  cert.serialNumber = serial();
  cert.validity.notBefore = new Date(now.getTime() - 86400_000);
  cert.validity.notAfter = new Date(now.getTime() + years * 365 * 86400_000);
  cert.setSubject(name(who.commonName, who.organization));
  cert.setIssuer(ca.cert.subject.attributes);
  cert.setExtensions([
    { name: 'basicConstraints', cA: false, critical: true },
    { name: 'keyUsage', digitalSignature: true, nonRepudiation: true, critical: true },
    { name: 'extKeyUsage', emailProtection: true },
    { name: 'subjectKeyIdentifier' },
    { name: 'authorityKeyIdentifier', keyIdentifier: ca.cert.generateSubjectKeyIdentifier().getBytes() },
  ]);
  cert.sign(ca.key, forge.md.sha256.create());
  return { cert, key: keys.privateKey };
}

export function toP12(id: DevCa, chain: forge.pki.Certificate[], password: string, friendlyName: string): Uint8Array {
  const asn1 = forge.pkcs12.toPkcs12Asn1(id.key, [id.cert, ...chain], password, { algorithm: '3des', friendlyName, generateLocalKeyId: true });
  return new Uint8Array(Buffer.from(forge.asn1.toDer(asn1).getBytes(), 'binary'));
}

export const certificateToPem = (c: forge.pki.Certificate): string => forge.pki.certificateToPem(c);

export interface PkiInitResult {
  dir: string;
  trustAnchorsPath: string;
  p12: { path: string; commonName: string }[];
  created: boolean;
}

/**
 * `motcua pki init`: writes `<dir>/root-ca.pem`, `<dir>/root-ca.key.pem`, `<dir>/trust-anchors.pem`
 * and one PKCS#12 per identity. An existing folder is kept unless `force`.
 */
export async function initDevPki(dir: string, identities: DevIdentity[], password: string, opts: { force?: boolean; now?: Date } = {}): Promise<PkiInitResult> {
  const trustAnchorsPath = join(dir, 'trust-anchors.pem');
  const p12 = identities.map((i) => ({ path: join(dir, i.file), commonName: i.commonName }));
  if (!opts.force) {
    try {
      await readFile(trustAnchorsPath);
      return { dir, trustAnchorsPath, p12, created: false };
    } catch {
      // none yet: create
    }
  }
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const now = opts.now ?? new Date();
  const ca = createRootCa(undefined, now);
  await writeFile(join(dir, 'root-ca.pem'), certificateToPem(ca.cert));
  await writeFile(join(dir, 'root-ca.key.pem'), forge.pki.privateKeyToPem(ca.key), { mode: 0o600 });
  for (const i of identities) {
    const id = issueSigningCertificate(ca, { commonName: i.commonName, ...(i.organization ? { organization: i.organization } : {}) }, now);
    await writeFile(join(dir, i.file), toP12(id, [ca.cert], password, i.commonName), { mode: 0o600 });
  }
  await writeFile(trustAnchorsPath, certificateToPem(ca.cert));
  return { dir, trustAnchorsPath, p12, created: true };
}
