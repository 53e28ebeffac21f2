/**
 * Remote signing shaped like the Cloud Signature Consortium API v1 (credentials/info,
 * credentials/authorize, signatures/signHash): the key stays in the service (an HSM, a
 * provider's cloud signing), Motcua sends only the hash. Plus a small sandbox server
 * speaking the same calls over a local key, for tests and demos.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { OID } from './cms.ts';
import { rsaSignDigest, type KeyAndChain } from './p12.ts';
import type { Signer } from './types.ts';

export interface CscClientOptions {
  /** Base URL of the service, ending before `/csc/v1`, e.g. `https://sign.example.vn`. */
  baseUrl: string;
  credentialId: string;
  /** OAuth 2.0 access token for the service (service or credential scope). */
  accessToken: string;
  /** PIN for explicit authorization of each signature (SAD), when the credential needs one. */
  pin?: string;
  fetch?: typeof fetch;
}

export function createCscSigner(o: CscClientOptions): Signer {
  const f = o.fetch ?? fetch;
  const call = async <T>(path: string, body: Record<string, unknown>): Promise<T> => {
    const res = await f(`${o.baseUrl.replace(/\/+$/, '')}/csc/v1/${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${o.accessToken}` },
      body: JSON.stringify(body),
    });
    const json = (await res.json().catch(() => ({}))) as T & { error?: string; error_description?: string };
    if (!res.ok) throw new Error(`remote signing service: ${path} answered ${res.status} ${json.error ?? ''} ${json.error_description ?? ''}`.trim());
    return json;
  };
  let chain: Uint8Array[] | undefined;
  return {
    label: `csc:${o.baseUrl}#${o.credentialId}`,
    async certificates() {
      if (!chain) {
        const info = await call<{ cert?: { certificates?: string[]; status?: string } }>('credentials/info', { credentialID: o.credentialId, certificates: 'chain', certInfo: false });
        const certs = info.cert?.certificates ?? [];
        if (certs.length === 0) throw new Error('remote signing service: the credential has no certificate');
        chain = certs.map((c) => new Uint8Array(Buffer.from(c, 'base64')));
      }
      return chain;
    },
    async signHash(hash) {
      const hashes = [Buffer.from(hash).toString('base64')];
      const { SAD } = await call<{ SAD: string }>('credentials/authorize', { credentialID: o.credentialId, numSignatures: 1, hashes, ...(o.pin !== undefined ? { PIN: o.pin } : {}) });
      const r = await call<{ signatures?: string[] }>('signatures/signHash', { credentialID: o.credentialId, SAD, hashes, hashAlgo: OID.sha256, signAlgo: OID.rsaEncryption });
      const [sig] = r.signatures ?? [];
      if (!sig) throw new Error('remote signing service: no signature returned');
      return new Uint8Array(Buffer.from(sig, 'base64'));
    },
  };
}

export interface CscSandbox {
  url: string;
  server: Server;
  /** How many hashes it signed (tests check the key never left it). */
  signed(): number;
  close(): Promise<void>;
}

/** A sandbox CSC service on 127.0.0.1 over keys held in memory; one access token, one PIN per credential. */
export async function startCscSandbox(opts: { accessToken: string; credentials: Record<string, KeyAndChain & { pin: string }> }): Promise<CscSandbox> {
  const sads = new Map<string, { credentialId: string; hashes: string[] }>();
  let count = 0;
  const server = createServer((req, res) => {
    const send = (status: number, body: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    let raw = '';
    req.setEncoding('utf8');
    req.on('data', (c: string) => (raw += c));
    req.on('end', () => {
      if (req.headers.authorization !== `Bearer ${opts.accessToken}`) return send(401, { error: 'invalid_token', error_description: 'The access token is not valid' });
      let body: Record<string, unknown>;
      try {
        body = JSON.parse(raw) as Record<string, unknown>;
      } catch {
        return send(400, { error: 'invalid_request', error_description: 'Malformed JSON' });
      }
      const id = String(body.credentialID ?? '');
      const cred = opts.credentials[id];
      if (!cred) return send(400, { error: 'invalid_request', error_description: 'Invalid parameter credentialID' });
      switch (req.url) {
        case '/csc/v1/credentials/info':
          return send(200, {
            key: { status: 'enabled', algo: [OID.rsaEncryption], len: 2048 },
            cert: { status: 'valid', certificates: cred.chain.map((c) => Buffer.from(c).toString('base64')) },
            authMode: 'explicit',
            PIN: { presence: 'true', format: 'N' },
            multisign: 1,
          });
        case '/csc/v1/credentials/authorize': {
          if (body.PIN !== cred.pin) return send(400, { error: 'invalid_pin', error_description: 'The PIN is invalid' });
          const hashes = Array.isArray(body.hashes) ? body.hashes.map(String) : [];
          const sad = crypto.randomUUID();
          sads.set(sad, { credentialId: id, hashes });
          return send(200, { SAD: sad, expiresIn: 300 });
        }
        case '/csc/v1/signatures/signHash': {
          const sad = sads.get(String(body.SAD ?? ''));
          sads.delete(String(body.SAD ?? ''));
          const hashes = Array.isArray(body.hashes) ? body.hashes.map(String) : [];
          if (!sad || sad.credentialId !== id || hashes.some((h) => !sad.hashes.includes(h))) return send(400, { error: 'invalid_request', error_description: 'Invalid SAD' });
          if (body.hashAlgo !== OID.sha256 || body.signAlgo !== OID.rsaEncryption) return send(400, { error: 'invalid_request', error_description: 'Unsupported algorithm' });
          count += hashes.length;
          return send(200, { signatures: hashes.map((h) => Buffer.from(rsaSignDigest(cred.key, Buffer.from(h, 'base64'))).toString('base64')) });
        }
        default:
          return send(404, { error: 'not_found' });
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    server,
    signed: () => count,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
