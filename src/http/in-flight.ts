import type { FastifyInstance, RouteHandlerMethod } from 'fastify';

/**
 * Route handlers still running. Closing the HTTP server waits for open connections only:
 * when a client hangs up mid-request, its handler goes on with nobody waiting, so shutdown
 * must also wait for handlers, or it closes the database under them.
 */
const counters = new WeakMap<FastifyInstance, { running: number; idle: (() => void)[] }>();

/** Counts every route's running handlers; call before any route is added. */
export function trackInFlight(app: FastifyInstance): void {
  const c = { running: 0, idle: [] as (() => void)[] };
  counters.set(app, c);
  const done = (): void => {
    c.running--;
    if (c.running === 0) for (const f of c.idle.splice(0)) f();
  };
  app.addHook('onRoute', (route) => {
    const handler = route.handler as (...args: unknown[]) => unknown;
    // The handler's own return value goes back unchanged (a sync handler stays sync).
    route.handler = function (this: unknown, ...args: unknown[]) {
      c.running++;
      let out: unknown;
      try {
        out = handler.apply(this, args);
      } catch (err) {
        done();
        throw err;
      }
      if (out instanceof Promise) out.then(done, done);
      else done();
      return out;
    } as unknown as RouteHandlerMethod;
  });
}

/** Resolves when no handler runs any more, or after `timeoutMs` (returning how many still run). */
export function handlersDone(app: FastifyInstance, timeoutMs: number): Promise<number> {
  const c = counters.get(app);
  if (c === undefined || c.running === 0) return Promise.resolve(0);
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(c.running), timeoutMs);
    c.idle.push(() => {
      clearTimeout(timer);
      resolve(0);
    });
  });
}
