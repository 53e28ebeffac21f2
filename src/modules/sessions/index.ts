/**
 * Browser sessions: login through the OpenID provider, cookies, CSRF.
 * The module's one public face: other modules, the pages and the CLI import only this file.
 */
export { cookieNames, type CookieNames, readCookie, serializeCookie } from './cookies.ts';
export { cookieSessionAuth, registerSessionRoutes } from './routes.ts';
export { createSessionService, revokeSessionsOf, sameToken, type SessionService } from './sessions.ts';
