import { createHash } from 'node:crypto';
import type { Queryable } from '../../db/database.ts';
import type { FileStore } from './file-store.ts';

export interface VerifyReport {
  /** Contents checked (each stored content once, however many records name it). */
  checked: number;
  changed: { storageKey: string; expected: string; actual: string }[];
  missing: { storageKey: string; expected: string }[];
  /** Blobs in the store that no record names (left by a purge that was interrupted, or by hand). */
  unreferenced: string[];
}

/** Hashes what the store returns for `key`; undefined when it is not there. */
async function hashOf(store: FileStore, key: string): Promise<string | undefined> {
  const h = createHash('sha256');
  try {
    for await (const chunk of store.open(key)) h.update(chunk as Buffer);
  } catch (err) {
    const e = err as { code?: string; name?: string; $metadata?: { httpStatusCode?: number } };
    if (e.code === 'ENOENT' || e.name === 'NoSuchKey' || e.name === 'NotFound' || e.$metadata?.httpStatusCode === 404) return undefined;
    throw err;
  }
  return h.digest('hex');
}

/**
 * Re-hashes every stored content that a file record or a warehouse document names and
 * reports those whose bytes changed or went missing (`motcua files verify`).
 */
export async function verifyFileStore(db: Queryable, store: FileStore, opts: { concurrency?: number } = {}): Promise<VerifyReport> {
  const r = await db.query<{ sha256: string; storage_key: string }>(
    `SELECT DISTINCT sha256, storage_key FROM (
       SELECT sha256, storage_key FROM files WHERE purged_at IS NULL
       UNION SELECT sha256, storage_key FROM documents) x ORDER BY storage_key`,
  );
  const report: VerifyReport = { checked: 0, changed: [], missing: [], unreferenced: [] };
  const queue = [...r.rows];
  const worker = async (): Promise<void> => {
    for (let row = queue.shift(); row !== undefined; row = queue.shift()) {
      const actual = await hashOf(store, row.storage_key);
      report.checked++;
      if (actual === undefined) report.missing.push({ storageKey: row.storage_key, expected: row.sha256 });
      else if (actual !== row.sha256) report.changed.push({ storageKey: row.storage_key, expected: row.sha256, actual });
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, opts.concurrency ?? 4) }, worker));
  const known = new Set(r.rows.map((x) => x.storage_key));
  for await (const key of store.list()) if (!known.has(key)) report.unreferenced.push(key);
  report.changed.sort((a, b) => a.storageKey.localeCompare(b.storageKey));
  report.missing.sort((a, b) => a.storageKey.localeCompare(b.storageKey));
  return report;
}
