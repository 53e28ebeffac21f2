/**
 * A minimal DER reader for the parts of a CMS SignedData the verifier needs: tag,
 * length and the raw bytes of each element, no schema objects. Throws on a malformed
 * or truncated element. (Verification reads every scanned document: this is its hot path.)
 */
export interface Tlv {
  /** The first identifier byte (class, constructed bit, tag number < 31). */
  tag: number;
  /** Offset of the identifier byte. */
  start: number;
  /** Offset of the content. */
  content: number;
  /** Offset just past the element. */
  end: number;
}

export function readTlv(b: Uint8Array, at: number, limit = b.length): Tlv {
  if (at + 2 > limit) throw new Error('DER: truncated element');
  const tag = b[at]!;
  if ((tag & 0x1f) === 0x1f) throw new Error('DER: multi-byte tags are not used in CMS');
  let len = b[at + 1]!;
  let content = at + 2;
  if (len & 0x80) {
    const n = len & 0x7f;
    if (n === 0 || n > 4) throw new Error('DER: indefinite or oversized length');
    if (content + n > limit) throw new Error('DER: truncated length');
    len = 0;
    for (let i = 0; i < n; i++) len = len * 256 + b[content + i]!;
    content += n;
  }
  const end = content + len;
  if (end > limit) throw new Error('DER: element runs past its container');
  return { tag, start: at, content, end };
}

/** The elements inside a constructed element. */
export function children(b: Uint8Array, parent: Tlv): Tlv[] {
  const out: Tlv[] = [];
  for (let at = parent.content; at < parent.end; ) {
    const t = readTlv(b, at, parent.end);
    out.push(t);
    at = t.end;
  }
  return out;
}

export const raw = (b: Uint8Array, t: Tlv): Uint8Array => b.subarray(t.start, t.end);
export const value = (b: Uint8Array, t: Tlv): Uint8Array => b.subarray(t.content, t.end);

/** Content bytes of an OID, as hex, e.g. `2a864886f70d010702` for 1.2.840.113549.1.7.2. */
export const oidHex = (b: Uint8Array, t: Tlv): string => (t.tag === 0x06 ? Buffer.from(b.buffer, b.byteOffset + t.content, t.end - t.content).toString('hex') : '');

export const OID_HEX = {
  signedData: '2a864886f70d010702',
  messageDigest: '2a864886f70d010904',
  signingCertificateV2: '2a864886f70d010910022f',
  sha256: '608648016503040201',
} as const;
