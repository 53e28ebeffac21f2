import type { FastifyInstance, FastifyRequest } from 'fastify';
import { AppError } from '../shared/errors.ts';
import type { Principal } from '../modules/identity/principal.ts';

export type TokenVerifier = (token: string) => Promise<Principal>;

declare module 'fastify' {
  interface FastifyRequest {
    principal: Principal | undefined;
  }
  interface FastifyContextConfig {
    /** `public`: no login needed. Absent: a valid bearer token is required (deny by default). */
    auth?: 'public';
    /** When set, the caller must hold one of these roles. */
    roles?: readonly string[];
  }
}

const unauthenticated = (): AppError =>
  new AppError(401, 'unauthenticated', { vi: 'Cần đăng nhập (thiếu hoặc sai mã truy cập)', en: 'Authentication required (missing or invalid access token)' }, { field: 'authorization' });

/** Authenticates every request and denies by default: a route is public only when it says so. */
export function registerAuth(app: FastifyInstance, verify: TokenVerifier): void {
  app.decorateRequest('principal', undefined);
  app.addHook('onRequest', async (req: FastifyRequest, reply) => {
    const cfg = req.routeOptions.config;
    const header = req.headers.authorization;
    if (header !== undefined) {
      const m = /^Bearer ([A-Za-z0-9._~+/-]+=*)$/.exec(header);
      if (!m?.[1]) throw unauthenticated();
      req.principal = await verify(m[1]);
    }
    if (cfg.auth === 'public') return;
    if (req.principal === undefined) {
      void reply.header('www-authenticate', 'Bearer');
      throw unauthenticated();
    }
    if (cfg.roles && !cfg.roles.some((r) => req.principal!.roles.includes(r))) {
      throw new AppError(403, 'forbidden', { vi: 'Bạn không có quyền thực hiện thao tác này', en: 'You are not allowed to do this' }, { extra: { requiredRoles: cfg.roles } });
    }
  });
}

export function requirePrincipal(req: FastifyRequest): Principal {
  if (req.principal === undefined) throw unauthenticated();
  return req.principal;
}
