/**
 * PAdES signatures on a PDF: a signature field and dictionary (SubFilter
 * ETSI.CAdES.detached) appended as an incremental update, then the CAdES signature over
 * the byte range. Signing again appends another update: earlier signatures stay valid.
 */
import { plainAddPlaceholder } from '@signpdf/placeholder-plain';
import { SignPdf } from '@signpdf/signpdf';
import { Signer as SignpdfSigner, SUBFILTER_ETSI_CADES_DETACHED } from '@signpdf/utils';
import { buildCadesDetached, parseCertificate, sha256 } from './cms.ts';
import type { SignatureMeta, Signer } from './types.ts';

/** Room for the CMS in /Contents (bytes): a 4096-bit key and a three-certificate chain fit. */
const SIGNATURE_LENGTH = 8192;

class CadesSigner extends SignpdfSigner {
  readonly inner: Signer;
  constructor(inner: Signer) {
    super();
    this.inner = inner;
  }
  override async sign(pdfBuffer: Buffer): Promise<Buffer> {
    return Buffer.from(await buildCadesDetached(sha256(pdfBuffer), this.inner));
  }
}

/** The common name of the signer's certificate, for `/Name`. */
const names = new WeakMap<Uint8Array, string>();
export async function signerName(signer: Signer): Promise<string> {
  const [der] = await signer.certificates();
  if (!der) return signer.label;
  let name = names.get(der);
  if (name === undefined) {
    const cn = parseCertificate(der).subject.typesAndValues.find((t) => t.type === '2.5.4.3');
    name = cn ? String(cn.value.valueBlock.value) : signer.label;
    names.set(der, name);
  }
  return name;
}

/** Latin-1 only in the dictionary strings of the placeholder: other characters become their closest ASCII. */
const pdfText = (s: string): string =>
  s
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/đ/g, 'd')
    .replace(/Đ/g, 'D')
    .replace(/[^\x20-\x7e]/g, '?')
    .replace(/[()\\]/g, ' ');

/** Signs `pdf` (as saved by pdf-lib without object streams, or already signed) and returns the new bytes. */
export async function signPdf(pdf: Uint8Array, signer: Signer, meta: SignatureMeta): Promise<Uint8Array> {
  const signingTime = meta.signingTime ?? new Date();
  const name = meta.name ?? (await signerName(signer));
  const withPlaceholder = plainAddPlaceholder({
    pdfBuffer: Buffer.from(pdf.buffer, pdf.byteOffset, pdf.byteLength),
    reason: pdfText(meta.reason),
    contactInfo: pdfText(meta.contactInfo ?? ''),
    name: pdfText(name),
    location: pdfText(meta.location ?? ''),
    signingTime,
    signatureLength: SIGNATURE_LENGTH,
    subFilter: SUBFILTER_ETSI_CADES_DETACHED,
    appName: 'Motcua',
  });
  const signed = await new SignPdf().sign(withPlaceholder, new CadesSigner(signer), signingTime);
  return new Uint8Array(signed.buffer, signed.byteOffset, signed.byteLength);
}
