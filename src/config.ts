import { resolve } from 'node:path';
import { parseFileStoreConfig, type FileStoreConfig } from './modules/files/index.ts';
import { parseTrustProxy, type TrustProxy } from './http/trust-proxy.ts';

/** Every setting of Motcua, read from the environment once and validated at start. */
export interface Config {
  port: number;
  host: string;
  publicUrl: string;
  dataDir: string;
  databaseUrl: string | undefined;
  dbPoolSize: number;
  demo: boolean;
  fileStoreDir: string;
  /** Where files are kept: the folder `fileStoreDir` (default) or an S3-compatible bucket (MOTCUA_FILE_STORE=s3, MOTCUA_S3_*). */
  fileStore: FileStoreConfig;
  fileMaxBytes: number;
  bodyLimitBytes: number;
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  /** The bundled sandbox identity provider: on in the demo, never in production unless asked. */
  sandboxIdp: boolean;
  oidcIssuer: string;
  oidcAudience: string;
  webhookUrl: string | undefined;
  webhookSecret: string | undefined;
  workers: boolean;
  /** The relying party of browser logins (/auth/*): client registered at the issuer. */
  oidcClientId: string;
  /** Set for a confidential client (Keycloak); the sandbox's `motcua-web` is public (PKCE only). */
  oidcClientSecret: string | undefined;
  /** Claim names of the provider's access tokens, where they differ from Motcua's own (dotted paths reach nested claims: `realm_access.roles`). */
  oidcClaimMap: {
    roles?: string;
    name?: string;
    personalId?: string;
    taxCode?: string;
    agencyCode?: string;
    acr?: string;
    birthdate?: string;
    representativePersonalId?: string;
    representativeName?: string;
  };
  /**
   * Identity assurance: the provider's `acr` values from lowest to highest
   * (MOTCUA_ACR_LEVELS, default `level1,level2` as the national identity's levels), and
   * the lowest that may submit a dossier (MOTCUA_SUBMIT_MIN_ACR, default `level2`).
   */
  assurance: { levels: string[]; submitMin: string };
  /** Scopes asked for at browser login. */
  oidcScope: string;
  /** Resource indicator (RFC 8707) sent with the login, when the provider needs one (the sandbox does). */
  oidcResource: string | undefined;
  /** Absolute lifetime of a browser session, seconds. */
  sessionMaxAgeSec: number;
  /** A browser session not used for this long ends, seconds. */
  sessionIdleSec: number;
  /** Rate limits; `MOTCUA_RATE_LIMITS=off` turns them all off (load tests on a trusted network). */
  rateLimits: { enabled: boolean; perAddressPerMinute: number; perAccountPerMinute: number; loginPerMinute: number };
  /** Reverse proxies trusted for the client's address (X-Forwarded-For): MOTCUA_TRUST_PROXY, see src/http/trust-proxy.ts. */
  trustProxy: TrustProxy;
  /** Signed slips and results: the agency's PKCS#12 or a remote signer (CSC API); trust anchors for verification. */
  signing: SigningConfig;
}

export interface SigningConfig {
  /** The agency's PKCS#12 file (MOTCUA_SIGNING_P12; default `<data>/pki/agency.p12`). */
  p12Path: string;
  /** Its password: a secret, never logged (MOTCUA_SIGNING_P12_PASSWORD; the demo uses a development one). */
  p12Password: string | undefined;
  /** PEM file of the trusted root certificates (MOTCUA_TRUST_ANCHORS; default `<data>/pki/trust-anchors.pem`). */
  trustAnchorsPath: string;
  /** Create a development root and agency certificate when the PKCS#12 is missing (demo only; MOTCUA_SIGNING_DEV_PKI). */
  devPki: boolean;
  /** A remote signing service shaped like the Cloud Signature Consortium API, instead of the PKCS#12. */
  csc: { url: string; credentialId: string; accessToken: string; pin: string | undefined } | undefined;
  /** Generate the slips and results as dossiers move (MOTCUA_DOCUMENTS=on|off; on when a signer is configured). */
  documents: boolean;
  /** The place in the dateline of documents (MOTCUA_DOCUMENT_PLACE, e.g. `Cao Bằng`). */
  place: string;
}

