/**
 * Verifies the signatures of a PDF: for each one, whether the bytes it covers are the
 * bytes that were signed (any changed byte: invalid), who signed and when, and whether
 * the signer's certificate chains to a configured trust anchor. Pure: bytes in, report out.
 */
import { createHash, verify as cryptoVerify, X509Certificate } from 'node:crypto';
import { children, OID_HEX, oidHex, raw, readTlv, value, type Tlv } from './der.ts';

export interface CertificateInfo {
  subject: string;
  commonName: string | null;
  issuer: string;
  serialNumber: string;
  notBefore: string;
  notAfter: string;
  sha256: string;
}

export interface SignatureReport {
  index: number;
  fieldName: string | null;
  subFilter: string | null;
  /** `/Name` of the signature dictionary, else the certificate's common name. */
  signerName: string | null;
  signer: CertificateInfo | null;
  /** `/M` of the signature dictionary (PAdES: the claimed signing time), ISO. */
  signingTime: string | null;
  reason: string | null;
  location: string | null;
  byteRange: [number, number, number, number];
  /** The bytes it covers are unchanged and the signature over them verifies. */
  intact: boolean;
  /** Covers the whole file (the last signature must). */
  coversWholeDocument: boolean;
  /** ESS signing-certificate-v2 present and naming the signer's certificate (PAdES baseline). */
  signingCertificateV2: boolean;
  /** Signer first, ending at the trust anchor when one was reached. */
  chain: CertificateInfo[];
  trusted: boolean;
  problems: string[];
}

export interface VerificationReport {
  sha256: string;
  size: number;
  signatures: SignatureReport[];
  /** At least one signature, every signature intact and trusted, nothing added after the last one. */
  valid: boolean;
  problems: string[];
}

const info = (c: X509Certificate): CertificateInfo => ({
  subject: c.subject.replace(/\n/g, ', '),
  commonName: /(?:^|\n)CN=([^\n]*)/.exec(c.subject)?.[1] ?? null,
  issuer: c.issuer.replace(/\n/g, ', '),
  serialNumber: c.serialNumber,
  notBefore: new Date(c.validFrom).toISOString(),
  notAfter: new Date(c.validTo).toISOString(),
  sha256: c.fingerprint256.replace(/:/g, '').toLowerCase(),
});

/** Reads PEM text with one or more certificates. */
export function parseTrustAnchors(pem: string): X509Certificate[] {
  const blocks = pem.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g) ?? [];
  return blocks.map((b) => new X509Certificate(b));
}

/** A PDF string literal or name, decoded enough for display (escapes, UTF-16BE with BOM). */
function pdfString(dict: string, key: string): string | null {
  const m = new RegExp(`/${key}\\s*\\(((?:\\\\.|[^\\\\)])*)\\)`).exec(dict);
  if (m) {
    const raw = m[1]!.replace(/\\([nrtbf()\\]|[0-7]{1,3})/g, (_, e: string) =>
      /^[0-7]/.test(e) ? String.fromCharCode(parseInt(e, 8)) : ({ n: '\n', r: '\r', t: '\t', b: '\b', f: '\f' } as Record<string, string>)[e] ?? e,
    );
    if (raw.startsWith('\u00fe\u00ff')) return Buffer.from(raw.slice(2), 'latin1').swap16().toString('utf16le');
    return Buffer.from(raw, 'latin1').toString('utf8').includes('\ufffd') ? raw : Buffer.from(raw, 'latin1').toString('utf8');
  }
  const h = new RegExp(`/${key}\\s*<([0-9A-Fa-f\\s]*)>`).exec(dict);
  if (h) {
    const b = Buffer.from(h[1]!.replace(/\s/g, ''), 'hex');
    return b[0] === 0xfe && b[1] === 0xff ? Buffer.from(b.subarray(2)).swap16().toString('utf16le') : b.toString('latin1');
  }
  const n = new RegExp(`/${key}\\s*/([^\\s/<>\\[\\]()]+)`).exec(dict);
  return n ? n[1]! : null;
}

