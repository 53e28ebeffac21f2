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
  // One autocommitted statement (one round trip): set_config(..., true) applies to this
  // statement's own transaction only, so it is the short transaction described above.
  const r = await db.query<{ last_seq: number }>(
    `WITH async AS MATERIALIZED (SELECT set_config('synchronous_commit', 'off', true))
     INSERT INTO dossier_code_counters (agency_code, day, last_seq) SELECT $1, $2, 1 FROM async
     ON CONFLICT (agency_code, day) DO UPDATE SET last_seq = dossier_code_counters.last_seq + 1
     RETURNING last_seq`,
    [agencyCode, day],
  );
  return formatDossierCode(agencyCode, day, r.rows[0]!.last_seq);
}
