/**
 * Verification of the access tokens the API accepts: JWTs signed by the configured
 * OpenID provider (the bundled sandbox, VNeID, the province's Keycloak), for our
 * audience, not expired. The result is a Principal; every refusal is one AppError
 * (401 `unauthenticated`), so a caller learns nothing about which check failed
 * except "expired" (so a client knows to refresh).
 *
 * Keys come from the issuer's `jwks_uri` (read once from its discovery document,
 * then cached and refreshed by jose when an unknown `kid` shows up), or from a local
 * key set given by the caller (the in-process sandbox: no HTTP call per request).
 */
import { createRemoteJWKSet, errors as joseErrors, jwtVerify, type JWTPayload, type JWTVerifyGetKey } from 'jose';
import { AppError } from '../../shared/errors.ts';
import type { Principal } from './principal.ts';

export type { Principal } from './principal.ts';

/** Which claim of the token holds each field of the Principal (dots reach into objects: `realm_access.roles`). */
export interface ClaimMap {
  roles: string;
  name: string;
  personalId: string;
  taxCode: string;
  agencyCode: string;
  acr: string;
  birthdate: string;
  /** On a business's token: the person acting for it. */
  representativePersonalId: string;
  representativeName: string;
}

/** Our own claim names, issued by the sandbox; a national provider's names map onto these through `claimMap`. */
export const DEFAULT_CLAIM_MAP: Readonly<ClaimMap> = Object.freeze({
  roles: 'roles',
  name: 'name',
  personalId: 'pid',
  taxCode: 'tax_code',
  agencyCode: 'agency_code',
  acr: 'acr',
  birthdate: 'birthdate',
  representativePersonalId: 'rep_pid',
  representativeName: 'rep_name',
});

/** Asymmetric signatures only: `none` and HMAC (a shared secret) are never accepted. */
export const DEFAULT_ALGORITHMS: readonly string[] = Object.freeze(['RS256', 'PS256', 'ES256', 'ES384', 'EdDSA', 'Ed25519']);

export interface AccessTokenVerifierOptions {
  /** Issuer identifier, exactly as in the tokens' `iss` and the discovery document. */
  issuer: string;
  /** The audience (`aud`) tokens must carry, e.g. `motcua-api`. */
  audience: string;
  /** A key set to verify with (jose `createLocalJWKSet`/`createRemoteJWKSet`); default: the issuer's `jwks_uri` from discovery. */
  jwks?: JWTVerifyGetKey;
  /** Allowed difference between clocks, for `exp`/`nbf`/`iat`; default 30 s. */
  clockToleranceSec?: number;
  /** Claim names of the provider, for the fields that differ from DEFAULT_CLAIM_MAP. */
  claimMap?: Partial<ClaimMap>;
  /** Signature algorithms accepted; default DEFAULT_ALGORITHMS. */
  algorithms?: readonly string[];
  /** When set, the JWT header `typ` must be this (e.g. `at+jwt`, RFC 9068). */
  requiredTyp?: string;
  /** Timeout of the discovery and key set requests; default 5000 ms. */
  timeoutMs?: number;
  /** The current time (tests). */
  now?: () => Date;
}

export interface AccessTokenVerifier {
  /** The caller behind a bearer token, or an AppError (401 unauthenticated; 503 when the provider's keys cannot be fetched). */
  verify(token: string): Promise<Principal>;
}

const CACHE_MS = 5 * 60 * 1000;
const CACHE_ENTRIES = 10_000;

/** Longer than any reasonable access token: refused before any parsing. */
const MAX_TOKEN_LENGTH = 16 * 1024;

const invalidToken = (reason: 'invalid' | 'expired'): AppError =>
  new AppError(
    'unauthenticated',
    'unauthenticated',
    reason === 'expired'
      ? { vi: 'Mã truy cập đã hết hạn, vui lòng đăng nhập lại', en: 'The access token has expired; please log in again' }
      : { vi: 'Mã truy cập không hợp lệ', en: 'The access token is not valid' },
    { field: 'authorization', extra: { reason } },
  );

