import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Database } from './database.ts';

export const MIGRATIONS_DIR = join(import.meta.dirname, 'migrations');
/** Serialises migrations across processes sharing one server. */
const MIGRATION_LOCK = 7_263_001;

/**
 * Databases just made from a template that already holds migrations (see
 * pglite-template.ts): the first migrate() on one reports those migrations as applied,
 * since they were, to this new database, when it was made.
 */
const madeWithMigrations = new WeakSet<Database>();
export function markMadeWithMigrations(db: Database): void {
  madeWithMigrations.add(db);
}

/** The migration files, in the order they apply. */
export async function migrationFiles(): Promise<string[]> {
  return (await readdir(MIGRATIONS_DIR)).filter((f) => /^\d{4}_.+\.sql$/.test(f)).sort();
}

export interface MigrationReport {
  applied: string[];
  alreadyApplied: number;
}

/** Applies, in file-name order, every `migrations/NNNN_name.sql` not yet recorded; each in its own transaction. */
export async function migrate(db: Database): Promise<MigrationReport> {
  const files = await migrationFiles();
  await db.query(`CREATE TABLE IF NOT EXISTS schema_migrations (
    version text PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())`);
  const applied: string[] = [];
  let already = 0;
  if (madeWithMigrations.has(db)) {
    madeWithMigrations.delete(db);
    const r = await db.query<{ version: string }>('UPDATE schema_migrations SET applied_at = now() RETURNING version');
    applied.push(...r.rows.map((x) => x.version).sort());
    already -= applied.length; // counted again below, as already recorded
  }
  const run = async (): Promise<void> => {
    const done = new Set((await db.query<{ version: string }>('SELECT version FROM schema_migrations')).rows.map((r) => r.version));
    for (const file of files) {
      const version = file.replace(/\.sql$/, '');
      if (done.has(version)) {
        already++;
        continue;
      }
      const sql = await readFile(join(MIGRATIONS_DIR, file), 'utf8');
      await db.transaction(async (tx) => {
        await tx.exec(sql);
        await tx.query('INSERT INTO schema_migrations (version) VALUES ($1)', [version]);
      });
      applied.push(version);
    }
  };
  if (db.kind === 'postgres') {
    await db.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK]);
    try {
      await run();
    } finally {
      await db.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK]);
    }
  } else {
    await run();
  }
  return { applied, alreadyApplied: already };
}
