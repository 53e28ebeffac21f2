/**
 * Browser sessions: Motcua as an OpenID Connect relying party (openid-client), the
 * authorization code flow with PKCE, state and nonce against the configured issuer,
 * and server-side sessions in the database. The browser holds only a random session
 * id in an HttpOnly cookie; the tokens stay here. A session authenticates API calls
 * with the same Principal as its access token would (the token is verified by the
 * same verifier as a bearer token), refreshed with the refresh token when it expires.
 * A revoked, expired or idle session stops working on the next request.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import * as oidc from 'openid-client';
import type { Database, Queryable } from '../../db/database.ts';
import { AppError } from '../../shared/errors.ts';
import type { Principal } from '../identity/index.ts';

export interface SessionOptions {
  db: Database;
  /** The address users reach Motcua at; the redirect URI is `${publicUrl}/auth/callback`. */
  publicUrl: string;
  issuer: string;
  clientId: string;
  clientSecret: string | undefined;
  scope: string;
  resource: string | undefined;
  maxAgeSec: number;
  idleSec: number;
  /** The API's access token verifier: a session's principal is its access token's. */
  verifyToken: (token: string) => Promise<Principal>;
  now?: () => Date;
  /** Timeout of requests to the provider; default 10 s. */
  timeoutMs?: number;
}

export interface SessionInfo {
  idHash: string;
  sub: string;
  principal: Principal;
  csrfToken: string;
  createdAt: Date;
  expiresAt: Date;
}

export interface LoginStart {
  /** Random value for the login cookie. */
  loginId: string;
  authorizationUrl: string;
}

export interface LoginEnd {
  sessionId: string;
  returnTo: string;
  session: SessionInfo;
}

export interface SessionService {
  readonly redirectUri: string;
  readonly loginTtlSec: number;
  startLogin(returnTo: string | undefined): Promise<LoginStart>;
  finishLogin(loginId: string | undefined, callbackUrl: URL): Promise<LoginEnd>;
  /** The live session behind a cookie value, or undefined (unknown, revoked, expired, idle, refresh refused). */
  authenticate(sessionId: string): Promise<SessionInfo | undefined>;
  /** Revokes the session; returns where to send the browser to log out at the provider too (when it supports it). */
  logout(sessionId: string): Promise<{ endSessionUrl: string | undefined }>;
}

export const hashId = (id: string): string => createHash('sha256').update(id).digest('base64url');
const randomId = (): string => randomBytes(32).toString('base64url');

const LOGIN_TTL_SEC = 600;
/** Refresh this long before the access token expires. */
const REFRESH_SKEW_MS = 30_000;
/** last_seen_at is written at most this often per session. */
const TOUCH_EVERY_MS = 60_000;

/** A local path to go back to after login: `/…`, never `//host` or `/\host` (open redirect), no control characters. */
export function safeReturnTo(raw: string | undefined, publicUrl: string): string {
  if (raw === undefined || raw === '') return '/';
  const bad = (): AppError =>
    new AppError('bad_request', 'invalid_return_to', { vi: 'Địa chỉ quay lại phải là một đường dẫn trong Motcua (bắt đầu bằng /)', en: 'returnTo must be a path within Motcua (starting with /)' }, { field: 'query.returnTo' });
  // eslint-disable-next-line no-control-regex -- a return address with control characters is refused
  if (raw.length > 2048 || !raw.startsWith('/') || raw.startsWith('//') || /[\\\u0000-\u001f\u007f]/.test(raw)) throw bad();
  const base = new URL(publicUrl);
  let u: URL;
  try {
    u = new URL(raw, base);
  } catch {
    throw bad();
  }
  // Checked again once resolved: `/..//evil.example` resolves to the path `//evil.example`, which a browser reads as another site.
  if (u.origin !== base.origin || u.pathname.startsWith('//') || u.pathname.startsWith('/\\')) throw bad();
  return `${u.pathname}${u.search}${u.hash}`;
}

const loginFailed = (reason: string): AppError =>
  new AppError('bad_request', 'login_failed', { vi: 'Đăng nhập không thành công, vui lòng thử lại', en: 'The login did not succeed; please try again' }, { extra: { reason } });

const providerUnavailable = (): AppError =>
  new AppError('unavailable', 'identity_provider_unavailable', {
    vi: 'Nhà cung cấp định danh không phản hồi, vui lòng thử lại sau',
    en: 'The identity provider does not answer; please try again later',
  });

interface SessionRow {
  id_hash: string;
  sub: string;
  csrf_token: string;
  access_token: string;
  access_expires_at: Date | string;
  refresh_token: string | null;
  id_token: string | null;
  created_at: Date | string;
  last_seen_at: Date | string;
  expires_at: Date | string;
  revoked_at: Date | string | null;
}

const toDate = (v: Date | string): Date => (v instanceof Date ? v : new Date(v));

