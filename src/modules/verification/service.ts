/**
 * Verification for everyone: an uploaded PDF, or the documents stored for a dossier code.
 * Reports the signatures (signer, time, integrity, chain to the configured trust anchors)
 * and whether the document is the one stored for a dossier (its SHA-256).
 */
import { createHash, type X509Certificate } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import type { Database } from '../../db/database.ts';
import type { FileStore } from '../files/index.ts';
import { isDossierCode } from '../dossiers/index.ts';
import { parseTrustAnchors, verifyPdf, type VerificationReport } from './verify.ts';

/** Dossier file roles of the documents the agency issues (generated slips and the result). */
export const ISSUED_ROLES = ['receipt', 'slip', 'result'] as const;

export interface StoredMatch {
  dossierCode: string;
  role: string;
  fileId: string;
  fileName: string | null;
}

export interface StoredDocument {
  role: string;
  fileName: string | null;
  sha256: string;
  createdAt: string;
  /** The stored bytes still hash to the recorded SHA-256. */
  storedIntact: boolean;
  report: VerificationReport | null;
}

/** Trust anchors from a PEM file, re-read when the file changes (the demo creates it on first signature). */
export function trustAnchorsFrom(path: string): () => Promise<X509Certificate[]> {
  let cached: { mtimeMs: number; anchors: X509Certificate[] } | undefined;
  return async () => {
    const s = await stat(path).catch(() => undefined);
    if (!s) return [];
    if (!cached || cached.mtimeMs !== s.mtimeMs) cached = { mtimeMs: s.mtimeMs, anchors: parseTrustAnchors(await readFile(path, 'utf8')) };
    return cached.anchors;
  };
}

async function readAll(stream: NodeJS.ReadableStream): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of stream) chunks.push(Buffer.from(c as Buffer));
  return Buffer.concat(chunks);
}

export function createVerificationService(deps: { db: Database; store: FileStore; trustAnchors: () => Promise<X509Certificate[]> }) {
  const { db } = deps;
  return {
    async verifyBytes(bytes: Uint8Array): Promise<VerificationReport & { stored: StoredMatch[] }> {
      const report = verifyPdf(bytes, await deps.trustAnchors());
      const r = await db.query<{ code: string; role: string; id: string; file_name: string | null }>(
        `SELECT d.code, df.role, f.id::text AS id, f.file_name FROM files f
           JOIN dossier_files df ON df.file_id = f.id JOIN dossiers d ON d.id = df.dossier_id
          WHERE f.sha256 = $1 AND df.role = ANY($2::text[]) ORDER BY f.created_at`,
        [report.sha256, ISSUED_ROLES],
      );
      return { ...report, stored: r.rows.map((x) => ({ dossierCode: x.code, role: x.role, fileId: x.id, fileName: x.file_name })) };
    },

    /** The documents issued for a dossier, each verified from the store; undefined when there is no such dossier. */
    async verifyDossier(code: string): Promise<StoredDocument[] | undefined> {
      if (!isDossierCode(code)) return undefined;
      const d = await db.query<{ id: string }>('SELECT id::text AS id FROM dossiers WHERE code = $1', [code]);
      const id = d.rows[0]?.id;
      if (id === undefined) return undefined;
      const r = await db.query<{ role: string; file_name: string | null; sha256: string; storage_key: string; created_at: Date; media_type: string }>(
        `SELECT df.role, f.file_name, f.sha256, f.storage_key, f.created_at, f.media_type FROM dossier_files df JOIN files f ON f.id = df.file_id
          WHERE df.dossier_id = $1 AND df.role = ANY($2::text[]) ORDER BY f.created_at, df.role`,
        [id, ISSUED_ROLES],
      );
      const anchors = await deps.trustAnchors();
      const out: StoredDocument[] = [];
      for (const row of r.rows) {
        let bytes: Buffer | undefined;
        try {
          bytes = await readAll(deps.store.open(row.storage_key));
        } catch {
          bytes = undefined;
        }
        const storedIntact = bytes !== undefined && createHash('sha256').update(bytes).digest('hex') === row.sha256;
        out.push({
          role: row.role,
          fileName: row.file_name,
          sha256: row.sha256,
          createdAt: row.created_at.toISOString(),
          storedIntact,
          report: bytes !== undefined && row.media_type === 'application/pdf' ? verifyPdf(bytes, anchors) : null,
        });
      }
      return out;
    },
  };
}
export type VerificationService = ReturnType<typeof createVerificationService>;
