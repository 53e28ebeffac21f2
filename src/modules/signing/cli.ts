/**
 * `motcua pki init [--force]`: a development root CA and the agency's PKCS#12 in the
 * folder of MOTCUA_SIGNING_P12 (default <data>/pki), with the trust anchor PEM. Never
 * prints the password. Production uses the province's real certificates (docs/signing.md).
 */
import { dirname, basename } from 'node:path';
import type { SigningConfig } from '../../config.ts';
import { DEV_IDENTITIES } from './configured.ts';
import { initDevPki } from './pki.ts';

export async function pkiCommand(s: SigningConfig, args: string[]): Promise<number | undefined> {
  if (args[0] !== 'init') return undefined;
  if (s.p12Password === undefined) {
    console.error('Set MOTCUA_SIGNING_P12_PASSWORD (the password of the PKCS#12 to create). / Đặt MOTCUA_SIGNING_P12_PASSWORD.');
    return 2;
  }
  const r = await initDevPki(dirname(s.p12Path), DEV_IDENTITIES.map((i) => ({ ...i, file: basename(s.p12Path) })), s.p12Password, { force: args.includes('--force') });
  if (!r.created) {
    console.log(`A PKI already exists in ${r.dir} (use --force to replace it). / Đã có, dùng --force để tạo lại.`);
    return 0;
  }
  console.log(`Development PKI created (NOT FOR PRODUCTION) / Đã tạo hạ tầng khóa thử nghiệm (KHÔNG dùng thật):`);
  console.log(`  root CA:        ${r.dir}/root-ca.pem`);
  console.log(`  trust anchors:  ${r.trustAnchorsPath}`);
  for (const p of r.p12) console.log(`  PKCS#12:        ${p.path} (${p.commonName})`);
  if (s.trustAnchorsPath !== r.trustAnchorsPath) console.log(`Note: MOTCUA_TRUST_ANCHORS is ${s.trustAnchorsPath}; add the root there to trust these signatures.`);
  return 0;
}