export function createSessionService(opts: SessionOptions): SessionService {
  const { db } = opts;
  const now = opts.now ?? (() => new Date());
  const timeoutMs = opts.timeoutMs ?? 10_000;
  const redirectUri = `${opts.publicUrl}/auth/callback`;
  const resourceParams = opts.resource !== undefined ? { resource: opts.resource } : undefined;

  let configuration: Promise<oidc.Configuration> | undefined;
  const rp = (): Promise<oidc.Configuration> => {
    configuration ??= oidc
      .discovery(new URL(opts.issuer), opts.clientId, undefined, opts.clientSecret !== undefined ? oidc.ClientSecretBasic(opts.clientSecret) : oidc.None(), {
        timeout: timeoutMs / 1000,
        ...(new URL(opts.issuer).protocol === 'http:' ? { execute: [oidc.allowInsecureRequests] } : {}),
      })
      .catch((err: unknown) => {
        configuration = undefined; // try discovery again next time
        throw err;
      });
    return configuration;
  };
  const rpOrUnavailable = async (): Promise<oidc.Configuration> => {
    try {
      return await rp();
    } catch {
      throw providerUnavailable();
    }
  };

  const expiresAtOf = (tokens: { expires_in?: number }, principalExp?: number): Date => {
    if (typeof tokens.expires_in === 'number') return new Date(now().getTime() + tokens.expires_in * 1000);
    if (principalExp !== undefined) return new Date(principalExp * 1000);
    return new Date(now().getTime() + 300_000);
  };

  const info = (row: SessionRow, principal: Principal): SessionInfo => ({
    idHash: row.id_hash,
    sub: row.sub,
    principal,
    csrfToken: row.csrf_token,
    createdAt: toDate(row.created_at),
    expiresAt: toDate(row.expires_at),
  });

  /** One refresh at a time per session in this process. */
  const refreshing = new Map<string, Promise<SessionRow | undefined>>();

  async function refresh(row: SessionRow): Promise<SessionRow | undefined> {
    if (row.refresh_token === null) return undefined;
    const config = await rpOrUnavailable();
    let tokens: oidc.TokenEndpointResponse;
    try {
      tokens = await oidc.refreshTokenGrant(config, row.refresh_token, resourceParams);
    } catch (err) {
      if (err instanceof oidc.ResponseBodyError) {
        // Another process may have refreshed with the same (rotated) refresh token just before.
        const again = await db.query<SessionRow>('SELECT * FROM auth_sessions WHERE id_hash = $1 AND revoked_at IS NULL', [row.id_hash]);
        const other = again.rows[0];
        if (other !== undefined && other.access_token !== row.access_token && toDate(other.access_expires_at).getTime() > now().getTime() + REFRESH_SKEW_MS) return other;
        await db.query('UPDATE auth_sessions SET revoked_at = $2 WHERE id_hash = $1 AND revoked_at IS NULL', [row.id_hash, now()]);
        return undefined;
      }
      throw providerUnavailable();
    }
    const accessExpires = expiresAtOf(tokens);
    const r = await db.query<SessionRow>(
      `UPDATE auth_sessions SET access_token = $2, access_expires_at = $3, refresh_token = COALESCE($4, refresh_token), id_token = COALESCE($5, id_token)
       WHERE id_hash = $1 AND revoked_at IS NULL RETURNING *`,
      [row.id_hash, tokens.access_token, accessExpires, tokens.refresh_token ?? null, tokens.id_token ?? null],
    );
    return r.rows[0];
  }

  return {
    redirectUri,
    loginTtlSec: LOGIN_TTL_SEC,

    async startLogin(returnToRaw) {
      const returnTo = safeReturnTo(returnToRaw, opts.publicUrl);
      const config = await rpOrUnavailable();
      const loginId = randomId();
      const verifier = oidc.randomPKCECodeVerifier();
      const state = oidc.randomState();
      const nonce = oidc.randomNonce();
      await db.query('DELETE FROM auth_logins WHERE expires_at < $1', [now()]);
      await db.query('INSERT INTO auth_logins (id_hash, state, nonce, code_verifier, return_to, expires_at) VALUES ($1, $2, $3, $4, $5, $6)', [
        hashId(loginId),
        state,
        nonce,
        verifier,
        returnTo,
        new Date(now().getTime() + LOGIN_TTL_SEC * 1000),
      ]);
      const scopes = opts.scope.split(/\s+/).filter((s) => s !== '');
      const url = oidc.buildAuthorizationUrl(config, {
        redirect_uri: redirectUri,
        scope: scopes.join(' '),
        code_challenge: await oidc.calculatePKCECodeChallenge(verifier),
        code_challenge_method: 'S256',
        state,
        nonce,
        ...(resourceParams ?? {}),
        // OpenID Connect: offline_access is only granted after an explicit consent.
        ...(scopes.includes('offline_access') ? { prompt: 'consent' } : {}),
      });
      return { loginId, authorizationUrl: url.href };
    },

    async finishLogin(loginId, callbackUrl) {
      if (loginId === undefined) throw loginFailed('no_login_cookie');
      const r = await db.query<{ state: string; nonce: string; code_verifier: string; return_to: string }>(
        'DELETE FROM auth_logins WHERE id_hash = $1 AND expires_at > $2 RETURNING state, nonce, code_verifier, return_to',
        [hashId(loginId), now()],
      );
      const login = r.rows[0];
      if (login === undefined) throw loginFailed('login_expired');
      const config = await rpOrUnavailable();
      let tokens: oidc.TokenEndpointResponse & oidc.TokenEndpointResponseHelpers;
      try {
        tokens = await oidc.authorizationCodeGrant(
          config,
          callbackUrl,
          { pkceCodeVerifier: login.code_verifier, expectedState: login.state, expectedNonce: login.nonce, idTokenExpected: true },
          resourceParams,
        );
      } catch (err) {
        if (err instanceof oidc.AuthorizationResponseError) throw loginFailed(err.error);
        if (err instanceof oidc.ResponseBodyError) throw loginFailed(err.error);
        if (err instanceof Error && 'code' in err && typeof err.code === 'string' && err.code.startsWith('OAUTH_')) throw loginFailed('invalid_response');
        throw providerUnavailable();
      }
      const idClaims = tokens.claims();
      if (idClaims === undefined) throw loginFailed('no_id_token');
      let principal: Principal;
      try {
        principal = await opts.verifyToken(tokens.access_token);
      } catch {
        throw loginFailed('access_token_refused');
      }
      if (principal.sub !== idClaims.sub) throw loginFailed('subject_mismatch');
      const sessionId = randomId();
      const created = now();
      // Ended sessions are kept a day (to tell "logged out" from "never existed" in an investigation), then go.
      await db.query('DELETE FROM auth_sessions WHERE expires_at < $1 OR revoked_at < $1', [new Date(created.getTime() - 86_400_000)]);
      const ins = await db.query<SessionRow>(
        `INSERT INTO auth_sessions (id_hash, sub, claims, csrf_token, access_token, access_expires_at, refresh_token, id_token, created_at, last_seen_at, expires_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9, $10) RETURNING *`,
        [
          hashId(sessionId),
          principal.sub,
          JSON.stringify(idClaims),
          randomId(),
          tokens.access_token,
          expiresAtOf(tokens),
          tokens.refresh_token ?? null,
          tokens.id_token ?? null,
          created,
          new Date(created.getTime() + opts.maxAgeSec * 1000),
        ],
      );
      return { sessionId, returnTo: login.return_to, session: info(ins.rows[0]!, principal) };
    },

    async authenticate(sessionId) {
      const idHash = hashId(sessionId);
      const t = now();
      const r = await db.query<SessionRow>(
        'SELECT * FROM auth_sessions WHERE id_hash = $1 AND revoked_at IS NULL AND expires_at > $2 AND last_seen_at > $3',
        [idHash, t, new Date(t.getTime() - opts.idleSec * 1000)],
      );
      let row = r.rows[0];
      if (row === undefined) return undefined;
      if (toDate(row.access_expires_at).getTime() <= t.getTime() + REFRESH_SKEW_MS) {
        let p = refreshing.get(idHash);
        if (p === undefined) {
          p = refresh(row).finally(() => refreshing.delete(idHash));
          refreshing.set(idHash, p);
        }
        row = await p;
        if (row === undefined) return undefined;
      }
      let principal: Principal;
      try {
        principal = await opts.verifyToken(row.access_token);
      } catch (err) {
        if (err instanceof AppError && (err.kind === 'unavailable' || err.kind === 'internal')) throw err;
        return undefined;
      }
      if (t.getTime() - toDate(row.last_seen_at).getTime() > TOUCH_EVERY_MS) {
        await db.query('UPDATE auth_sessions SET last_seen_at = $2 WHERE id_hash = $1', [idHash, t]);
      }
      return info(row, principal);
    },

    async logout(sessionId) {
      const r = await db.query<SessionRow>('UPDATE auth_sessions SET revoked_at = $2 WHERE id_hash = $1 AND revoked_at IS NULL RETURNING *', [hashId(sessionId), now()]);
      const row = r.rows[0];
      let config: oidc.Configuration | undefined;
      try {
        config = await rp();
      } catch {
        return { endSessionUrl: undefined };
      }
      const meta = config.serverMetadata();
      if (row?.refresh_token && meta.revocation_endpoint !== undefined) {
        await oidc.tokenRevocation(config, row.refresh_token, { token_type_hint: 'refresh_token' }).catch(() => undefined);
      }
      if (meta.end_session_endpoint === undefined) return { endSessionUrl: undefined };
      const url = oidc.buildEndSessionUrl(config, {
        post_logout_redirect_uri: `${opts.publicUrl}/`,
        ...(row?.id_token ? { id_token_hint: row.id_token } : {}),
      });
      return { endSessionUrl: url.href };
    },
  };
}

/** Constant-time comparison of two CSRF tokens. */
export function sameToken(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/** Ends a person's browser sessions, in the caller's transaction (a deactivated officer is logged out at once). */
export async function revokeSessionsOf(q: Queryable, sub: string, at: Date): Promise<void> {
  await q.query('UPDATE auth_sessions SET revoked_at = $2 WHERE sub = $1 AND revoked_at IS NULL', [sub, at]);
}