/** `D:YYYYMMDDHHmmSS+HH'mm'` to ISO. */
export function pdfDate(s: string | null): string | null {
  const m = s ? /^D:(\d{4})(\d{2})?(\d{2})?(\d{2})?(\d{2})?(\d{2})?([Z+-])?(\d{2})?'?(\d{2})?/.exec(s) : null;
  if (!m) return null;
  const [, y, mo = '01', d = '01', h = '00', mi = '00', se = '00', sign, oh = '00', om = '00'] = m;
  const offset = sign === '+' || sign === '-' ? `${sign}${oh}:${om}` : 'Z';
  const t = new Date(`${y}-${mo}-${d}T${h}:${mi}:${se}${offset}`);
  return Number.isNaN(t.getTime()) ? null : t.toISOString();
}

/** Length of the DER element at the start of `b` (header plus content), or -1. */
function derLength(b: Uint8Array): number {
  if (b.length < 2) return -1;
  const first = b[1]!;
  if (first < 0x80) return 2 + first;
  const n = first & 0x7f;
  if (n === 0 || n > 4 || b.length < 2 + n) return -1;
  let len = 0;
  for (let i = 0; i < n; i++) len = len * 256 + b[2 + i]!;
  return 2 + n + len;
}

/** Parsed certificates, by their DER: the same agency certificates come back in every document. */
const certCache = new Map<string, X509Certificate>();
function x509(der: Uint8Array): X509Certificate {
  const key = Buffer.from(der.buffer, der.byteOffset, der.byteLength).toString('base64');
  let c = certCache.get(key);
  if (!c) {
    c = new X509Certificate(Buffer.from(der));
    if (certCache.size > 1000) certCache.clear();
    certCache.set(key, c);
  }
  return c;
}

/** Whether `child` was signed by `issuer`'s key, remembered per pair. */
const issuedCache = new Map<string, boolean>();
function issuedBy(child: X509Certificate, issuer: X509Certificate): boolean {
  const key = `${child.fingerprint256}>${issuer.fingerprint256}`;
  let ok = issuedCache.get(key);
  if (ok === undefined) {
    ok = child.checkIssued(issuer) && child.verify(issuer.publicKey);
    if (issuedCache.size > 10_000) issuedCache.clear();
    issuedCache.set(key, ok);
  }
  return ok;
}

interface ParsedCms {
  certs: X509Certificate[];
  /** Serial number of the signer (IssuerAndSerialNumber), upper-case hex without leading zeros. */
  serialHex: string | null;
  digestAlgorithm: string;
  /** The signed attributes as a SET: what the signature covers. */
  signedAttrs: Uint8Array | null;
  messageDigest: Uint8Array | null;
  /** The value of the signing-certificate-v2 attribute, raw. */
  ess: Uint8Array | null;
  signature: Uint8Array;
}

/** ContentInfo { signedData, [0] SignedData { version, digestAlgorithms, encapContentInfo, [0] certificates, [1] crls, signerInfos } }. */
function parseCms(b: Uint8Array): ParsedCms {
  const ci = readTlv(b, 0);
  const [type, wrapped] = children(b, ci);
  if (!type || oidHex(b, type) !== OID_HEX.signedData || !wrapped || wrapped.tag !== 0xa0) throw new Error('not a CMS SignedData');
  const sd = children(b, wrapped)[0];
  if (!sd) throw new Error('empty SignedData');
  const parts = children(b, sd);
  const certSet = parts.find((t) => t.tag === 0xa0);
  const certs = certSet ? children(b, certSet).filter((t) => t.tag === 0x30).map((t) => x509(raw(b, t))) : [];
  const signerInfos = parts[parts.length - 1];
  if (!signerInfos || signerInfos.tag !== 0x31) throw new Error('no signerInfos');
  const si = children(b, signerInfos)[0];
  if (!si) throw new Error('no signer');
  const f = children(b, si);
  const sid = f[1]!;
  let serialHex: string | null = null;
  if (sid.tag === 0x30) {
    const serial = children(b, sid)[1];
    if (serial?.tag === 0x02) serialHex = Buffer.from(value(b, serial)).toString('hex').replace(/^0+/, '').toUpperCase();
  }
  const digestAlgorithm = oidHex(b, children(b, f[2]!)[0]!);
  let i = 3;
  let signedAttrs: Uint8Array | null = null;
  let messageDigest: Uint8Array | null = null;
  let ess: Uint8Array | null = null;
  if (f[i]?.tag === 0xa0) {
    const attrs: Tlv = f[i]!;
    signedAttrs = Uint8Array.from(raw(b, attrs));
    signedAttrs[0] = 0x31;
    for (const a of children(b, attrs)) {
      const [oid, values] = children(b, a);
      if (!oid || !values) continue;
      const first = children(b, values)[0];
      const id = oidHex(b, oid);
      if (id === OID_HEX.messageDigest && first?.tag === 0x04) messageDigest = value(b, first);
      else if (id === OID_HEX.signingCertificateV2) ess = value(b, values);
    }
    i++;
  }
  const sig = f[i + 1];
  if (!sig || sig.tag !== 0x04) throw new Error('no signature value');
  return { certs, serialHex, digestAlgorithm, signedAttrs, messageDigest, ess, signature: value(b, sig) };
}

