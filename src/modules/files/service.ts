import { randomUUID } from 'node:crypto';
import type { Readable } from 'node:stream';
import type { Database, Queryable } from '../../db/database.ts';
import { AppError, notFound } from '../../shared/errors.ts';
import type { Principal } from '../identity/index.ts';
import { visibleDossierFilesSql } from '../dossiers/index.ts';
import type { FileStore, PutChecks } from './file-store.ts';
import { sniffMediaType } from './media-type.ts';
import { inspectPdf } from './pdf-check.ts';
import { primaryOwnerId, recordDocument, UNCLASSIFIED } from '../warehouse/index.ts';

export interface FileRecord {
  id: string;
  sha256: string;
  size: number;
  mediaType: string;
  fileName: string | null;
  ownerSub: string;
  createdAt: string;
  /** upload, digitised (scanned at the counter), slip, result, or reused (from a warehouse document, with consent). */
  source: string;
  reusedFromDocumentId: string | null;
}

interface FileRow {
  id: string;
  sha256: string;
  size_bytes: string;
  media_type: string;
  file_name: string | null;
  owner_sub: string;
  storage_key: string;
  created_at: Date;
  source: string;
  reused_from_document: string | null;
  purged_at: Date | null;
}

const toRecord = (r: FileRow): FileRecord => ({
  id: r.id,
  sha256: r.sha256,
  size: Number(r.size_bytes),
  mediaType: r.media_type,
  fileName: r.file_name,
  ownerSub: r.owner_sub,
  createdAt: r.created_at.toISOString(),
  source: r.source,
  reusedFromDocumentId: r.reused_from_document,
});

/** Keeps only a safe display name: no path, no control characters, at most 255 characters. */
export function cleanFileName(name: string | undefined): string | null {
  if (!name) return null;
  const base = name.split(/[\\/]/).pop() ?? '';
  // eslint-disable-next-line no-control-regex -- control characters are what a file name must not keep
  const clean = base.replace(/[\u0000-\u001f\u007f]/g, '').trim().slice(0, 255);
  return clean === '' ? null : clean;
}

const formatMegabytes = (bytes: number): string => (bytes / (1024 * 1024)).toLocaleString('en', { maximumFractionDigits: 1 });

/** What an upload's content must be: checked on the temporary copy, before it is kept. */
export function uploadChecks(maxBytes: number): PutChecks & { mediaType(): string } {
  let mediaType: string | undefined;
  return {
    maxBytes,
    tooLarge: () =>
      new AppError(
        'too_large',
        'file_too_large',
        { vi: `Tệp lớn hơn mức cho phép (${formatMegabytes(maxBytes)} MB)`, en: `The file is larger than allowed (${formatMegabytes(maxBytes)} MB)` },
        { field: 'file', extra: { maxBytes } },
      ),
    accept: async ({ head, size, content }) => {
      if (size === 0) throw new AppError('invalid', 'empty_file', { vi: 'Tệp rỗng', en: 'The file is empty' }, { field: 'file' });
      mediaType = sniffMediaType(head);
      if (mediaType === undefined) {
        throw new AppError(
          'unsupported_media_type',
          'unsupported_file_type',
          { vi: 'Tệp không phải PDF, JPEG hoặc PNG (kiểm tra theo nội dung tệp)', en: 'The file is not a PDF, JPEG or PNG (checked by its content)' },
          { field: 'file' },
        );
      }
      if (mediaType === 'application/pdf') {
        const problem = await inspectPdf(await content());
        if (problem) throw new AppError('invalid', problem.code, problem.message, { field: 'file' });
      }
    },
    mediaType() {
      if (mediaType === undefined) throw new Error('unreachable: accepted content has a media type');
      return mediaType;
    },
  };
}

export function createFileService(db: Database, store: FileStore, limits: { maxBytes: number } = { maxBytes: 20 * 1024 * 1024 }) {
  return {
    /**
     * Stores an upload. Each upload is its own file (its own name), even of a content sent before;
     * the store keeps one blob per content whoever uploads it. An upload by a citizen or a
     * business is also kept in their records warehouse, under `documentType` when they say what
     * it is, 'unclassified' until the field it is submitted under tells.
     */
    async upload(owner: Principal, source: Readable & { truncated?: boolean }, fileName: string | undefined, opts: { documentType?: string | undefined } = {}): Promise<{ file: FileRecord }> {
      const checks = uploadChecks(limits.maxBytes);
      const blob = await store.put(source, checks);
      const mediaType = checks.mediaType();
      const ownerId = primaryOwnerId(owner);
      return db.transaction(async (tx) => {
        const r = await tx.query<FileRow>(
          `INSERT INTO files (id, sha256, size_bytes, media_type, file_name, owner_sub, storage_key)
           VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING *`,
          [randomUUID(), blob.sha256, blob.size, mediaType, cleanFileName(fileName), owner.sub, blob.storageKey],
        );
        const row = r.rows[0]!;
        if (ownerId !== undefined) await recordDocument(tx, { fileId: row.id, ownerId, documentType: opts.documentType ?? UNCLASSIFIED, source: 'upload' });
        return { file: toRecord(row) };
      });
    },

    /** A file the caller owns, or one attached to a dossier the caller may see; otherwise 404. Purged content: 410. */
    async get(caller: Principal, id: string): Promise<FileRecord & { storageKey: string }> {
      const vis = visibleDossierFilesSql(caller, 3);
      const r = await db.query<FileRow>(
        `SELECT f.* FROM files f WHERE f.id = $1 AND (f.owner_sub = $2 OR EXISTS (
           SELECT 1 FROM dossier_files df JOIN dossiers d ON d.id = df.dossier_id
           WHERE df.file_id = f.id AND ${vis.sql}))`,
        [id, caller.sub, ...vis.params],
      );
      const row = r.rows[0];
      if (!row) throw notFound({ vi: 'Không tìm thấy tệp', en: 'File not found' }, 'id');
      if (row.purged_at !== null) throw purged(row.purged_at);
      return { ...toRecord(row), storageKey: row.storage_key };
    },

    open: (storageKey: string) => store.open(storageKey),
  };
}

export const purged = (at: Date): AppError =>
  new AppError('gone', 'file_purged', { vi: 'Tệp đã bị xóa khi hết thời hạn lưu trữ', en: 'The file was deleted at the end of its retention period' }, { extra: { purgedAt: at.toISOString() } });

export type FileService = ReturnType<typeof createFileService>;

/**
 * The files a form or action input names must exist and belong to `ownerSub`.
 * Returns the ids that do not, so the caller can name the fields.
 */
export async function findForeignFiles(q: Queryable, ownerSub: string, ids: string[]): Promise<Set<string>> {
  if (ids.length === 0) return new Set();
  const r = await q.query<{ id: string }>('SELECT id::text AS id FROM files WHERE id = ANY($1::uuid[]) AND owner_sub = $2', [ids, ownerSub]);
  const ok = new Set(r.rows.map((x) => x.id));
  return new Set(ids.filter((i) => !ok.has(i)));
}

/** Where a file's content is and what it is (for a module that signs or copies it), or undefined. */
export async function fileContentOf(q: Queryable, id: string): Promise<{ storage_key: string; source: string; media_type: string } | undefined> {
  return (await q.query<{ storage_key: string; source: string; media_type: string }>('SELECT storage_key, source, media_type FROM files WHERE id = $1', [id])).rows[0];
}
