import { randomUUID } from 'node:crypto';
import type { Readable } from 'node:stream';
import type { Database, Queryable } from '../../db/database.ts';
import { AppError, notFound } from '../../shared/errors.ts';
import type { Principal } from '../identity/index.ts';
import { appendAudit } from '../audit/index.ts';
import { enqueue } from '../outbox/index.ts';
import { findCurrentProcedure, findProcedureVersion } from '../catalogue/index.ts';
import type { Procedure } from '../catalogue/index.ts';
import { canSeeDossier } from '../dossiers/index.ts';
import { findDossierByCode, linkDossierFiles } from '../dossiers/index.ts';
import { dossierCodesOf, isDossierCode, submittedContents } from '../dossiers/index.ts';
import type { FileStore } from '../files/index.ts';
import { cleanFileName, uploadChecks } from '../files/index.ts';
import { documentTypes, effectiveValidUntil, fieldAt, fileFieldsOf, type FileField } from './document-types.ts';
import { isOwnerId, ownerIdsOf, recordDocument, UNCLASSIFIED, type DocumentSource } from './store.ts';

export interface Clock {
  now(): Date;
}

/** A warehouse document as its owner sees it. */
export interface DocumentView {
  id: string;
  ownerId: string;
  documentType: string;
  documentTypeName: { vi: string; en: string } | null;
  fileName: string | null;
  mediaType: string;
  size: number;
  sha256: string;
  issuingAgency: string | null;
  validFrom: string | null;
  /** Its own valid-until, or the issue day plus the type's validity (a marital status certificate: 6 months). */
  validUntil: string | null;
  /** Valid today (Vietnam's calendar day). */
  valid: boolean;
  source: DocumentSource;
  dossierCode: string | null;
  createdAt: string;
}

interface DocRow {
  id: string;
  owner_id: string;
  sha256: string;
  storage_key: string;
  size_bytes: string;
  media_type: string;
  file_name: string | null;
  document_type: string;
  issuing_agency: string | null;
  valid_from: string | null;
  valid_until: string | null;
  source: DocumentSource;
  dossier_id: string | null;
  created_at: Date;
}

/** A document row with its dossier's code (from the dossiers module). */
type DocWithCode = DocRow & { dossier_code: string | null };

async function withDossierCodes(q: Queryable, rows: DocRow[]): Promise<DocWithCode[]> {
  const codes = await dossierCodesOf(q, rows.flatMap((r) => (r.dossier_id === null ? [] : [r.dossier_id])));
  return rows.map((r) => ({ ...r, dossier_code: r.dossier_id === null ? null : (codes.get(r.dossier_id) ?? null) }));
}

const DOC_COLUMNS = `doc.id::text AS id, doc.owner_id, doc.sha256, doc.storage_key, doc.size_bytes, doc.media_type, doc.file_name, doc.document_type,
  doc.issuing_agency, to_char(doc.valid_from, 'YYYY-MM-DD') AS valid_from, to_char(doc.valid_until, 'YYYY-MM-DD') AS valid_until, doc.source,
  doc.dossier_id::text AS dossier_id, doc.created_at`;

/** The calendar day in Vietnam (UTC+7, no daylight saving). */
export const vietnamDay = (at: Date): string => new Date(at.getTime() + 7 * 3600_000).toISOString().slice(0, 10);

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const documentNotFound = (): AppError => notFound({ vi: 'Không tìm thấy giấy tờ', en: 'Document not found' }, 'id');

function toView(r: DocWithCode, today: string): DocumentView {
  const validUntil = effectiveValidUntil({ documentType: r.document_type, validFrom: r.valid_from, validUntil: r.valid_until, createdAt: r.created_at });
  const type = documentTypes().types.get(r.document_type);
  return {
    id: r.id,
    ownerId: r.owner_id,
    documentType: r.document_type,
    documentTypeName: type?.name ?? null,
    fileName: r.file_name,
    mediaType: r.media_type,
    size: Number(r.size_bytes),
    sha256: r.sha256,
    issuingAgency: r.issuing_agency,
    validFrom: r.valid_from,
    validUntil,
    valid: (r.valid_from === null || r.valid_from <= today) && (validUntil === null || validUntil >= today),
    source: r.source,
    dossierCode: r.dossier_code,
    createdAt: r.created_at.toISOString(),
  };
}

