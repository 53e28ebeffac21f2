/**
 * The signer the configuration names: a remote CSC service, or the agency's PKCS#12
 * (in the demo, a development PKI made on first use). Loaded once, lazily: a server
 * that never signs never reads the key.
 */
import { access } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { SigningConfig } from '../../config.ts';
import { createCscSigner } from './csc.ts';
import { loadP12Signer } from './p12.ts';
import { initDevPki } from './pki.ts';
import type { Signer } from './types.ts';
import { systemClock, type Clock } from '../../shared/clock.ts';

const exists = (p: string) => access(p).then(() => true, () => false);

/** The development identities `motcua pki init` makes: the demo agencies' seals. */
export const DEV_IDENTITIES = [{ commonName: 'Ủy ban nhân dân phường Thục Phán', organization: 'Ủy ban nhân dân tỉnh Cao Bằng', file: 'agency.p12' }];

/** The development PKI, made on first use with certificates valid from the clock's today. */
export async function ensureDevPki(s: SigningConfig, clock: Clock = systemClock): Promise<void> {
  if (await exists(s.p12Path)) return;
  if (s.p12Password === undefined) throw new Error('no PKCS#12 password configured (MOTCUA_SIGNING_P12_PASSWORD)');
  await initDevPki(dirname(s.p12Path), DEV_IDENTITIES.map((i) => ({ ...i, file: s.p12Path.split('/').pop() ?? 'agency.p12' })), s.p12Password, { now: clock.now() });
}

export function configuredSigner(s: SigningConfig, clock: Clock = systemClock): () => Promise<Signer> {
  let signer: Promise<Signer> | undefined;
  return () => {
    signer ??= (async () => {
      if (s.csc) return createCscSigner({ baseUrl: s.csc.url, credentialId: s.csc.credentialId, accessToken: s.csc.accessToken, ...(s.csc.pin !== undefined ? { pin: s.csc.pin } : {}) });
      if (s.p12Password === undefined) throw new Error('signing is not configured: set MOTCUA_SIGNING_P12 and MOTCUA_SIGNING_P12_PASSWORD, or MOTCUA_CSC_URL');
      if (s.devPki) await ensureDevPki(s, clock);
      return loadP12Signer(s.p12Path, s.p12Password);
    })();
    // A failed load is tried again next time (the file may be fixed without a restart).
    signer.catch(() => (signer = undefined));
    return signer;
  };
}
