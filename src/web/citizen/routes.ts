/**
 * The citizen portal: server-rendered pages (TypeScript functions returning HTML), inside
 * the authenticated scope (req.principal from the session cookie; every route says
 * a policy, public or not). Registered in one encapsulated scope that parses
 * urlencoded forms, compresses answers, and renders errors as pages instead of JSON.
 */
import compress from '@fastify/compress';
import formbody from '@fastify/formbody';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { policy } from '../../modules/authorization/index.ts';
import { statusOf, toAppError } from '../../http/errors.ts';
import type { CatalogueService } from '../../modules/catalogue/index.ts';
import type { ProcedureSearch } from '../../modules/catalogue/index.ts';
import type { DossierService } from '../../modules/dossiers/index.ts';
import type { FileService } from '../../modules/files/index.ts';
import type { WarehouseService } from '../../modules/warehouse/index.ts';
import type { DraftStore } from '../../modules/drafts/index.ts';
import type { RatingService } from '../../modules/ratings/index.ts';
import type { CookieNames } from '../../modules/sessions/index.ts';
import { serializeCookie } from '../../modules/sessions/index.ts';
import type { SessionService } from '../../modules/sessions/index.ts';
import type { AppError } from '../../shared/errors.ts';
import { registerAssets } from '../kit/assets.ts';
import { pageContext, type PageContext } from '../kit/context.ts';
import { registerDiscovery } from './discovery/routes.ts';
import { registerApply } from './apply/routes.ts';
import { registerTrack } from './track/routes.ts';
import { html } from '../kit/html.ts';
import { tr } from '../kit/i18n.ts';
import { loginHref, sendPage } from '../kit/layout.ts';

/** What the portal's pages need: the services of the composition root. */
export interface PortalDeps {
  /** The largest upload accepted, in bytes (the server's setting). */
  fileMaxBytes: number;
  catalogue: CatalogueService;
  search: ProcedureSearch;
  dossiers: DossierService;
  files: FileService;
  warehouse: WarehouseService;
  drafts: DraftStore;
  ratings: RatingService;
  agencyNames: (codes: readonly string[]) => Promise<Map<string, string>>;
  sessions: SessionService;
  sessionCookies: CookieNames;
}

/** A page saying what went wrong, in the page's language, with the right status. */
export function sendErrorPage(req: FastifyRequest, reply: FastifyReply, err: AppError): FastifyReply {
  const ctx = pageContext(req, reply);
  if (err.kind === 'not_found') return sendNotFound(ctx, reply);
  const title = statusOf(err) >= 500
    ? { vi: 'Xin lỗi, hệ thống đang gặp sự cố', en: 'Sorry, there is a problem with the service' }
    : { vi: 'Không thực hiện được yêu cầu', en: 'We could not do that' };
  return sendPage(reply, ctx, {
    status: statusOf(err),
    title,
    body: html`<h1>${tr(ctx.lang, title)}</h1>
<p>${tr(ctx.lang, err.messages)}</p>
<p><a href="/">${tr(ctx.lang, { vi: 'Về trang chủ', en: 'Go to the home page' })}</a></p>`,
  });
}

export function sendNotFound(ctx: PageContext, reply: FastifyReply): FastifyReply {
  const title = { vi: 'Không tìm thấy trang', en: 'Page not found' };
  return sendPage(reply, ctx, {
    status: 404,
    title,
    body: html`<h1>${tr(ctx.lang, title)}</h1>
<p>${tr(ctx.lang, { vi: 'Địa chỉ bạn nhập hoặc đường dẫn bạn bấm không đúng, hoặc trang đã được chuyển đi.', en: 'The address you typed or the link you followed is wrong, or the page has moved.' })}</p>
<p>${tr(ctx.lang, { vi: 'Bạn có thể', en: 'You can' })} <a href="/thu-tuc">${tr(ctx.lang, { vi: 'tìm thủ tục', en: 'search for a procedure' })}</a> ${tr(ctx.lang, { vi: 'hoặc', en: 'or' })} <a href="/">${tr(ctx.lang, { vi: 'về trang chủ', en: 'go to the home page' })}</a>.</p>`,
  });
}

const wantsHtml = (req: FastifyRequest): boolean => String(req.headers.accept ?? '').includes('text/html');

export function registerPortal(app: FastifyInstance, deps: PortalDeps): void {
  void app.register(async (portal) => {
    await portal.register(formbody, { bodyLimit: 1024 * 1024 });
    await portal.register(compress, { global: true, encodings: ['br', 'gzip'], threshold: 1024 });
    portal.setErrorHandler((err, req, reply) => {
      const e = toAppError(err, req);
      if (statusOf(e) >= 500) req.log.error({ err }, 'page failed');
      // Pages answer pages; fetches from the enhancement script (JSON) keep the API's shape.
      if (!wantsHtml(req)) return reply.status(statusOf(e)).send(e.toJSON());
      if (e.kind === 'unauthenticated' && (req.method === 'GET' || req.method === 'HEAD')) return reply.redirect(loginHref(req.url), 303);
      return sendErrorPage(req, reply, e);
    });

    registerAssets(portal);
    registerDiscovery(portal, deps);
    registerApply(portal, deps);
    registerTrack(portal, deps);

    // Log out from a page: a form post carrying the session's CSRF token, then the
    // identity provider's own logout (it comes back to the home page).
    portal.post('/dang-xuat', { config: { policy: policy.public('ends the session of the cookie, if any'), csrf: 'form' }, schema: { hide: true } }, async (req, reply) => {
      const s = req.cookieSession;
      let to = '/';
      if (s !== undefined) {
        const { endSessionUrl } = await deps.sessions.logout(s.id);
        if (endSessionUrl !== undefined) to = endSessionUrl;
      }
      void reply.header('set-cookie', serializeCookie(deps.sessionCookies, deps.sessionCookies.session, '', 0));
      void reply.header('cache-control', 'no-store');
      return reply.redirect(to, 303);
    });

    // Any other address: a page for a browser, the API's JSON 404 for anything else.
    portal.get('/*', { config: { policy: policy.public('404 page') }, schema: { hide: true } }, async (req, reply) => {
      if (!wantsHtml(req) || req.url.startsWith('/api/')) {
        return reply.status(404).send({ error: { code: 'not_found', message: { vi: 'Không tìm thấy địa chỉ này', en: 'No such address' }, field: 'url' } });
      }
      return sendNotFound(pageContext(req, reply), reply);
    });
  });
}
