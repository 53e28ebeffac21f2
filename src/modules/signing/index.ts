/**
 * Signing PDFs (PAdES): PKCS#12 and remote (CSC) signers, the development PKI.
 * The module's one public face: other modules, the pages and the CLI import only this file.
 */
export { pkiCommand } from './cli.ts';
export { configuredSigner } from './configured.ts';
export { signPdf } from './pades.ts';
export { type SignatureMeta, type Signer } from './types.ts';
