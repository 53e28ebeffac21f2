import { randomUUID } from 'node:crypto';
import type { Queryable } from '../../db/database.ts';
import { AppError } from '../../shared/errors.ts';

/** Where a warehouse document came from. */
export type DocumentSource = 'upload' | 'digitised' | 'slip' | 'result';
export const DOCUMENT_SOURCES: readonly DocumentSource[] = Object.freeze(['upload', 'digitised', 'slip', 'result']);

/** The type given to an upload until the field it was submitted under (or its owner) says what it is. */
export const UNCLASSIFIED = 'unclassified';

/** A 12-digit personal identification number, or a 10-digit tax code (with a -NNN branch suffix). */
export const isOwnerId = (s: unknown): s is string => typeof s === 'string' && /^([0-9]{12}|[0-9]{10}(-[0-9]{3})?)$/.test(s);

/** The owner ids a caller holds documents under: their personal id and their business's tax code. */
export function ownerIdsOf(p: { personalId?: string | undefined; taxCode?: string | undefined }): string[] {
  return [p.personalId, p.taxCode].filter(isOwnerId);
}

export interface RecordDocumentInput {
  /** The file record (files.id) whose content is kept; its blob is shared, never copied. */
  fileId: string;
  /** The owner: 12-digit personal identification number or tax code. */
  ownerId: string;
  /** e.g. 'birth_extract', 'marital_status_certificate', 'receipt_slip' (see data/document-types.json). */
  documentType: string;
  issuingAgency?: string | undefined;
  /** YYYY-MM-DD or a Date (the calendar day in Vietnam is the caller's concern). */
  validFrom?: string | Date | undefined;
  validUntil?: string | Date | undefined;
  source: DocumentSource;
  /** The dossier the document was made or scanned for, when there is one. */
  dossierId?: string | undefined;
}

const day = (v: string | Date | undefined, field: string): string | null => {
  if (v === undefined) return null;
  if (v instanceof Date) {
    if (Number.isNaN(v.getTime())) throw invalid(field, 'Ngày không hợp lệ', 'Invalid date');
    return v.toISOString().slice(0, 10);
  }
  if (!/^\d{4}-\d{2}-\d{2}$/.test(v) || Number.isNaN(Date.parse(`${v}T00:00:00Z`))) throw invalid(field, 'Ngày phải có dạng YYYY-MM-DD', 'A date must be YYYY-MM-DD');
  return v;
};

function invalid(field: string, vi: string, en: string): AppError {
  return new AppError('invalid', 'invalid_document', { vi, en }, { field });
}

/**
 * Records the content of file `fileId` in the warehouse as a document of `ownerId`, inside
 * the caller's transaction `q`. The same content for the same owner is one document: recording
 * it again returns the same id (a known type, agency or validity is kept; an unknown one is filled in).
 */
export async function recordDocument(q: Queryable, input: RecordDocumentInput): Promise<{ id: string; created: boolean }> {
  if (!isOwnerId(input.ownerId)) throw invalid('/ownerId', 'Chủ sở hữu phải là số định danh cá nhân (12 số) hoặc mã số thuế', 'The owner must be a 12-digit personal identification number or a tax code');
  if (typeof input.documentType !== 'string' || !/^[a-z][a-z0-9_]{0,63}$/.test(input.documentType)) {
    throw invalid('/documentType', 'Loại giấy tờ không hợp lệ', 'Invalid document type');
  }
  if (!DOCUMENT_SOURCES.includes(input.source)) throw invalid('/source', 'Nguồn không hợp lệ', 'Invalid source');
  const validFrom = day(input.validFrom, '/validFrom');
  const validUntil = day(input.validUntil, '/validUntil');
  if (validFrom !== null && validUntil !== null && validUntil < validFrom) throw invalid('/validUntil', 'Ngày hết hiệu lực trước ngày có hiệu lực', 'Valid until is before valid from');
  const r = await q.query<{ id: string; created: boolean }>(
    `INSERT INTO documents (id, owner_id, sha256, storage_key, size_bytes, media_type, file_name, file_id, document_type, issuing_agency, valid_from, valid_until, source, dossier_id)
     SELECT $1, $2, f.sha256, f.storage_key, f.size_bytes, f.media_type, f.file_name, f.id, $4, $5, $6::date, $7::date, $8, $9::uuid
     FROM files f WHERE f.id = $3::uuid AND f.purged_at IS NULL
     ON CONFLICT (owner_id, sha256) DO UPDATE SET
       -- What the latest upload or scan says the paper is (an officer's classification at the counter) wins; 'unclassified' never replaces a type.
       document_type = CASE WHEN EXCLUDED.document_type = '${UNCLASSIFIED}' THEN documents.document_type ELSE EXCLUDED.document_type END,
       issuing_agency = coalesce(documents.issuing_agency, EXCLUDED.issuing_agency),
       valid_from = coalesce(documents.valid_from, EXCLUDED.valid_from),
       valid_until = coalesce(documents.valid_until, EXCLUDED.valid_until),
       dossier_id = coalesce(documents.dossier_id, EXCLUDED.dossier_id)
     RETURNING id::text AS id, (xmax = 0) AS created`,
    [randomUUID(), input.ownerId, input.fileId, input.documentType, input.issuingAgency ?? null, validFrom, validUntil, input.source, input.dossierId ?? null],
  );
  const row = r.rows[0];
  if (!row) throw invalid('/fileId', 'Không tìm thấy tệp', 'No such file');
  return { id: row.id, created: row.created };
}

/** The owner id a caller's own uploads are kept under: a business's tax code, a citizen's personal id. */
export function primaryOwnerId(p: { roles: readonly string[]; personalId?: string | undefined; taxCode?: string | undefined }): string | undefined {
  const order = p.roles.includes('business') ? [p.taxCode, p.personalId] : [p.personalId, p.taxCode];
  return order.find(isOwnerId);
}
