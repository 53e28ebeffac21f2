import type { Database } from '../../db/database.ts';
import { appendAudit } from '../audit/index.ts';
import type { FileStore } from '../files/index.ts';
import { statesTagged } from '../workflow/index.ts';
import { documentTypes, retentionOf, type DocumentTypes, type Retention } from './document-types.ts';

/** Dossier statuses whose uploads fall under the shorter `withdrawnOrRefusedUploads` rule: the workflow's `ended_without_result` states. */
const ENDED_WITHOUT_RESULT = statesTagged('ended_without_result');

export interface PurgeCandidate {
  documentId: string;
  ownerId: string;
  documentType: string;
  source: string;
  createdAt: Date;
  /** When it may be deleted: its type's retention from when it was recorded, or the withdrawn/refused rule. */
  expiresAt: Date;
  reason: 'retention' | 'withdrawn_or_refused';
}

const addYears = (d: Date, years: number): Date => {
  const x = new Date(d.getTime());
  x.setUTCFullYear(x.getUTCFullYear() + years);
  return x;
};
const expiry = (from: Date, r: Retention): Date | undefined => ('permanent' in r ? undefined : addYears(from, r.years));

/**
 * The documents past retention at `now`. A type kept permanently is never deleted. An upload
 * whose dossiers all ended withdrawn or refused is kept `withdrawnOrRefusedUploads` after the
 * last of them ended, when that comes first.
 */
export async function findExpired(db: Database, now: Date, rules: DocumentTypes = documentTypes()): Promise<PurgeCandidate[]> {
  const r = await db.query<{ id: string; owner_id: string; document_type: string; source: string; created_at: Date; statuses: string[] | null; ended_at: Date | null }>(
    `SELECT doc.id::text AS id, doc.owner_id, doc.document_type, doc.source, doc.created_at, x.statuses, x.ended_at
     FROM documents doc
     LEFT JOIN LATERAL (
       SELECT array_agg(DISTINCT d.status) AS statuses, max(d.updated_at) AS ended_at
       FROM files f JOIN dossier_files df ON df.file_id = f.id JOIN dossiers d ON d.id = df.dossier_id
       WHERE f.sha256 = doc.sha256 AND (f.id = doc.file_id OR f.reused_from_document = doc.id OR d.id = doc.dossier_id)
     ) x ON true
     ORDER BY doc.created_at, doc.id`,
  );
  const out: PurgeCandidate[] = [];
  for (const row of r.rows) {
    const retention = retentionOf(row.document_type, rules);
    if ('permanent' in retention) continue;
    let expiresAt = expiry(row.created_at, retention)!;
    let reason: PurgeCandidate['reason'] = 'retention';
    if (row.source === 'upload' && row.statuses && row.statuses.length > 0 && row.statuses.every((s) => ENDED_WITHOUT_RESULT.includes(s)) && row.ended_at) {
      const short = expiry(row.ended_at, rules.withdrawnOrRefusedUploads);
      if (short !== undefined && short < expiresAt) {
        expiresAt = short;
        reason = 'withdrawn_or_refused';
      }
    }
    if (expiresAt <= now) {
      out.push({ documentId: row.id, ownerId: row.owner_id, documentType: row.document_type, source: row.source, createdAt: row.created_at, expiresAt, reason });
    }
  }
  return out;
}

export interface PurgeReport {
  purged: PurgeCandidate[];
  /** File records whose content went with a purged document (kept as records, marked purged: downloads answer 410). */
  filesPurged: number;
  /** Blobs removed from the store: no live record named them any more. */
  blobsRemoved: number;
}

/**
 * Deletes what is past retention: each document in its own transaction with its audit
 * entry (`document.purge`, actor `system:retention`), the file records of the same content
 * marked purged, then each blob nobody names any more removed from the store.
 */
export async function purgeExpired(db: Database, store: FileStore, opts: { now?: Date; dryRun?: boolean; rules?: DocumentTypes } = {}): Promise<PurgeReport> {
  const now = opts.now ?? new Date();
  const candidates = await findExpired(db, now, opts.rules);
  if (opts.dryRun) return { purged: candidates, filesPurged: 0, blobsRemoved: 0 };
  let filesPurged = 0;
  const keys = new Map<string, string>();
  for (const c of candidates) {
    await db.transaction(async (tx) => {
      const d = await tx.query<{ sha256: string; storage_key: string; file_id: string | null; owner_id: string; document_type: string; source: string; dossier_id: string | null }>(
        'DELETE FROM documents WHERE id = $1 RETURNING sha256, storage_key, file_id::text AS file_id, owner_id, document_type, source, dossier_id::text AS dossier_id',
        [c.documentId],
      );
      const doc = d.rows[0];
      if (!doc) return; // gone meanwhile
      // The file records carrying this document: the one it was recorded from, the reuses of it,
      // and the same owner's other uploads or scans of the same content.
      const f = await tx.query(
        `UPDATE files SET purged_at = $4 WHERE purged_at IS NULL AND sha256 = $2 AND (
           id = $1::uuid OR reused_from_document = $3::uuid
           OR (source IN ('upload', 'digitised') AND owner_sub = (SELECT owner_sub FROM files WHERE id = $1::uuid)))
         RETURNING id`,
        [doc.file_id, doc.sha256, c.documentId, now],
      );
      filesPurged += f.rows.length;
      keys.set(doc.sha256, doc.storage_key);
      await appendAudit(tx, {
        actorSub: 'system:retention', actorRoles: ['system'], action: 'document.purge', entityType: 'document', entityId: c.documentId, at: now,
        before: { ownerId: doc.owner_id, documentType: doc.document_type, source: doc.source, sha256: doc.sha256, dossierId: doc.dossier_id, createdAt: c.createdAt.toISOString() },
        after: { purged: true, reason: c.reason, expiresAt: c.expiresAt.toISOString(), filesPurged: f.rows.length },
      });
    });
  }
  let blobsRemoved = 0;
  for (const [sha256, key] of keys) {
    const live = await db.query('SELECT 1 FROM files WHERE sha256 = $1 AND purged_at IS NULL UNION ALL SELECT 1 FROM documents WHERE sha256 = $1 LIMIT 1', [sha256]);
    if (live.rows.length > 0) continue;
    await store.remove(key);
    blobsRemoved++;
  }
  return { purged: candidates, filesPurged, blobsRemoved };
}
