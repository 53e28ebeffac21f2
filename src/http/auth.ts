import type { FastifyInstance, FastifyRequest } from 'fastify';
import { fieldsOf } from '../shared/records.ts';
import { AppError } from '../shared/errors.ts';
import type { Principal } from '../modules/identity/index.ts';
import { readCookie } from '../modules/sessions/index.ts';
import { sameToken } from '../modules/sessions/index.ts';
import { callerFrom } from '../modules/authorization/index.ts';
import { compilePolicy, decideRoute, policyOf, UNDECLARED, type RoutePolicy } from '../modules/authorization/index.ts';
import type { AccessResolver } from '../modules/authorization/index.ts';

export type TokenVerifier = (token: string) => Promise<Principal>;

/** Browser sessions: a session cookie authenticates like the bearer token it stands for. */
export interface CookieSessionAuth {
  cookieName: string;
  /** The origin of the public URL: a state-changing request authenticated by cookie must come from it. */
  origin: string;
  /** The live session behind a cookie value, or undefined. */
  authenticate(sessionId: string): Promise<{ principal: Principal; csrfToken: string } | undefined>;
}

/** The header a browser sends back with the session's CSRF token (given by GET /auth/me) on POST/PUT/PATCH/DELETE. */
export const CSRF_HEADER = 'x-csrf-token';
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

declare module 'fastify' {
  interface FastifyRequest {
    principal: Principal | undefined;
    /** Set when the request was authenticated by a browser session cookie (the cookie's value and the session's CSRF token). */
    cookieSession: { id: string; csrfToken: string } | undefined;
  }
  interface FastifyContextConfig {
    /**
     * Who may call the route (src/modules/authorization/policy.ts; how to choose one:
     * docs/decisions/0010-one-authorization-module.md). Every route declares one; the
     * route-by-role test fails on a route without.
     */
    policy?: RoutePolicy;
    /** Older shorthand of `policy: policy.public()`. */
    auth?: 'public';
    /** Older shorthand of `policy: policy.roles([...])`. */
    roles?: readonly string[];
    /**
     * `form`: an HTML form route. A cookie-authenticated POST carries the session's CSRF
     * token as the `_csrf` body field (checked before validation; multipart: call
     * assertFormCsrf with the field, sent before the files) instead of the X-CSRF-Token header.
     */
    csrf?: 'form';
  }
}

const unauthenticated = (): AppError =>
  new AppError('unauthenticated', 'unauthenticated', { vi: 'Cần đăng nhập (thiếu hoặc sai mã truy cập)', en: 'Authentication required (missing or invalid access token)' }, { field: 'authorization' });

/** A staff member deactivated in the organisation: their token or session no longer counts, at once. */
const staffRemoved = (): AppError =>
  new AppError('unauthenticated', 'unauthenticated', { vi: 'Tài khoản cán bộ đã bị vô hiệu hóa', en: 'This staff account has been deactivated' }, { field: 'authorization', extra: { reason: 'staff_removed' } });

const csrfRefused = (reason: string): AppError =>
  new AppError(
    'forbidden',
    'csrf_refused',
    {
      vi: 'Yêu cầu bị từ chối: thiếu hoặc sai mã chống giả mạo (CSRF) của phiên đăng nhập',
      en: 'Request refused: the session\'s anti-forgery (CSRF) token is missing or wrong, or the request comes from another site',
    },
    { field: `headers.${CSRF_HEADER}`, extra: { reason } },
  );

/**
 * A state-changing request authenticated by cookie must come from Motcua's own pages:
 * Sec-Fetch-Site (when the browser sends it) same-origin, Origin (when sent) ours, and
 * the session's CSRF token in the X-CSRF-Token header (another site can neither read it
 * nor set that header on a cross-site request without CORS).
 */
