import type { Database } from '../../db/database.ts';
import { formatDossierCode, localDay } from './dossier-code.ts';

/**
 * Takes the next number of the agency's daily sequence. It runs in a short transaction
 * of its own so the counter row is locked only for the increment, not for the whole
 * submission; on PostgreSQL that transaction does not wait for its own WAL flush
 * (synchronous_commit off): the dossier's transaction commits after it and its flush
 * makes the increment durable too, so a crash cannot hand the same number out twice
 * for a dossier that exists. A submission that fails after this leaves a gap in the
 * day's numbers, never a duplicate (the code column is unique as a last guard).
 *
 * Requests for one agency and day that arrive while its counter statement is on its way
 * are served together by the next one, which takes as many numbers at once (group
 * allocation, like a group commit): under load one statement serves many submissions;
 * alone, a submission takes its number at once. Numbers follow the order of arrival.
 */
export function allocateDossierCode(db: Database, agencyCode: string, at: Date): Promise<string> {
  let allocator = allocators.get(db);
  if (allocator === undefined) {
    allocator = createCodeAllocator(db);
    allocators.set(db, allocator);
  }
  return allocator(agencyCode, localDay(at));
}

const allocators = new WeakMap<Database, (agencyCode: string, day: string) => Promise<string>>();

/** At most this many numbers in one statement; more waiting requests take the next one. */
const MAX_GROUP = 256;

interface Waiting {
  resolve(code: string): void;
  reject(err: unknown): void;
}

function createCodeAllocator(db: Database) {
  const queues = new Map<string, { agencyCode: string; day: string; waiting: Waiting[] }>();

  async function take(key: string, q: { agencyCode: string; day: string; waiting: Waiting[] }): Promise<void> {
    while (q.waiting.length > 0) {
      const group = q.waiting.splice(0, MAX_GROUP);
      try {
        // One autocommitted statement (one round trip): set_config(..., true) applies to this
        // statement's own transaction only, so it is the short transaction described above.
        const r = await db.query<{ last_seq: number }>(
          `WITH async AS MATERIALIZED (SELECT set_config('synchronous_commit', 'off', true))
           INSERT INTO dossier_code_counters (agency_code, day, last_seq) SELECT $1, $2, $3::int FROM async
           ON CONFLICT (agency_code, day) DO UPDATE SET last_seq = dossier_code_counters.last_seq + $3::int
           RETURNING last_seq`,
          [q.agencyCode, q.day, group.length],
        );
        const first = Number(r.rows[0]!.last_seq) - group.length + 1;
        group.forEach((w, i) => w.resolve(formatDossierCode(q.agencyCode, q.day, first + i)));
      } catch (err) {
        for (const w of group) w.reject(err);
      }
    }
    queues.delete(key);
  }

  return (agencyCode: string, day: string): Promise<string> =>
    new Promise<string>((resolve, reject) => {
      const key = `${agencyCode}|${day}`;
      const q = queues.get(key);
      if (q !== undefined) {
        q.waiting.push({ resolve, reject });
        return;
      }
      const fresh = { agencyCode, day, waiting: [{ resolve, reject }] };
      queues.set(key, fresh);
      void take(key, fresh);
    });
}
