import { mkdir } from 'node:fs/promises';
import type { Database } from './database.ts';
import { openPglite } from './pglite.ts';
import { openPostgres } from './postgres.ts';

/** PostgreSQL when a URL is given, otherwise PGlite in `dataDir/pg`. */
export async function connectDatabase(opts: { databaseUrl?: string | undefined; dataDir: string; poolSize?: number }): Promise<Database> {
  if (opts.databaseUrl) return openPostgres(opts.databaseUrl, opts.poolSize !== undefined ? { max: opts.poolSize } : {});
  const dir = `${opts.dataDir}/pg`;
  await mkdir(dir, { recursive: true });
  return openPglite(dir);
}
