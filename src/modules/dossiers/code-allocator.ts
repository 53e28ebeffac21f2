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
 */
export async function allocateDossierCode(db: Database, agencyCode: string, at: Date): Promise<string> {
  const day = localDay(at);
  const seq = await db.transaction(async (tx) => {
    if (db.kind === 'postgres') await tx.query('SET LOCAL synchronous_commit = off');
    const r = await tx.query<{ last_seq: number }>(
      `INSERT INTO dossier_code_counters (agency_code, day, last_seq) VALUES ($1, $2, 1)
       ON CONFLICT (agency_code, day) DO UPDATE SET last_seq = dossier_code_counters.last_seq + 1
       RETURNING last_seq`,
      [agencyCode, day],
    );
    return r.rows[0]!.last_seq;
  });
  return formatDossierCode(agencyCode, day, seq);
}
