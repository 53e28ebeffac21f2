/**
 * Rate limits (@fastify/rate-limit's counters, our own hooks and refusal): per client
 * address on every request, per account on authenticated API calls, and a stricter
 * one per address on the browser login routes (those whose config says
 * `throttle: 'login'`). A refusal is 429 with Retry-After and the one error shape.
 * `MOTCUA_RATE_LIMITS=off` registers nothing at all.
 *
 * The address is the socket's peer (Fastify's `request.ip`; IPv6 grouped by /64).
 * Behind a load balancer every request comes from its address: raise
 * MOTCUA_RATE_LIMIT_ADDRESS or limit at the load balancer.
 */
import rateLimit from '@fastify/rate-limit';
import type { FastifyInstance, FastifyReply, FastifyRequest, onRequestAsyncHookHandler } from 'fastify';
import type { Config } from '../config.ts';
import { AppError } from '../shared/errors.ts';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** `login`: the stricter per-address limit of the browser login routes applies too. */
    throttle?: 'login';
  }
}

type Limiter = (req: FastifyRequest) => Promise<{ isAllowed: true } | { isAllowed: false; isExceeded: boolean; max: number; ttlInSeconds: number; remaining: number }>;

const WINDOW_MS = 60_000;

const tooMany = (scope: 'address' | 'account' | 'login', retryAfter: number): AppError =>
  new AppError(
    'rate_limited',
    'rate_limited',
    scope === 'login'
      ? { vi: `Quá nhiều lần đăng nhập, vui lòng thử lại sau ${retryAfter} giây`, en: `Too many logins; please try again in ${retryAfter} seconds` }
      : { vi: `Quá nhiều yêu cầu, vui lòng thử lại sau ${retryAfter} giây`, en: `Too many requests; please try again in ${retryAfter} seconds` },
    { extra: { limit: scope, retryAfterSeconds: retryAfter } },
  );

async function check(limiter: Limiter, scope: 'address' | 'account' | 'login', req: FastifyRequest, reply: FastifyReply): Promise<void> {
  const r = await limiter(req);
  if (r.isAllowed || !r.isExceeded) return;
  const retryAfter = Math.max(1, r.ttlInSeconds);
  void reply.header('retry-after', String(retryAfter));
  void reply.header('x-ratelimit-limit', String(r.max));
  void reply.header('x-ratelimit-remaining', '0');
  void reply.header('x-ratelimit-reset', String(retryAfter));
  throw tooMany(scope, retryAfter);
}

/**
 * Registers the per-address and login limits on `app` (every route, the identity
 * provider's too) and returns the per-account hook, to be added after authentication.
 */
export async function registerRateLimits(app: FastifyInstance, limits: Config['rateLimits']): Promise<onRequestAsyncHookHandler | undefined> {
  if (!limits.enabled) return undefined;
  await app.register(rateLimit, { global: false });
  const byAddress: Limiter = app.createRateLimit({ max: limits.perAddressPerMinute, timeWindow: WINDOW_MS });
  const login: Limiter = app.createRateLimit({ max: limits.loginPerMinute, timeWindow: WINDOW_MS });
  const byAccount: Limiter = app.createRateLimit({
    max: limits.perAccountPerMinute,
    timeWindow: WINDOW_MS,
    keyGenerator: (req) => `sub:${req.principal?.sub ?? ''}`,
  });
  app.addHook('onRequest', async (req, reply) => {
    await check(byAddress, 'address', req, reply);
    if (req.routeOptions.config.throttle === 'login') await check(login, 'login', req, reply);
  });
  return async (req, reply) => {
    if (req.principal !== undefined) await check(byAccount, 'account', req, reply);
  };
}
