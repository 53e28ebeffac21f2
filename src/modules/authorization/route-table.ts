/**
 * Every route the server registers, with the policy it declares: collected by an
 * onRoute hook installed before any route (src/http/server.ts), read by the
 * route-by-role test (test/api/route-policy.test.ts) and by `motcua routes`-style tools.
 */
import type { FastifyInstance } from 'fastify';
import { policy, policyOf, type RoutePolicy } from './policy.ts';

export interface RegisteredRoute {
  method: string;
  url: string;
  config: Record<string, unknown> | undefined;
}

declare module 'fastify' {
  interface FastifyInstance {
    /** Every route registered on this server (filled as they are registered). */
    routeTable: readonly RegisteredRoute[];
  }
}

/**
 * Routes registered by plugins we do not configure route by route: their policy is
 * declared here. Swagger UI serves the public API description; the sandbox identity
 * provider runs its own login (and exists only in the sandbox).
 */
export const PLUGIN_ROUTE_POLICIES: readonly { prefix: string; policy: RoutePolicy }[] = Object.freeze([
  { prefix: '/docs', policy: policy.public('Swagger UI: the public description of the API') },
  { prefix: '/oidc', policy: policy.public('the sandbox identity provider: its own login and consent pages') },
]);

/** Installs the collecting hook; call before any route is registered. */
export function recordRoutes(app: FastifyInstance): RegisteredRoute[] {
  const list: RegisteredRoute[] = [];
  app.decorate('routeTable', list);
  app.addHook('onRoute', (r) => {
    const methods = Array.isArray(r.method) ? r.method : [r.method];
    for (const method of methods) list.push({ method: String(method), url: r.url, config: r.config as Record<string, unknown> | undefined });
  });
  return list;
}

/** The policy a registered route declares (its config, or the plugin table), or undefined. */
export function declaredPolicy(r: RegisteredRoute): RoutePolicy | undefined {
  const own = policyOf(r.config as Parameters<typeof policyOf>[0]);
  if (own !== undefined) return own;
  return PLUGIN_ROUTE_POLICIES.find((p) => r.url === p.prefix || r.url.startsWith(`${p.prefix}/`))?.policy;
}