const providerUnavailable = (): AppError =>
  new AppError('unavailable', 'identity_provider_unavailable', {
    vi: 'Không kiểm tra được mã truy cập: nhà cung cấp định danh không phản hồi, vui lòng thử lại sau',
    en: 'Could not check the access token: the identity provider does not answer; please try again later',
  });

export function createAccessTokenVerifier(opts: AccessTokenVerifierOptions): AccessTokenVerifier {
  const issuer = opts.issuer;
  const claims: ClaimMap = { ...DEFAULT_CLAIM_MAP, ...opts.claimMap };
  const algorithms = [...(opts.algorithms ?? DEFAULT_ALGORITHMS)];
  if (algorithms.some((a) => a === 'none' || a.startsWith('HS'))) throw new TypeError('access tokens must be verified with an asymmetric algorithm');
  const clockTolerance = opts.clockToleranceSec ?? 30;
  const timeoutMs = opts.timeoutMs ?? 5000;

  let keys: Promise<JWTVerifyGetKey> | undefined = opts.jwks ? Promise.resolve(opts.jwks) : undefined;
  const getKeys = (): Promise<JWTVerifyGetKey> => {
    keys ??= discoverJwks(issuer, timeoutMs).catch((err: unknown) => {
      keys = undefined; // try discovery again on the next request
      throw err;
    });
    return keys;
  };

  // A token already verified is not verified again until it expires (at most CACHE_MS):
  // signature checks are most of a request's CPU otherwise. Access tokens cannot be
  // revoked anyway; the cache only ever holds tokens that passed every check.
  const cache = new Map<string, { principal: Principal; until: number }>();
  const nowMs = (): number => (opts.now ? opts.now().getTime() : Date.now());

  return {
    async verify(token: string): Promise<Principal> {
      if (typeof token !== 'string' || token.length === 0 || token.length > MAX_TOKEN_LENGTH) throw invalidToken('invalid');
      const hit = cache.get(token);
      if (hit !== undefined) {
        if (hit.until > nowMs()) return structuredClone(hit.principal);
        cache.delete(token);
      }
      let jwks: JWTVerifyGetKey;
      try {
        jwks = await getKeys();
      } catch {
        throw providerUnavailable();
      }
      let payload: JWTPayload;
      try {
        ({ payload } = await jwtVerify(token, jwks, {
          issuer,
          audience: opts.audience,
          algorithms,
          clockTolerance,
          requiredClaims: ['exp', 'sub'],
          ...(opts.requiredTyp !== undefined ? { typ: opts.requiredTyp } : {}),
          ...(opts.now ? { currentDate: opts.now() } : {}),
        }));
      } catch (err) {
        throw classify(err, opts.jwks === undefined);
      }
      const principal = toPrincipal(payload, claims);
      if (cache.size >= CACHE_ENTRIES) cache.delete(cache.keys().next().value as string);
      cache.set(token, { principal: structuredClone(principal), until: Math.min((payload.exp ?? 0) * 1000, nowMs() + CACHE_MS) });
      return principal;
    },
  };
}

/** The issuer's key set, from the `jwks_uri` of its discovery document (whose `issuer` must be ours). */
async function discoverJwks(issuer: string, timeoutMs: number): Promise<JWTVerifyGetKey> {
  const res = await fetch(`${issuer.replace(/\/+$/, '')}/.well-known/openid-configuration`, {
    headers: { accept: 'application/json' },
    signal: AbortSignal.timeout(timeoutMs),
    redirect: 'error',
  });
  if (!res.ok) throw new Error(`discovery answered ${res.status}`);
  const doc = (await res.json()) as { issuer?: unknown; jwks_uri?: unknown };
  if (doc.issuer !== issuer) throw new Error('discovery document names another issuer');
  if (typeof doc.jwks_uri !== 'string') throw new Error('discovery document has no jwks_uri');
  return createRemoteJWKSet(new URL(doc.jwks_uri), { timeoutDuration: timeoutMs });
}