export class ConfigError extends Error {
  readonly problems: string[];
  constructor(problems: string[]) {
    super(`Invalid configuration / Cấu hình không hợp lệ:\n  - ${problems.join('\n  - ')}`);
    this.name = 'ConfigError';
    this.problems = problems;
  }
}

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const problems: string[] = [];
  const int = (name: string, def: number, min: number, max: number): number => {
    const raw = env[name];
    if (raw === undefined || raw === '') return def;
    const n = Number(raw);
    if (!Number.isInteger(n) || n < min || n > max) {
      problems.push(`${name}=${JSON.stringify(raw)}: must be an integer from ${min} to ${max} / phải là số nguyên từ ${min} đến ${max}`);
      return def;
    }
    return n;
  };
  const bool = (name: string, def: boolean): boolean => {
    const raw = env[name];
    if (raw === undefined || raw === '') return def;
    if (['1', 'true', 'yes', 'on'].includes(raw.toLowerCase())) return true;
    if (['0', 'false', 'no', 'off'].includes(raw.toLowerCase())) return false;
    problems.push(`${name}=${JSON.stringify(raw)}: must be 1/0, true/false, on/off / phải là 1 hoặc 0`);
    return def;
  };
  const url = (name: string, raw: string | undefined, protocols: string[]): string | undefined => {
    if (raw === undefined || raw === '') return undefined;
    try {
      const u = new URL(raw);
      if (!protocols.includes(u.protocol)) throw new Error('protocol');
      return raw;
    } catch {
      problems.push(`${name}: not a valid ${protocols.join(' or ')} URL / không phải địa chỉ URL hợp lệ`);
      return undefined;
    }
  };

  const port = int('PORT', 3000, 0, 65535);
  const host = env.HOST || '127.0.0.1';
  const publicUrl = (url('MOTCUA_PUBLIC_URL', env.MOTCUA_PUBLIC_URL, ['http:', 'https:']) ?? `http://localhost:${port}`).replace(/\/+$/, '');
  const dataDir = resolve(env.MOTCUA_DATA_DIR || './data');
  const demo = bool('MOTCUA_DEMO', false);
  const logLevel = (env.LOG_LEVEL || 'info') as Config['logLevel'];
  if (!LOG_LEVELS.includes(logLevel)) problems.push(`LOG_LEVEL: one of ${LOG_LEVELS.join(', ')} / một trong các giá trị trên`);
  const sandboxIdp = bool('MOTCUA_SANDBOX_IDP', demo);
  const issuerRaw = url('MOTCUA_OIDC_ISSUER', env.MOTCUA_OIDC_ISSUER, ['http:', 'https:']);
  if (!sandboxIdp && issuerRaw === undefined) {
    problems.push('MOTCUA_OIDC_ISSUER: required when the sandbox identity provider is off (MOTCUA_SANDBOX_IDP=0) / bắt buộc khi tắt nhà cung cấp định danh thử nghiệm');
  }
  const webhookUrl = url('MOTCUA_WEBHOOK_URL', env.MOTCUA_WEBHOOK_URL, ['http:', 'https:']);
  const webhookSecret = env.MOTCUA_WEBHOOK_SECRET || undefined;
  if (webhookUrl !== undefined && (webhookSecret === undefined || webhookSecret.length < 16)) {
    problems.push('MOTCUA_WEBHOOK_SECRET: required with MOTCUA_WEBHOOK_URL, at least 16 characters / bắt buộc, tối thiểu 16 ký tự');
  }
  const databaseUrl = url('DATABASE_URL', env.DATABASE_URL, ['postgres:', 'postgresql:']);
  const oidcResource = url('MOTCUA_OIDC_RESOURCE', env.MOTCUA_OIDC_RESOURCE, ['http:', 'https:']) ?? (issuerRaw === undefined && sandboxIdp ? `${publicUrl}/api` : undefined);
  const oidcScope = (env.MOTCUA_OIDC_SCOPE || (issuerRaw === undefined && sandboxIdp ? 'openid profile motcua api offline_access' : 'openid profile')).trim();
  if (!oidcScope.split(/\s+/).includes('openid')) problems.push('MOTCUA_OIDC_SCOPE: must include openid / phải có openid');
  const oidcClaimMap: Config['oidcClaimMap'] = {};
  const claimSettings = [
    ['roles', 'ROLES'], ['name', 'NAME'], ['personalId', 'PERSONAL_ID'], ['taxCode', 'TAX_CODE'], ['agencyCode', 'AGENCY_CODE'], ['acr', 'ACR'],
    ['birthdate', 'BIRTHDATE'], ['representativePersonalId', 'REPRESENTATIVE_PERSONAL_ID'], ['representativeName', 'REPRESENTATIVE_NAME'],
  ] as const;
  for (const [key, name] of claimSettings) {
    const raw = env[`MOTCUA_OIDC_CLAIM_${name}`];
    if (raw === undefined || raw === '') continue;
    if (!/^[A-Za-z0-9_:/-]+(\.[A-Za-z0-9_:/-]+)*$/.test(raw) || raw.length > 200) problems.push(`MOTCUA_OIDC_CLAIM_${name}: a claim name or a dotted path (realm_access.roles) / tên claim hoặc đường dẫn có dấu chấm`);
    else oidcClaimMap[key] = raw;
  }
  const acrLevels = (env.MOTCUA_ACR_LEVELS || 'level1,level2').split(',').map((s) => s.trim()).filter((s) => s !== '');
  if (acrLevels.length === 0 || new Set(acrLevels).size !== acrLevels.length || acrLevels.some((l) => !/^[\w.:/-]{1,100}$/.test(l))) {
    problems.push('MOTCUA_ACR_LEVELS: acr values from lowest to highest, comma-separated, each once / các mức acr từ thấp đến cao, cách nhau bởi dấu phẩy, không lặp');
  }
  const submitMinAcr = env.MOTCUA_SUBMIT_MIN_ACR || 'level2';
  if (!acrLevels.includes(submitMinAcr)) problems.push(`MOTCUA_SUBMIT_MIN_ACR: must be one of MOTCUA_ACR_LEVELS (${acrLevels.join(', ')}) / phải là một mức trong MOTCUA_ACR_LEVELS`);
  const sessionMaxAgeSec = int('MOTCUA_SESSION_MAX_AGE', 12 * 3600, 300, 30 * 24 * 3600);
  const sessionIdleSec = int('MOTCUA_SESSION_IDLE', 3600, 60, 30 * 24 * 3600);
  const trustProxy = parseTrustProxy(env.MOTCUA_TRUST_PROXY);
  if (trustProxy.problem !== undefined) problems.push(trustProxy.problem);
  const rateLimitsRaw = env.MOTCUA_RATE_LIMITS;
  let rateLimitsOn = true;
  if (rateLimitsRaw !== undefined && rateLimitsRaw !== '') {
    if (['on', '1', 'true', 'yes'].includes(rateLimitsRaw.toLowerCase())) rateLimitsOn = true;
    else if (['off', '0', 'false', 'no'].includes(rateLimitsRaw.toLowerCase())) rateLimitsOn = false;
    else problems.push(`MOTCUA_RATE_LIMITS=${JSON.stringify(rateLimitsRaw)}: must be on or off / phải là on hoặc off`);
  }

  // Signing: secrets (password, token, PIN) are kept in the config object only, never in messages.
  const devPki = bool('MOTCUA_SIGNING_DEV_PKI', demo);
  const p12Password = env.MOTCUA_SIGNING_P12_PASSWORD || (devPki ? 'motcua-dev-only' : undefined);
  const cscUrl = url('MOTCUA_CSC_URL', env.MOTCUA_CSC_URL, ['http:', 'https:']);
  let csc: SigningConfig['csc'];
  if (cscUrl !== undefined) {
    const credentialId = env.MOTCUA_CSC_CREDENTIAL_ID || '';
    const accessToken = env.MOTCUA_CSC_ACCESS_TOKEN || '';
    if (credentialId === '' || accessToken === '') problems.push('MOTCUA_CSC_CREDENTIAL_ID and MOTCUA_CSC_ACCESS_TOKEN: required with MOTCUA_CSC_URL / bắt buộc khi dùng MOTCUA_CSC_URL');
    else csc = { url: cscUrl, credentialId, accessToken, pin: env.MOTCUA_CSC_PIN || undefined };
  }
  const documentsRaw = env.MOTCUA_DOCUMENTS;
  let documents = csc !== undefined || p12Password !== undefined;
  if (documentsRaw !== undefined && documentsRaw !== '') {
    if (['on', '1', 'true', 'yes'].includes(documentsRaw.toLowerCase())) documents = true;
    else if (['off', '0', 'false', 'no'].includes(documentsRaw.toLowerCase())) documents = false;
    else problems.push(`MOTCUA_DOCUMENTS=${JSON.stringify(documentsRaw)}: must be on or off / phải là on hoặc off`);
  }
  if (documents && csc === undefined && p12Password === undefined) {
    problems.push('MOTCUA_SIGNING_P12_PASSWORD (or MOTCUA_CSC_URL): required to sign documents (MOTCUA_DOCUMENTS=on) / cần để ký số giấy tờ');
  }
  const signing: SigningConfig = {
    p12Path: resolve(env.MOTCUA_SIGNING_P12 || `${dataDir}/pki/agency.p12`),
    p12Password,
    trustAnchorsPath: resolve(env.MOTCUA_TRUST_ANCHORS || `${dataDir}/pki/trust-anchors.pem`),
    devPki,
    csc,
    documents,
    place: env.MOTCUA_DOCUMENT_PLACE || 'Cao Bằng',
  };

  const config: Config = {
    port,
    host,
    publicUrl,
    dataDir,
    databaseUrl,
    dbPoolSize: int('MOTCUA_DB_POOL', 20, 1, 500),
    demo,
    fileStoreDir: resolve(env.MOTCUA_FILE_STORE_DIR || `${dataDir}/files`),
    fileStore: parseFileStoreConfig(env, resolve(env.MOTCUA_FILE_STORE_DIR || `${dataDir}/files`), problems),
    fileMaxBytes: int('MOTCUA_FILE_MAX_BYTES', 20 * 1024 * 1024, 1024, 1024 * 1024 * 1024),
    bodyLimitBytes: int('MOTCUA_BODY_LIMIT_BYTES', 1024 * 1024, 1024, 64 * 1024 * 1024),
    logLevel,
    sandboxIdp,
    oidcIssuer: issuerRaw ?? `${publicUrl}/oidc`,
    oidcAudience: env.MOTCUA_OIDC_AUDIENCE || 'motcua-api',
    webhookUrl,
    webhookSecret,
    workers: bool('MOTCUA_WORKERS', true),
    oidcClaimMap,
    assurance: { levels: acrLevels, submitMin: submitMinAcr },
    oidcClientId: env.MOTCUA_OIDC_CLIENT_ID || 'motcua-web',
    oidcClientSecret: env.MOTCUA_OIDC_CLIENT_SECRET || undefined,
    oidcScope,
    oidcResource,
    sessionMaxAgeSec,
    sessionIdleSec,
    rateLimits: {
      enabled: rateLimitsOn,
      perAddressPerMinute: int('MOTCUA_RATE_LIMIT_ADDRESS', 3000, 1, 10_000_000),
      perAccountPerMinute: int('MOTCUA_RATE_LIMIT_ACCOUNT', 600, 1, 10_000_000),
      loginPerMinute: int('MOTCUA_RATE_LIMIT_LOGIN', 30, 1, 1_000_000),
    },
    signing,
    trustProxy: trustProxy.value,
  };
  if (problems.length > 0) throw new ConfigError(problems);
  return config;
}
