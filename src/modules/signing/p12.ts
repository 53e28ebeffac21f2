import { constants, createPrivateKey, privateEncrypt, type KeyObject } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import forge from 'node-forge';
import type { Signer } from './types.ts';

/** DER prefix of a DigestInfo for SHA-256 (RFC 8017 §9.2, note 1). */
const SHA256_DIGEST_INFO = Buffer.from('3031300d060960864801650304020105000420', 'hex');

/** RSA PKCS#1 v1.5 signature of a precomputed SHA-256 digest. */
export function rsaSignDigest(key: KeyObject, sha256: Uint8Array): Uint8Array {
  if (sha256.length !== 32) throw new Error('a SHA-256 digest has 32 bytes');
  return privateEncrypt({ key, padding: constants.RSA_PKCS1_PADDING }, Buffer.concat([SHA256_DIGEST_INFO, sha256]));
}

export interface KeyAndChain {
  key: KeyObject;
  /** Signing certificate first, DER. */
  chain: Uint8Array[];
}

/** Reads a PKCS#12 file: the private key and its certificate, then the others in the file. */
export function parseP12(bytes: Uint8Array, password: string): KeyAndChain {
  let p12: forge.pkcs12.Pkcs12Pfx;
  try {
    p12 = forge.pkcs12.pkcs12FromAsn1(forge.asn1.fromDer(forge.util.createBuffer(Buffer.from(bytes).toString('binary'))), false, password);
  } catch (err) {
    throw new Error(`cannot open the PKCS#12 file (wrong password or not a PKCS#12 file): ${(err as Error).message}`, { cause: err });
  }
  const shrouded = forge.pki.oids.pkcs8ShroudedKeyBag as string;
  const plain = forge.pki.oids.keyBag as string;
  const certBag = forge.pki.oids.certBag as string;
  const keyBags: forge.pkcs12.Bag[] = [...(p12.getBags({ bagType: shrouded })[shrouded] ?? []), ...(p12.getBags({ bagType: plain })[plain] ?? [])];
  const keyBag = keyBags.find((b) => b.key !== undefined);
  if (!keyBag?.key) throw new Error('the PKCS#12 file holds no private key');
  const key = createPrivateKey(forge.pki.privateKeyToPem(keyBag.key));
  const certs: forge.pki.Certificate[] = (p12.getBags({ bagType: certBag })[certBag] ?? []).flatMap((b: forge.pkcs12.Bag) => (b.cert ? [b.cert] : []));
  const pub = forge.pki.setRsaPublicKey((keyBag.key as forge.pki.rsa.PrivateKey).n, (keyBag.key as forge.pki.rsa.PrivateKey).e);
  const own = certs.findIndex((c) => (c.publicKey as forge.pki.rsa.PublicKey).n.equals(pub.n));
  if (own < 0) throw new Error('the PKCS#12 file holds no certificate for its private key');
  const ordered = [certs[own]!, ...certs.filter((_, i) => i !== own)];
  return { key, chain: ordered.map((c) => new Uint8Array(Buffer.from(forge.asn1.toDer(forge.pki.certificateToAsn1(c)).getBytes(), 'binary'))) };
}

/** A signer whose key is in this process (from a PKCS#12 file). */
export function keySigner(k: KeyAndChain, label: string): Signer {
  return {
    label,
    certificates: async () => k.chain,
    signHash: async (h) => rsaSignDigest(k.key, h),
  };
}

export async function loadP12Signer(path: string, password: string): Promise<Signer> {
  return keySigner(parseP12(await readFile(path), password), `p12:${path}`);
}
