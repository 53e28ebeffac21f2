/**
 * Verification for everyone: an uploaded PDF, or the documents stored for a dossier code.
 * Reports the signatures (signer, time, integrity, chain to the configured trust anchors)
 * and whether the document is the one stored for a dossier (its SHA-256).
 */
import { createHash, type X509Certificate } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import type { Database } from '../../db/database.ts';
import type { FileStore } from '../files/index.ts';
import { issuedFilesOf, issuedFilesWithContent } from '../dossiers/index.ts';
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
      const issued = await issuedFilesWithContent(db, report.sha256, ISSUED_ROLES);
      return { ...report, stored: issued.map((x) => ({ dossierCode: x.dossierCode, role: x.role, fileId: x.fileId, fileName: x.fileName })) };
    },

    /** The documents issued for a dossier, each verified from the store; undefined when there is no such dossier. */
    async verifyDossier(code: string): Promise<StoredDocument[] | undefined> {
      const issued = await issuedFilesOf(db, code, ISSUED_ROLES);
      if (issued === undefined) return undefined;
      const anchors = await deps.trustAnchors();
      const out: StoredDocument[] = [];
      for (const row of issued) {
        let bytes: Buffer | undefined;
        try {
          bytes = await readAll(deps.store.open(row.storageKey));
        } catch {
          bytes = undefined;
        }
        const storedIntact = bytes !== undefined && createHash('sha256').update(bytes).digest('hex') === row.sha256;
        out.push({
          role: row.role,
          fileName: row.fileName,
          sha256: row.sha256,
          createdAt: row.createdAt.toISOString(),
          storedIntact,
          report: bytes !== undefined && row.mediaType === 'application/pdf' ? verifyPdf(bytes, anchors) : null,
        });
      }
      return out;
    },
  };
}
export type VerificationService = ReturnType<typeof createVerificationService>;
