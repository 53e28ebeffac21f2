import pg from 'pg';
import type { Database, Queryable, QueryResult } from './database.ts';
import { mapDbError } from './errors.ts';

const DATE_OID = 1082;
pg.types.setTypeParser(DATE_OID, (v: string) => v);

/**
 * Parameterised statements are prepared once per connection under a stable name, so the
 * server parses and plans each SQL text once per connection instead of on every call.
 * SQL texts are few (the stores' statements, a handful of VALUES-list lengths); past
 * this many, new texts run unnamed, so a caller building SQL dynamically cannot make the
 * server keep an unbounded number of prepared statements.
 */
const MAX_PREPARED = 500;
const MAX_PREPARED_SQL_LENGTH = 8000;
const STAR = /(\bselect\s+(distinct\s+)?\*|\.\*|\breturning\s+\*)/i;

/**
 * A PostgreSQL server through a pool of node-postgres connections in pipeline mode: a
 * statement is written without waiting for the answer to the one before it. The
 * adapter uses that for transactions: BEGIN goes out together with the first statement,
 * and COMMIT right after the last statement `fn` started, so a transaction whose
 * statements do not wait for each other takes one round trip to the server.
 */
export async function openPostgres(url: string, opts: { max?: number } = {}): Promise<Database> {
  const pool = new pg.Pool({ connectionString: url, max: opts.max ?? 20, pipeline: true });
  // A pool client that errors while idle must not crash the process; the next query reconnects.
  pool.on('error', () => {});
  const names = new Map<string, string>();
  const config = (sql: string, params: readonly unknown[]): pg.QueryConfig => {
    // `SELECT *` is left unprepared: after a migration adds a column, a prepared one fails
    // with "cached plan must not change result type" until the connection closes.
    if (params.length === 0 || sql.length > MAX_PREPARED_SQL_LENGTH || STAR.test(sql)) return { text: sql, values: params as unknown[] };
    let name = names.get(sql);
    if (name === undefined && names.size < MAX_PREPARED) {
      name = `motcua_${names.size + 1}`;
      names.set(sql, name);
    }
    return name === undefined ? { text: sql, values: params as unknown[] } : { name, text: sql, values: params as unknown[] };
  };
  const run = async <T>(c: pg.Pool | pg.PoolClient, sql: string, params: readonly unknown[]): Promise<QueryResult<T>> => {
    let r;
    try {
      r = await c.query(config(sql, params));
    } catch (err) {
      // Database failures become domain errors in one place (src/db/errors.ts).
      throw mapDbError(err);
    }
    return { rows: r.rows as T[], rowCount: r.rowCount ?? r.rows.length };
  };
  return {
    kind: 'postgres',
    query: (sql, params = []) => run(pool, sql, params),
    async exec(sql) {
      await pool.query(sql).catch((err: unknown) => {
        throw mapDbError(err);
      });
    },
    async transaction(fn) {
      const client = await pool.connect();
      const burst = batchWrites(client);
      // Not awaited: pipelined in front of fn's first statement. BEGIN fails only when the
      // connection does, and then so does every statement written after it.
      burst();
      const begin = client.query('BEGIN');
      begin.catch(() => {});
      // Statements fn started, in order; those it did not wait for are waited for here.
      const started: Promise<unknown>[] = [];
      // A statement started after fn resolved would run after COMMIT, maybe in another caller's transaction.
      let ended = false;
      const late = (): Promise<never> => Promise.reject(new Error('statement started after its transaction ended: start every statement before the transaction function resolves'));
      const tx: Queryable = {
        query<T>(sql: string, params: readonly unknown[] = []): Promise<QueryResult<T>> {
          if (ended) return late();
          burst();
          const p = run<T>(client, sql, params);
          p.catch(() => {});
          started.push(p);
          return p;
        },
        async exec(sql: string): Promise<void> {
          if (ended) return late();
          burst();
          const p = client.query(sql).catch((err: unknown) => {
            throw mapDbError(err);
          });
          p.catch(() => {});
          started.push(p);
          await p;
        },
      };
      let broken = false;
      try {
        let result;
        try {
          result = await fn(tx);
        } finally {
          ended = true;
        }
        // COMMIT goes out behind any statement still in flight; if one of them failed the
        // server has aborted the transaction and answers COMMIT with ROLLBACK.
        burst();
        const commit = client.query('COMMIT');
        commit.catch(() => {});
        await begin;
        for (const p of started) await p;
        const c = await commit;
        if (c.command !== 'COMMIT') throw new Error(`transaction was rolled back by the server (${c.command}): a statement inside it failed`);
        return result;
      } catch (err) {
        await Promise.allSettled(started);
        await client.query('ROLLBACK').catch(() => {
          broken = true;
        });
        throw mapDbError(err);
      } finally {
        // A connection that could not roll back is closed rather than handed to the next caller.
        client.release(broken);
      }
    },
    close: () => pool.end(),
  };
}

/**
 * Statements written in one turn of the event loop leave in one write: the connection's
 * socket is corked at the first and uncorked once the turn is over (setImmediate, after
 * every promise continuation of the turn, so also a COMMIT written right after the
 * statements). Each write is a system call, and on a virtual machine a costly one: a
 * pipelined transaction of seven statements is one write instead of seven.
 */
function batchWrites(client: pg.PoolClient): () => void {
  const stream = (client as unknown as { connection?: { stream?: { cork?: () => void; uncork?: () => void } } }).connection?.stream;
  if (typeof stream?.cork !== 'function' || typeof stream.uncork !== 'function') return () => {};
  let corked = false;
  return () => {
    if (corked) return;
    corked = true;
    stream.cork!();
    setImmediate(() => {
      corked = false;
      stream.uncork!();
    });
  };
}
