/** Finding a procedure: home, search with filters, the procedure page in plain language. */
import { fieldsOf } from '../../../shared/records.ts';
import type { FastifyInstance } from 'fastify';
import { policy } from '../../../modules/authorization/index.ts';
import type { PortalDeps } from '../routes.ts';
import { sendNotFound } from '../routes.ts';
import { pageContext } from '../../kit/context.ts';
import { sendPage } from '../../kit/layout.ts';
import { homePage } from './home.ts';
import { parseSearchParams, searchPage } from './search.ts';
import { procedurePage } from './procedure.ts';

const PUBLIC_PAGE = policy.public('portal page: anyone, logged in or not');
const CODE = /^[0-9]{1,2}\.[0-9]{6}$|^[A-Z0-9.-]{3,40}$/;

export function registerDiscovery(app: FastifyInstance, deps: PortalDeps): void {
  const { agencyNames } = deps;

  app.get('/', { config: { policy: PUBLIC_PAGE }, schema: { hide: true } }, async (req, reply) => {
    const ctx = pageContext(req, reply);
    const all = await deps.search.search({ limit: 6 });
    return sendPage(reply, ctx, homePage(ctx, all));
  });

  app.get('/thu-tuc', { config: { policy: PUBLIC_PAGE }, schema: { hide: true } }, async (req, reply) => {
    const ctx = pageContext(req, reply);
    const params = parseSearchParams(fieldsOf(req.query));
    return sendPage(reply, ctx, await searchPage(ctx, params, deps.search, agencyNames));
  });

  app.get<{ Params: { code: string } }>('/thu-tuc/:code', { config: { policy: PUBLIC_PAGE }, schema: { hide: true } }, async (req, reply) => {
    const ctx = pageContext(req, reply);
    const code = req.params.code;
    const p = CODE.test(code) ? await deps.catalogue.current(code) : undefined;
    const offerings = p ? (await deps.catalogue.offeringsOf(code)).filter((o) => o.active) : [];
    if (p === undefined || offerings.length === 0) return sendNotFound(ctx, reply);
    const names = await agencyNames(offerings.map((o) => o.agencyCode));
    return sendPage(reply, ctx, procedurePage(ctx, p, offerings.map((o) => ({ ...o, agencyName: names.get(o.agencyCode) ?? o.agencyCode }))));
  });
}