/** Builds the chain from the signer up through the CMS's certificates to a trust anchor. */
function buildChain(signer: X509Certificate, pool: X509Certificate[], anchors: X509Certificate[], at: Date): { chain: X509Certificate[]; trusted: boolean; problems: string[] } {
  const problems: string[] = [];
  const chain = [signer];
  const isAnchor = (c: X509Certificate) => anchors.some((a) => a.fingerprint256 === c.fingerprint256);
  let current = signer;
  for (let depth = 0; depth < 8; depth++) {
    if (at < new Date(current.validFrom) || at > new Date(current.validTo)) problems.push(`certificate not valid at the signing time: ${current.subject.replace(/\n/g, ', ')}`);
    if (isAnchor(current)) return { chain, trusted: problems.length === 0, problems };
    const issuer = [...anchors, ...pool].find((c) => c.fingerprint256 !== current.fingerprint256 && issuedBy(current, c));
    if (!issuer) {
      const selfSigned = issuedBy(current, current);
      problems.push(selfSigned ? 'the chain ends at a root that is not a configured trust anchor' : 'no issuer certificate found for the chain');
      return { chain, trusted: false, problems };
    }
    if (!issuer.ca && !isAnchor(issuer)) {
      problems.push(`an issuer is not a CA: ${issuer.subject.replace(/\n/g, ', ')}`);
      return { chain: [...chain, issuer], trusted: false, problems };
    }
    chain.push(issuer);
    current = issuer;
  }
  problems.push('certificate chain too long');
  return { chain, trusted: false, problems };
}

interface Found {
  byteRange: [number, number, number, number];
  dict: string;
}

function findSignatures(text: string): Found[] {
  const out: Found[] = [];
  const re = /\/ByteRange\s*\[\s*(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s*\]/g;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    const start = text.lastIndexOf(' obj', m.index);
    const end = text.indexOf('endobj', m.index);
    const dict = text.slice(start < 0 ? Math.max(0, m.index - 4000) : start, end < 0 ? m.index + 20000 : end);
    out.push({ byteRange: [Number(m[1]), Number(m[2]), Number(m[3]), Number(m[4])], dict });
  }
  // Field names: a widget/field dictionary whose /V points at the signature object; kept simple: /T of fields in order.
  return out.sort((a, b) => a.byteRange[2] + a.byteRange[3] - (b.byteRange[2] + b.byteRange[3]));
}