/** A jose error into our refusal; anything else came from fetching a remote key set (network), or is a malformed token. */
function classify(err: unknown, remoteKeys: boolean): AppError {
  if (err instanceof joseErrors.JWTExpired) return invalidToken('expired');
  if (err instanceof joseErrors.JOSEError) {
    // The provider's keys could not be fetched or read: not the caller's fault.
    if (err instanceof joseErrors.JWKSTimeout || err instanceof joseErrors.JWKSInvalid || err.code === 'ERR_JOSE_GENERIC') return providerUnavailable();
    return invalidToken('invalid');
  }
  return remoteKeys ? providerUnavailable() : invalidToken('invalid');
}

/** A claim by name, or by a dotted path into nested objects when no claim has that exact name. */
function readClaim(payload: JWTPayload, name: string): unknown {
  if (name in payload) return payload[name];
  let v: unknown = payload;
  for (const part of name.split('.')) {
    if (v === null || typeof v !== 'object' || Array.isArray(v)) return undefined;
    v = (v as Record<string, unknown>)[part];
  }
  return v;
}

/** Strings only: a personal id or tax code sent as a number has lost its leading zeros (004… → 4…), so it is not trusted. */
const optionalString = (payload: JWTPayload, name: string): string | undefined => {
  const v = readClaim(payload, name);
  return typeof v === 'string' && v.length > 0 ? v : undefined;
};

function toPrincipal(payload: JWTPayload, map: ClaimMap): Principal {
  const sub = payload.sub;
  if (typeof sub !== 'string' || sub.length === 0) throw invalidToken('invalid');
  const rawRoles = readClaim(payload, map.roles);
  // An array of names, or one space-separated string (as some providers send scopes).
  const roles = Array.isArray(rawRoles)
    ? rawRoles.filter((r): r is string => typeof r === 'string' && r.length > 0)
    : typeof rawRoles === 'string'
      ? rawRoles.split(/\s+/).filter((r) => r.length > 0)
      : [];
  const p: Principal = { sub, roles: [...new Set(roles)] };
  const name = optionalString(payload, map.name);
  const personalId = optionalString(payload, map.personalId);
  const taxCode = optionalString(payload, map.taxCode);
  const agencyCode = optionalString(payload, map.agencyCode);
  const acr = optionalString(payload, map.acr);
  if (name !== undefined) p.name = name;
  if (personalId !== undefined) p.personalId = personalId;
  if (taxCode !== undefined) p.taxCode = taxCode;
  if (agencyCode !== undefined) p.agencyCode = agencyCode;
  if (acr !== undefined) p.acr = acr;
  // Identity claims are checked like any input: a provider sending a malformed one is refused, not half-trusted.
  if (personalId !== undefined && !PERSONAL_ID.test(personalId)) throw malformedClaim(map.personalId);
  if (taxCode !== undefined && !TAX_CODE.test(taxCode)) throw malformedClaim(map.taxCode);
  const birthdate = optionalString(payload, map.birthdate);
  if (birthdate !== undefined) {
    if (!isCalendarDate(birthdate)) throw malformedClaim(map.birthdate);
    p.birthdate = birthdate;
  }
  const repId = optionalString(payload, map.representativePersonalId);
  const repName = optionalString(payload, map.representativeName);
  if (repId !== undefined || repName !== undefined) {
    if (repId === undefined || !PERSONAL_ID.test(repId)) throw malformedClaim(map.representativePersonalId);
    if (repName === undefined) throw malformedClaim(map.representativeName);
    p.representative = { personalId: repId, name: repName };
  }
  return p;
}

/** Personal identification number: 12 digits. Tax code: 10 digits, or 13 for a branch (written with or without its hyphen). */
const PERSONAL_ID = /^\d{12}$/;
const TAX_CODE = /^\d{10}(-?\d{3})?$/;

function isCalendarDate(s: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(s)) return false;
  const d = new Date(`${s}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === s;
}

const malformedClaim = (claim: string): AppError =>
  new AppError(
    'unauthenticated',
    'unauthenticated',
    { vi: `Mã truy cập có thông tin định danh sai định dạng (${claim})`, en: `The access token carries a malformed identity claim (${claim})` },
    { field: 'authorization', extra: { reason: 'malformed_claim', claim } },
  );
