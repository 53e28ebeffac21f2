import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Principal } from '../../modules/identity/index.ts';
import { pageLang, type Lang } from './i18n.ts';

export interface PageContext {
  lang: Lang;
  principal: Principal | undefined;
  /** The session's CSRF token (forms carry it as `_csrf`); undefined when not logged in by cookie. */
  csrfToken: string | undefined;
  /** The request's path and query without `lang` (for the language switch and login's returnTo). */
  path: string;
}

/** What every page needs of the request; sets the `lang` cookie when `?lang=` asks. */
export function pageContext(req: FastifyRequest, reply: FastifyReply): PageContext {
  const url = new URL(req.url, 'http://x');
  url.searchParams.delete('lang');
  return {
    lang: pageLang(req, reply),
    principal: req.principal,
    csrfToken: req.cookieSession?.csrfToken,
    path: url.pathname + url.search,
  };
}
