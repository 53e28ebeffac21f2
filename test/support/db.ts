import { randomBytes } from 'node:crypto';
import pg from 'pg';
import type { Database } from '../../src/db/database.ts';
import { migrate } from '../../src/db/migrate.ts';
import { openPglite } from '../../src/db/pglite.ts';
import { openPostgres } from '../../src/db/postgres.ts';

/**
 * A fresh, migrated database for one test file. With TEST_DATABASE_URL (a server URL
 * whose user may create databases) each call creates its own database there and drops
 * it on close; otherwise an in-memory PGlite, cloned from a migrated template.
 */
export async function freshDatabase(): Promise<Database & { url?: string }> {
  const serverUrl = process.env.TEST_DATABASE_URL;
  if (serverUrl) {
    const name = `motcua_t_${randomBytes(6).toString('hex')}`;
    const admin = new pg.Client({ connectionString: serverUrl });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${name}`);
    await admin.end();
    const url = new URL(serverUrl);
    url.pathname = `/${name}`;
    const db = await openPostgres(url.toString(), { max: 10 });
    await migrate(db);
    const close = db.close;
    return {
      ...db,
      url: url.toString(),
      async close() {
        await close();
        const a = new pg.Client({ connectionString: serverUrl });
        await a.connect();
        await a.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
        await a.end();
      },
    };
  }
  template ??= (async () => {
    const db = (await openPglite(undefined)) as Database & { dump(): Promise<Blob> };
    await migrate(db);
    const blob = await db.dump();
    await db.close();
    return blob;
  })();
  return openPglite(undefined, { loadDataDir: await template });
}
let template: Promise<Blob> | undefined;

/** Runs `fn` on a fresh database and closes it afterwards, whatever happens. */
export async function withDb(fn: (db: Database) => Promise<void>): Promise<void> {
  const db = await freshDatabase();
  try {
    await fn(db);
  } finally {
    await db.close();
  }
}
