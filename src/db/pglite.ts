import { AsyncLocalStorage } from 'node:async_hooks';
import { PGlite } from '@electric-sql/pglite';
import type { Database, Queryable, QueryResult } from './database.ts';
import { mapDbError } from './errors.ts';

const DATE_OID = 1082;

function track<T>(started: Promise<unknown>[], p: Promise<T>): Promise<T> {
  p.catch(() => {}); // fn may not wait for it; the transaction does
  started.push(p);
  return p;
}
const INT8_OID = 20;

/** Database failures become domain errors in one place (src/db/errors.ts). */
const rethrowMapped = (err: unknown): never => {
  throw mapDbError(err);
};

/** Embedded PostgreSQL (WebAssembly) in a folder, or in memory when `dataDir` is undefined. */
export async function openPglite(dataDir: string | undefined, opts: { loadDataDir?: Blob } = {}): Promise<Database> {
  const pg = await PGlite.create({
    ...(dataDir !== undefined ? { dataDir } : {}),
    ...(opts.loadDataDir !== undefined ? { loadDataDir: opts.loadDataDir } : {}),
    // Same value shapes as the node-postgres adapter: dates as 'YYYY-MM-DD', int8 as string.
    parsers: { [DATE_OID]: (v: string) => v, [INT8_OID]: (v: string) => v },
  });
  const wrap = (q: { query: PGlite['query']; exec: PGlite['exec'] }): Queryable => ({
    async exec(sql: string): Promise<void> {
      await q.exec(sql).catch(rethrowMapped);
    },
    async query<T>(sql: string, params: readonly unknown[] = []): Promise<QueryResult<T>> {
      const r = await q.query<T>(sql, params as unknown[]).catch(rethrowMapped);
      return { rows: r.rows, rowCount: r.affectedRows ?? r.rows.length };
    },
  });
  // PGlite has one connection: using the database (not the transaction handle) inside a
  // transaction would wait for that transaction forever. Fail loudly instead of hanging.
  const inTransaction = new AsyncLocalStorage<true>();
  const outside = <A extends unknown[], R>(f: (...a: A) => Promise<R>) => (...a: A): Promise<R> => {
    if (inTransaction.getStore()) return Promise.reject(new Error('database used inside its own transaction: use the transaction handle'));
    return f(...a);
  };
  const self = wrap(pg);
  return {
    kind: 'pglite',
    query: outside(self.query),
    exec: outside(self.exec),
    transaction: outside((fn) =>
      pg.transaction((tx) =>
        inTransaction.run(true, async () => {
          // As on the server adapter: statements fn started and did not wait for are waited
          // for before COMMIT, and the first of them that failed is what the caller sees.
          const started: Promise<unknown>[] = [];
          const inner = wrap(tx);
          const tracked: Queryable = {
            query: (sql, params) => track(started, inner.query(sql, params)),
            exec: (sql) => track(started, inner.exec(sql)),
          };
          const result = await fn(tracked);
          for (const p of started) await p;
          return result;
        }),
      ).catch(rethrowMapped),
    ),
    close: () => pg.close(),
    dump: (compression: 'none' | 'gzip' = 'none') => pg.dumpDataDir(compression),
  } as Database & { dump(compression?: 'none' | 'gzip'): Promise<Blob> };
}
