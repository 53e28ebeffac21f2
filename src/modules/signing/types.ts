/**
 * One interface for every way of signing: a PKCS#12 file on this server, a hardware
 * module, or a remote signing service speaking the Cloud Signature Consortium API.
 * A signer signs a SHA-256 hash (RSA PKCS#1 v1.5); the CMS and the PDF are built here.
 */
export interface Signer {
  /** A label for logs and the signature dictionary (never a secret). */
  readonly label: string;
  /** The signing certificate first, then the rest of its chain, DER. */
  certificates(): Promise<Uint8Array[]>;
  /** RSA PKCS#1 v1.5 signature of a SHA-256 digest (32 bytes). */
  signHash(sha256: Uint8Array): Promise<Uint8Array>;
}

/** What the signature dictionary of the PDF says about a signature. */
export interface SignatureMeta {
  /** Who signs, as shown by readers (`/Name`); default: the certificate's common name. */
  name?: string;
  /** Why (`/Reason`), e.g. `Phê duyệt kết quả`. */
  reason: string;
  location?: string;
  contactInfo?: string;
  /** Default: now. */
  signingTime?: Date;
}
