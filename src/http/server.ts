import Fastify, { type FastifyInstance } from 'fastify';
import { AppError } from '../shared/errors.ts';
import { MAX_JSON_DEPTH, tooDeepAt } from '../shared/json-depth.ts';
import multipart from '@fastify/multipart';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import { randomUUID } from 'node:crypto';
import type { Config } from '../config.ts';
import type { Database } from '../db/database.ts';
import { registerAuth, type CookieSessionAuth, type TokenVerifier } from './auth.ts';
import type { AccessResolver } from '../modules/authorization/index.ts';
import { recordRoutes } from '../modules/authorization/index.ts';
import { errorHandler } from './errors.ts';
import { trackInFlight } from './in-flight.ts';
import { registerRateLimits } from './rate-limit.ts';

/** JSON and everything else the API answers: nothing may load, nothing may frame it. */
export const API_CSP = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";
/**
 * /docs (Swagger UI): its scripts, styles and images from this origin only (it has no
 * inline script); inline styles are allowed because the UI sets style attributes.
 */
export const DOCS_CSP =
  "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'; object-src 'none'";

/**
 * Portal pages (HTML from src/web): styles and scripts from this origin only, nothing
 * inline; forms post to this origin (and to the identity provider's origin: logging out
 * goes on to its end-session page).
 */
export function portalCsp(formOrigins: readonly string[] = []): string {
  const forms = ["'self'", ...formOrigins].join(' ');
  return `default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; form-action ${forms}; frame-ancestors 'none'; base-uri 'none'; object-src 'none'`;
}

export interface HttpDeps {
  config: Config;
  db: Database;
  verifyToken: TokenVerifier;
  /** Each module adds its routes here; called inside the API scope. */
  routes: ((app: FastifyInstance) => void)[];
  /** Routes outside the authenticated API (identity provider, pages). */
  beforeAuth?: ((app: FastifyInstance) => Promise<void> | void)[];
  /** Browser sessions: a session cookie authenticates API calls too. */
  session?: CookieSessionAuth;
  /** The caller's roles from the organisation, and refusals to the audit log (src/modules/authorization). */
  access?: AccessResolver;
}

/** The HTTP layer: maps requests to services and errors to responses, nothing else. */
export async function buildServer(deps: HttpDeps): Promise<FastifyInstance> {
  const { config } = deps;
  const app = Fastify({
    logger:
      config.logLevel === 'silent'
        ? false
        : {
            level: config.logLevel,
            // Tokens and cookies never reach the logs.
            redact: ['req.headers.authorization', 'req.headers.cookie', 'res.headers["set-cookie"]'],
          },
    bodyLimit: config.bodyLimitBytes,
    genReqId: (req) => {
      const given = req.headers['x-request-id'];
      return typeof given === 'string' && /^[\w.-]{1,64}$/.test(given) ? given : randomUUID();
    },
    ajv: { customOptions: { allErrors: true, coerceTypes: 'array', removeAdditional: false } },
    return503OnClosing: true,
    // MOTCUA_TRUST_PROXY: request.ip (rate limits, audit) is the client behind the named proxies.
    trustProxy: config.trustProxy as unknown as boolean, // false, a hop count or a list (Fastify takes each)
  });
  trackInFlight(app);
  // Every route and the policy it declares, for the route-by-role test (src/modules/authorization).
  recordRoutes(app);
  app.setErrorHandler(errorHandler);
  app.setNotFoundHandler((req, reply) => {
    void reply.status(404).send({ error: { code: 'not_found', message: { vi: 'Không tìm thấy địa chỉ này', en: 'No such address' }, field: 'url' } });
  });
  const https = new URL(config.publicUrl).protocol === 'https:';
  const issuerOrigin = new URL(config.oidcIssuer).origin;
  const PORTAL_CSP = portalCsp(issuerOrigin === new URL(config.publicUrl).origin ? [] : [issuerOrigin]);
  app.addHook('onSend', async (req, reply) => {
    const docs = req.url === '/docs' || req.url.startsWith('/docs/');
    // Portal pages: same-origin referrers, so their form posts carry an Origin the CSRF check accepts.
    const page = !docs && String(reply.getHeader('content-type') ?? '').startsWith('text/html');
    reply.header('x-content-type-options', 'nosniff');
    reply.header('referrer-policy', page ? 'same-origin' : 'no-referrer');
    reply.header('x-frame-options', 'DENY');
    reply.header('content-security-policy', docs ? DOCS_CSP : page ? PORTAL_CSP : API_CSP);
    reply.header('cross-origin-opener-policy', 'same-origin');
    if (https) reply.header('strict-transport-security', 'max-age=31536000; includeSubDomains');
  });
  // Replies a route hijacks (the sandbox identity provider) skip onSend: the headers that
  // suit every answer are set on the raw response first; its pages set their own CSP.
  app.addHook('onRequest', async (_req, reply) => {
    reply.raw.setHeader('x-content-type-options', 'nosniff');
    reply.raw.setHeader('referrer-policy', 'no-referrer');
    if (https) reply.raw.setHeader('strict-transport-security', 'max-age=31536000; includeSubDomains');
  });
  const perAccountLimit = await registerRateLimits(app, config.rateLimits);
  // JSON as Fastify parses it (prototype poisoning refused), and never nested deeper than the services can walk.
  const parseJson = app.getDefaultJsonParser('error', 'error');
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (req, body, done) => {
    parseJson(req, typeof body === 'string' ? body : body.toString('utf8'), (err: Error | null, value?: unknown) => {
      if (err) return done(err);
      const at = tooDeepAt(value);
      if (at !== undefined) {
        return done(
          new AppError(
            'bad_request',
            'json_too_deep',
            { vi: `Dữ liệu lồng nhau quá sâu (tối đa ${MAX_JSON_DEPTH} cấp)`, en: `The data is nested too deeply (at most ${MAX_JSON_DEPTH} levels)` },
            { field: at, extra: { maxDepth: MAX_JSON_DEPTH } },
          ),
        );
      }
      done(null, value);
    });
  });

  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Motcua API',
        version: '1.0.0',
        description: 'Procedures, dossiers and files of a province\'s online public services. Errors: {error: {code, message: {vi, en}, field?, details?}}.',
      },
      servers: [{ url: config.publicUrl }],
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' } } },
      security: [{ bearer: [] }],
    },
  });
  // No validator badge: it would load an image from validator.swagger.io (refused by the CSP).
  await app.register(swaggerUi, { routePrefix: '/docs', uiConfig: { validatorUrl: null } });
  await app.register(multipart, { limits: { fileSize: config.fileMaxBytes, files: 1, fields: 10, parts: 11 } });

  for (const hook of deps.beforeAuth ?? []) await hook(app);

  await app.register(async (api) => {
    registerAuth(api, deps.verifyToken, { session: deps.session, access: deps.access });
    if (perAccountLimit !== undefined) api.addHook('onRequest', perAccountLimit);
    api.get('/api/v1/openapi.json', { config: { auth: 'public' }, schema: { hide: true } }, async () => app.swagger());
    api.get(
      '/healthz',
      { config: { auth: 'public' }, schema: { tags: ['operations'], summary: '200 when the database answers, 503 when not' } },
      async (_req, reply) => {
        try {
          await deps.db.query('SELECT 1');
          return { status: 'ok', database: deps.db.kind };
        } catch {
          return reply.status(503).send({ status: 'unavailable', database: deps.db.kind });
        }
      },
    );
    for (const r of deps.routes) r(api);
  });
  return app;
}