function verifyOne(pdf: Buffer, text: string, f: Found, index: number, anchors: X509Certificate[]): SignatureReport {
  const [a0, l0, a1, l1] = f.byteRange;
  const problems: string[] = [];
  const report: SignatureReport = {
    index,
    fieldName: null,
    subFilter: pdfString(f.dict, 'SubFilter'),
    signerName: pdfString(f.dict, 'Name'),
    signer: null,
    signingTime: pdfDate(pdfString(f.dict, 'M')),
    reason: pdfString(f.dict, 'Reason'),
    location: pdfString(f.dict, 'Location'),
    byteRange: f.byteRange,
    intact: false,
    coversWholeDocument: a1 + l1 === pdf.length,
    signingCertificateV2: false,
    chain: [],
    trusted: false,
    problems,
  };
  const done = (p?: string): SignatureReport => {
    if (p) problems.push(p);
    return report;
  };
  if (a0 !== 0 || l0 <= 0 || a1 <= l0 || l1 < 0 || a1 + l1 > pdf.length) return done('the byte range does not fit the file');
  if (text[l0] !== '<' || text[a1 - 1] !== '>') return done('the byte range does not exclude exactly the signature value');
  const hex = text.slice(l0 + 1, a1 - 1);
  if (!/^[0-9A-Fa-f]*$/.test(hex) || hex.length % 2 !== 0) return done('the signature value is not hexadecimal');
  const cmsBytes = Buffer.from(hex, 'hex');
  const len = derLength(cmsBytes);
  if (len < 0 || len > cmsBytes.length) return done('the signature value is not a DER structure');
  // The placeholder is padded with zeros: anything else after the CMS is a change.
  for (let i = len; i < cmsBytes.length; i++) if (cmsBytes[i] !== 0) return done('the signature value was changed (bytes after the CMS structure)');

  let cms: ParsedCms;
  try {
    cms = parseCms(cmsBytes.subarray(0, len));
  } catch (err) {
    return done(`the signature cannot be parsed: ${(err as Error).message}`);
  }
  const pool = cms.certs;
  const signerCert = cms.serialHex === null ? undefined : pool.find((c) => c.serialNumber.replace(/^0+/, '').toUpperCase() === cms.serialHex);
  if (!signerCert) return done("the signer's certificate is not in the signature");
  report.signer = info(signerCert);
  report.signerName = report.signer.commonName ?? report.signerName;

  // Integrity: the digest of the covered bytes, then the signature over the signed attributes.
  if (cms.digestAlgorithm !== OID_HEX.sha256) return done('unsupported digest algorithm (SHA-256 expected)');
  if (!cms.signedAttrs) return done('the signature has no signed attributes (not CAdES)');
  const digest = createHash('sha256').update(pdf.subarray(a0, a0 + l0)).update(pdf.subarray(a1, a1 + l1)).digest();
  if (!cms.messageDigest || !digest.equals(cms.messageDigest)) return done('digest mismatch: the document was changed after signing');
  let ok: boolean;
  try {
    ok = cryptoVerify('sha256', cms.signedAttrs, signerCert.publicKey, cms.signature);
  } catch {
    ok = false;
  }
  if (!ok) return done('the signature does not verify with the signer certificate');
  report.intact = true;

  if (cms.ess) {
    const certHash = createHash('sha256').update(signerCert.raw).digest();
    report.signingCertificateV2 = Buffer.from(cms.ess).includes(certHash);
    if (!report.signingCertificateV2) problems.push('signing-certificate-v2 does not name the signer certificate');
  }

  const at = report.signingTime ? new Date(report.signingTime) : new Date();
  const chain = buildChain(signerCert, pool, anchors, at);
  report.chain = chain.chain.map(info);
  report.trusted = chain.trusted;
  problems.push(...chain.problems);
  return report;
}

export function verifyPdf(bytes: Uint8Array, anchors: X509Certificate[]): VerificationReport {
  const pdf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const sha256 = createHash('sha256').update(pdf).digest('hex');
  const problems: string[] = [];
  if (pdf.subarray(0, 5).toString('latin1') !== '%PDF-') {
    return { sha256, size: pdf.length, signatures: [], valid: false, problems: ['not a PDF file'] };
  }
  const text = pdf.toString('latin1');
  const found = findSignatures(text);
  const fieldNames = [...text.matchAll(/\/FT\s*\/Sig[^>]*?\/T\s*\(([^)]*)\)|\/T\s*\(([^)]*)\)[^>]*?\/FT\s*\/Sig/g)].map((m) => m[1] ?? m[2] ?? null);
  const signatures = found.map((f, i) => ({ ...verifyOne(pdf, text, f, i + 1, anchors), fieldName: fieldNames[i] ?? null }));
  if (signatures.length === 0) problems.push('the document has no signature');
  const last = signatures[signatures.length - 1];
  if (last && !last.coversWholeDocument) problems.push('the document was changed after the last signature');
  // Each later revision must be covered by the next signature: the ranges grow.
  for (let i = 1; i < signatures.length; i++) {
    const prev = signatures[i - 1]!.byteRange;
    if (signatures[i]!.byteRange[2] + signatures[i]!.byteRange[3] < prev[2] + prev[3]) problems.push('signature ranges do not nest');
  }
  for (const s of signatures) if (!s.intact || !s.trusted) problems.push(`signature ${s.index}: ${s.problems.join('; ') || 'not valid'}`);
  return { sha256, size: pdf.length, signatures, valid: problems.length === 0, problems };
}
