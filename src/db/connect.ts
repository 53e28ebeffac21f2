import { mkdir, readdir } from 'node:fs/promises';
import type { Database } from './database.ts';
import { markMadeWithMigrations } from './migrate.ts';
import { openPglite } from './pglite.ts';
import { ensureTemplate, extractTemplate, templateFile } from './pglite-template.ts';
import { openPostgres } from './postgres.ts';

export interface ConnectOptions {
  databaseUrl?: string | undefined;
  dataDir: string;
  poolSize?: number;
  /**
   * PGlite only: the file of the initialised, migrated folder template (see pglite-template.ts),
   * or false to let PGlite initialise an empty folder itself. Default: the one in
   * node_modules/.cache/motcua, made by `npm install` or else by the first new database.
   */
  pgliteTemplate?: string | false;
}

/** PostgreSQL when a URL is given, otherwise PGlite in `dataDir/pg`. */
export async function connectDatabase(opts: ConnectOptions): Promise<Database> {
  if (opts.databaseUrl) return openPostgres(opts.databaseUrl, opts.poolSize !== undefined ? { max: opts.poolSize } : {});
  const dir = `${opts.dataDir}/pg`;
  const template = opts.pgliteTemplate ?? safeTemplateFile();
  let fromTemplate = false;
  if (template !== false && (await isEmptyOrAbsent(dir))) {
    // A new database: a copy of an initialised, migrated folder instead of PGlite's initdb.
    try {
      await mkdir(opts.dataDir, { recursive: true });
      await extractTemplate(await ensureTemplate(template), dir);
      fromTemplate = true;
    } catch {
      // A damaged template or an unwritable folder: PGlite initialises the folder itself.
    }
  }
  await mkdir(dir, { recursive: true });
  const db = await openPglite(dir);
  // The next migrate() reports the template's migrations as applied to this database.
  if (fromTemplate) markMadeWithMigrations(db);
  return db;
}

function safeTemplateFile(): string | false {
  try {
    return templateFile();
  } catch {
    return false;
  }
}

async function isEmptyOrAbsent(dir: string): Promise<boolean> {
  try {
    return (await readdir(dir)).length === 0;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return true;
    throw err;
  }
}
