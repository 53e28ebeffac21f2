import type { FastifyInstance } from 'fastify';
import { AppError } from '../../shared/errors.ts';
import type { CookieSessionAuth } from '../../http/auth.ts';
import { readCookie, serializeCookie, type CookieNames } from './cookies.ts';
import type { SessionService } from './sessions.ts';

/** What the auth hook needs to authenticate API calls by session cookie. */
export function cookieSessionAuth(sessions: SessionService, names: CookieNames, publicUrl: string): CookieSessionAuth {
  return {
    cookieName: names.session,
    origin: new URL(publicUrl).origin,
    async authenticate(id) {
      const s = await sessions.authenticate(id);
      return s === undefined ? undefined : { principal: s.principal, csrfToken: s.csrfToken };
    },
  };
}

const noSession = (): AppError =>
  new AppError('unauthenticated', 'unauthenticated', { vi: 'Chưa đăng nhập hoặc phiên đăng nhập đã kết thúc', en: 'Not logged in, or the session has ended' }, { field: 'cookie' });

/**
 * The browser login of the relying party: /auth/login, /auth/callback, /auth/logout, /auth/me.
 * Registered inside the authenticated scope: logout and me are authenticated by the
 * session cookie like any API call (logout, a POST, needs the CSRF token too).
 */
export function registerSessionRoutes(app: FastifyInstance, sessions: SessionService, names: CookieNames, sessionMaxAgeSec: number, publicUrl: string): void {
  const tags = ['session'];
  app.get<{ Querystring: { returnTo?: string } }>(
    '/auth/login',
    {
      config: { auth: 'public', throttle: 'login' },
      schema: {
        tags,
        summary: 'Browser login: redirects to the identity provider (authorization code, PKCE, state, nonce); returnTo must be a local path',
        querystring: { type: 'object', properties: { returnTo: { type: 'string', maxLength: 2048 } }, additionalProperties: true },
      },
    },
    async (req, reply) => {
      const start = await sessions.startLogin(req.query.returnTo);
      void reply.header('set-cookie', serializeCookie(names, names.login, start.loginId, sessions.loginTtlSec));
      void reply.header('cache-control', 'no-store');
      return reply.redirect(start.authorizationUrl, 302);
    },
  );

  app.get(
    '/auth/callback',
    { config: { auth: 'public', throttle: 'login' }, schema: { tags, summary: 'Where the identity provider sends the browser back: opens the session and sets its cookie' } },
    async (req, reply) => {
      const loginId = readCookie(req.headers.cookie, names.login);
      // The URL as the provider sent it, on our public address (never the Host header).
      const end = await sessions.finishLogin(loginId, new URL(req.url, `${publicUrl}/`));
      // A previous session of this browser ends (no session fixation, one session per cookie).
      const previous = readCookie(req.headers.cookie, names.session);
      if (previous !== undefined) await sessions.logout(previous).catch(() => undefined);
      void reply.header('set-cookie', [
        serializeCookie(names, names.login, '', 0),
        serializeCookie(names, names.session, end.sessionId, sessionMaxAgeSec),
      ]);
      void reply.header('cache-control', 'no-store');
      return reply.redirect(end.returnTo, 303);
    },
  );

  app.post(
    '/auth/logout',
    { config: { auth: 'public' }, schema: { tags, summary: 'Ends the browser session (needs X-CSRF-Token); answers where to log out at the identity provider too' } },
    async (req, reply) => {
      const s = req.cookieSession;
      if (s === undefined) throw noSession();
      const { endSessionUrl } = await sessions.logout(s.id);
      void reply.header('set-cookie', serializeCookie(names, names.session, '', 0));
      void reply.header('cache-control', 'no-store');
      return { loggedOut: true, endSessionUrl: endSessionUrl ?? null };
    },
  );

  app.get(
    '/auth/me',
    { config: { auth: 'public' }, schema: { tags, summary: 'Who is logged in (by session cookie or bearer token), and the CSRF token of the session' } },
    async (req, reply) => {
      if (req.principal === undefined) throw noSession();
      void reply.header('cache-control', 'no-store');
      return { principal: req.principal, session: req.cookieSession !== undefined ? { csrfToken: req.cookieSession.csrfToken } : null };
    },
  );
}