function checkCsrf(req: FastifyRequest, csrfToken: string, origin: string): void {
  const site = req.headers['sec-fetch-site'];
  if (typeof site === 'string' && site !== 'same-origin' && site !== 'none') throw csrfRefused('cross_site');
  const from = req.headers.origin;
  if (typeof from === 'string' && from !== origin) throw csrfRefused('origin');
  if (req.routeOptions.config.csrf === 'form') return; // the token comes in the body: see checkFormCsrf
  const given = req.headers[CSRF_HEADER];
  if (typeof given !== 'string' || !sameToken(given, csrfToken)) throw csrfRefused('token');
}

/** The `_csrf` field of a form post (route config `csrf: 'form'`), when the request came with a session cookie. */
export function assertFormCsrf(req: FastifyRequest, given: unknown): void {
  if (req.cookieSession === undefined || SAFE_METHODS.has(req.method)) return;
  if (typeof given !== 'string' || !sameToken(given, req.cookieSession.csrfToken)) {
    throw new AppError('forbidden', 'csrf_refused', {
      vi: 'Biểu mẫu đã hết hạn hoặc không hợp lệ. Hãy tải lại trang và gửi lại.',
      en: 'The form has expired or is not valid. Reload the page and send it again.',
    }, { field: '/_csrf', extra: { reason: 'token' } });
  }
}

function checkFormCsrf(req: FastifyRequest): void {
  if (req.routeOptions.config.csrf !== 'form' || req.cookieSession === undefined || SAFE_METHODS.has(req.method)) return;
  if (/^multipart\//i.test(String(req.headers['content-type'] ?? ''))) return; // read from the stream by the route: assertFormCsrf
  assertFormCsrf(req, fieldsOf(req.body)._csrf);
}

/** Authenticates every request and denies by default: a route is public only when it says so. */
export function registerAuth(app: FastifyInstance, verify: TokenVerifier, opts: { session?: CookieSessionAuth | undefined; access?: AccessResolver | undefined } = {}): void {
  app.decorateRequest('principal', undefined);
  app.decorateRequest('cookieSession', undefined);
  const session = opts.session;
  const access = opts.access;
  app.addHook('onRequest', async (req: FastifyRequest, reply) => {
    const cfg = req.routeOptions.config;
    const header = req.headers.authorization;
    if (header !== undefined) {
      const m = /^Bearer ([A-Za-z0-9._~+/-]+=*)$/.exec(header);
      if (!m?.[1]) throw unauthenticated();
      req.principal = await verify(m[1]);
    } else if (session !== undefined) {
      const id = readCookie(req.headers.cookie, session.cookieName);
      const s = id === undefined ? undefined : await session.authenticate(id);
      if (id !== undefined && s !== undefined) {
        if (!SAFE_METHODS.has(req.method)) checkCsrf(req, s.csrfToken, session.origin);
        req.principal = s.principal;
        req.cookieSession = { id, csrfToken: s.csrfToken };
      }
    }
    const policy = compilePolicy(policyOf(cfg) ?? UNDECLARED);
    // The caller's roles are the organisation's (staff, grants, delegations), read now: never the token's alone.
    let removed = false;
    if (req.principal !== undefined) {
      const caller = access !== undefined ? await access.resolve(req.principal) : callerFrom(req.principal, { staffActive: null, roles: [] });
      if (caller === 'removed') {
        removed = true;
        req.principal = undefined;
        req.cookieSession = undefined;
      } else {
        req.principal = caller;
      }
    }
    const decision = decideRoute(policy, req.principal);
    if (decision.ok) return;
    if (decision.status === 401) {
      void reply.header('www-authenticate', 'Bearer');
      throw removed ? staffRemoved() : unauthenticated();
    }
    const p = req.principal!;
    const route = req.routeOptions.url ?? req.url;
    if (access !== undefined) await access.recordDenial(p, { method: req.method, route, url: req.url, required: decision.required, requestId: req.id, address: req.ip });
    throw new AppError('forbidden', 'forbidden', { vi: 'Bạn không có quyền thực hiện thao tác này', en: 'You are not allowed to do this' }, { extra: { requiredRoles: decision.required } });
  });
  app.addHook('preValidation', async (req) => checkFormCsrf(req));
}

export function requirePrincipal(req: FastifyRequest): Principal {
  if (req.principal === undefined) throw unauthenticated();
  return req.principal;
}