/** The owner id of a dossier's applicant: a business's tax code, a citizen's personal id. */
function applicantOwnerId(applicant: Record<string, unknown>): string | undefined {
  const order = applicant.type === 'business' ? [applicant.taxCode, applicant.personalId] : [applicant.personalId, applicant.taxCode];
  return order.find(isOwnerId) as string | undefined;
}

/** The eForm schema a dossier or an application follows: its case's, or the procedure's. */
const schemaOf = (p: Procedure, variantId: string | null | undefined): unknown => (p.variants ?? []).find((v) => v.id === variantId)?.form?.schema ?? p.form.schema;

/**
 * The records warehouse (kho dữ liệu): owners list, download and reuse their documents;
 * reception attaches scans of the papers brought to the counter.
 */
export function createWarehouseService(deps: { db: Database; store: FileStore; clock?: Clock; maxBytes?: number }) {
  const { db, store } = deps;
  const clock = deps.clock ?? { now: () => new Date() };
  const maxBytes = deps.maxBytes ?? 20 * 1024 * 1024;
  const fieldCache = new Map<string, FileField[]>();

  async function fieldsOf(q: Queryable, code: string, version: number, variantId: string | null): Promise<FileField[]> {
    const key = `${code}@${version}#${variantId ?? ''}`;
    let f = fieldCache.get(key);
    if (f === undefined) {
      const p = await findProcedureVersion(q, code, version);
      f = p ? fileFieldsOf(schemaOf(p, variantId)) : [];
      if (fieldCache.size > 2000) fieldCache.clear();
      fieldCache.set(key, f);
    }
    return f;
  }

  /**
   * An upload is 'unclassified' until it is submitted under an eForm field: the field's
   * required document (x-document) then gives its type. Done when the owner next looks.
   */
  async function classifyPending(ownerIds: string[]): Promise<void> {
    if (ownerIds.length === 0) return;
    const pending = await db.query<{ id: string; owner_id: string; sha256: string }>(
      `SELECT id::text AS id, owner_id, sha256 FROM documents WHERE owner_id = ANY($1::text[]) AND document_type = '${UNCLASSIFIED}'`,
      [ownerIds],
    );
    if (pending.rows.length === 0) return;
    // Where the owner themselves submitted each content (the dossiers module answers), oldest first.
    const submitted = await submittedContents(db, pending.rows.map((x) => x.sha256));
    for (const s of submitted) {
      for (const doc of pending.rows) {
        if (doc.sha256 !== s.sha256 || !s.applicantIds.includes(doc.owner_id)) continue;
        const type = fieldAt(await fieldsOf(db, s.procedureCode, s.procedureVersion, s.variantId), s.pointer)?.documentType;
        if (type === undefined) continue;
        await db.query(`UPDATE documents SET document_type = $2, dossier_id = coalesce(dossier_id, $3::uuid) WHERE id = $1 AND document_type = '${UNCLASSIFIED}'`, [doc.id, type, s.dossierId]);
      }
    }
  }

  async function findOwned(p: Principal, id: string): Promise<DocWithCode> {
    const owners = ownerIdsOf(p);
    if (!UUID.test(id) || owners.length === 0) throw documentNotFound();
    const r = await db.query<DocRow>(`SELECT ${DOC_COLUMNS} FROM documents doc WHERE doc.id = $1 AND doc.owner_id = ANY($2::text[])`, [id, owners]);
    if (!r.rows[0]) throw documentNotFound();
    return (await withDossierCodes(db, r.rows))[0]!;
  }

  return {
    /** The caller's documents (their personal id's, and their business's tax code's), newest first. */
    async list(p: Principal, f: { type?: string | undefined; validOnly?: boolean } = {}): Promise<DocumentView[]> {
      const owners = ownerIdsOf(p);
      if (owners.length === 0) return [];
      await classifyPending(owners);
      const params: unknown[] = [owners];
      let where = 'doc.owner_id = ANY($1::text[])';
      if (f.type !== undefined) {
        params.push(f.type);
        where += ` AND doc.document_type = $${params.length}`;
      }
      const r = await db.query<DocRow>(`SELECT ${DOC_COLUMNS} FROM documents doc WHERE ${where} ORDER BY doc.created_at DESC, doc.id LIMIT 1000`, params);
      const today = vietnamDay(clock.now());
      const views = (await withDossierCodes(db, r.rows)).map((x) => toView(x, today));
      return f.validOnly ? views.filter((v) => v.valid) : views;
    },

    async get(p: Principal, id: string): Promise<DocumentView & { storageKey: string }> {
      const row = await findOwned(p, id);
      return { ...toView(row, vietnamDay(clock.now())), storageKey: row.storage_key };
    },

    open: (storageKey: string): Readable => store.open(storageKey),

    /**
     * For each file field of the procedure's eForm that carries a known document type, the
     * caller's valid documents of that type: what may be reused instead of an upload.
     */
    async reusable(p: Principal, procedureCode: string, variantId: string | undefined) {
      const procedure = await findCurrentProcedure(db, procedureCode);
      if (!procedure) throw notFound({ vi: `Không tìm thấy thủ tục ${procedureCode}`, en: `No procedure ${procedureCode}` }, 'code');
      if (variantId !== undefined && !(procedure.variants ?? []).some((v) => v.id === variantId)) {
        throw new AppError('not_found', 'not_found', { vi: `Không có trường hợp ${variantId}`, en: `No case ${variantId}` }, { field: 'query.variantId' });
      }
      const fields = fileFieldsOf(schemaOf(procedure, variantId)).filter((f) => f.documentType !== undefined);
      const docs = await this.list(p, { validOnly: true });
      return {
        procedureCode: procedure.code,
        procedureVersion: procedure.version,
        variantId: variantId ?? null,
        fields: fields.map((f) => ({
          field: `/form${f.pointer}`,
          title: f.title,
          document: f.document ?? null,
          documentType: f.documentType!,
          documents: docs.filter((d) => d.documentType === f.documentType),
        })),
      };
    },

    /**
     * The owner consents to reuse a document for a field of a new application: a new file
     * record owned by the caller points at the same blob (nothing is copied), marked as
     * reused from the document; the consent is audited. Submitting the form with that file
     * id works like any upload.
     */
    async reuse(p: Principal, id: string, body: unknown, requestId?: string) {
      const doc = await findOwned(p, id);
      const b = (body ?? {}) as { consent?: unknown; field?: unknown };
      if (b.consent !== true) {
        throw new AppError('invalid', 'consent_required', { vi: 'Cần có sự đồng ý của chủ giấy tờ để sử dụng lại (consent: true)', en: "The owner's consent is needed to reuse the document (consent: true)" }, { field: '/consent' });
      }
      if (typeof b.field !== 'string' || !/^\/form(\/[^/]{1,200}){1,16}$/.test(b.field)) {
        throw new AppError('invalid', 'invalid_field', { vi: 'Trường của biểu mẫu phải có dạng /form/...', en: 'The form field must be a JSON Pointer /form/...' }, { field: '/field' });
      }
      const field = b.field;
      const now = clock.now();
      const view = toView(doc, vietnamDay(now));
      if (!view.valid) {
        throw new AppError(
          'invalid',
          'document_not_valid',
          { vi: `Giấy tờ không còn hiệu lực (hiệu lực đến ${view.validUntil ?? '—'}); hãy tải lên bản mới`, en: `The document is no longer valid (valid until ${view.validUntil ?? '—'}); upload a new one` },
          { field: 'id', extra: { validFrom: view.validFrom, validUntil: view.validUntil } },
        );
      }
      const fileId = randomUUID();
      await db.transaction(async (tx) => {
        await tx.query(
          `INSERT INTO files (id, sha256, size_bytes, media_type, file_name, owner_sub, storage_key, source, reused_from_document)
           VALUES ($1, $2, $3, $4, $5, $6, $7, 'reused', $8)`,
          [fileId, doc.sha256, doc.size_bytes, doc.media_type, doc.file_name, p.sub, doc.storage_key, doc.id],
        );
        await appendAudit(tx, {
          actorSub: p.sub, actorRoles: p.roles, action: 'document.reuse', entityType: 'document', entityId: doc.id, at: now, requestId,
          before: null, after: { consent: true, field, fileId, ownerId: doc.owner_id, documentType: doc.document_type, sha256: doc.sha256 },
        });
        await enqueue(tx, [{ topic: 'document.reused', key: doc.id, payload: { documentId: doc.id, documentType: doc.document_type, fileId, field, at: now.toISOString() } }]);
      });
      return {
        file: { id: fileId, sha256: doc.sha256, size: Number(doc.size_bytes), mediaType: doc.media_type, fileName: doc.file_name, ownerSub: p.sub, createdAt: now.toISOString(), source: 'reused', reusedFromDocumentId: doc.id },
        documentId: doc.id,
        field,
        consent: true,
      };
    },

    /**
     * Reception digitises a paper brought to the counter: the scan is checked like any upload,
     * attached to the dossier under `field` (default `/digitised/<type>`), kept in the
     * applicant's warehouse marked digitised; audited and announced with the dossier.
     */
    async attachScan(
      p: Principal,
      code: string,
      source: Readable & { truncated?: boolean },
      meta: { fileName?: string | undefined; documentType: string; field?: string | undefined; issuingAgency?: string | undefined; validFrom?: string | undefined; validUntil?: string | undefined },
      requestId?: string,
    ) {
      const notFoundDossier = () => notFound({ vi: `Không tìm thấy hồ sơ ${code}`, en: `No dossier ${code}` }, 'code');
      if (!isDossierCode(code)) throw notFoundDossier();
      const d = await findDossierByCode(db, code);
      if (!d || !canSeeDossier(p, d)) throw notFoundDossier();
      if (!p.roles.includes('reception')) {
        throw new AppError('forbidden', 'forbidden', { vi: 'Chỉ cán bộ tiếp nhận được số hóa giấy tờ của hồ sơ', en: 'Only reception staff digitise the papers of a dossier' }, { extra: { requiredRoles: ['reception'] } });
      }
      const pointer = meta.field ?? `/digitised/${meta.documentType}`;
      const ownerId = applicantOwnerId(d.applicant);
      const checks = uploadChecks(maxBytes);
      const blob = await store.put(source, checks);
      const now = clock.now();
      return db.transaction(async (tx) => {
        // Each scan is its own file (its name, the field it is under), even of a paper scanned before.
        const fileId = randomUUID();
        await tx.query(
          `INSERT INTO files (id, sha256, size_bytes, media_type, file_name, owner_sub, storage_key, source) VALUES ($1, $2, $3, $4, $5, $6, $7, 'digitised')`,
          [fileId, blob.sha256, blob.size, checks.mediaType(), cleanFileName(meta.fileName), d.applicantSub, blob.storageKey],
        );
        await linkDossierFiles(tx, d.id, [{ fileId, role: 'form', pointer }]);
        const document =
          ownerId !== undefined
            ? await recordDocument(tx, {
                fileId, ownerId, documentType: meta.documentType, issuingAgency: meta.issuingAgency, validFrom: meta.validFrom, validUntil: meta.validUntil, source: 'digitised', dossierId: d.id,
              })
            : undefined;
        await appendAudit(tx, {
          actorSub: p.sub, actorRoles: p.roles, action: 'dossier.digitise', entityType: 'dossier', entityId: code, at: now, requestId,
          before: null, after: { fileId, pointer, documentType: meta.documentType, sha256: blob.sha256, documentId: document?.id ?? null },
        });
        await enqueue(tx, [{ topic: 'dossier.document_digitised', key: code, payload: { code, fileId, pointer, documentType: meta.documentType, at: now.toISOString() } }]);
        return { fileId, pointer, documentId: document?.id ?? null, sha256: blob.sha256, source: 'digitised' as const };
      });
    },
  };
}
export type WarehouseService = ReturnType<typeof createWarehouseService>;
