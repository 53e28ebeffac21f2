/**
 * The documents a dossier's workflow produces, generated, signed and stored as it moves,
 * inside the action's transaction: the receipt on reception, the supplement request,
 * refusal, apology and stop notice on those actions, the result drafted (and signed by
 * the specialist) when submitted for approval without a file, countersigned by the
 * leader on approval. Stored as dossier files through the content-addressed file store
 * and recorded in the records warehouse under the applicant's personal id or tax code.
 */
import { randomUUID } from 'node:crypto';
import { Readable } from 'node:stream';
import type { Queryable } from '../../db/database.ts';
import { AppError } from '../../shared/errors.ts';
import { findProcedureVersion } from '../catalogue/store.ts';
import type { Procedure } from '../catalogue/types.ts';
import type { FileStore } from '../files/file-store.ts';
import { isStaff, type Principal } from '../identity/principal.ts';
import type { SignatureMeta, Signer } from '../signing/types.ts';
import { signPdf } from '../signing/pades.ts';
import { recordDocument, isOwnerId } from '../warehouse/store.ts';
import { typeForResultCode } from '../warehouse/document-types.ts';
import type { DossierSnapshot } from '../workflow/types.ts';
import { renderDossierDocument, renderControlSlip, renderRegister, type DocumentKind, type DossierDocumentData } from './templates.ts';
import { standardOneStop } from '../workflow/definitions/index.ts';

/** Vietnamese names of the states, for the register. */
const STATUS_VI: Record<string, string> = Object.fromEntries(standardOneStop.states.map((st) => [st.name, st.label.vi]));

/** What the hooks see of a dossier (the dossier store's record, narrowed). */
export interface DossierFacts {
  id: string;
  code: string;
  procedureCode: string;
  procedureVersion: number;
  agencyCode: string;
  applicantSub: string;
  applicant: Record<string, unknown>;
  form: Record<string, unknown>;
  submittedAt: Date;
  receivedAt: Date | null;
  dueAt: Date | null;
}

export interface ActionContext {
  principal: Principal;
  dossier: DossierFacts;
  action: string;
  /** The validated input of the action. */
  input: Record<string, unknown>;
  at: Date;
}

export interface Produced {
  links: { fileId: string; role: string; pointer: string }[];
  /** The file that becomes the dossier's result instead of the engine's choice. */
  resultFileId?: string;
}

/** Which signer signs for whom: the agency's by default; per official where the province has personal certificates. */
export type SignerFor = (who: { sub: string; name: string | undefined; role: 'specialist' | 'leader' | 'reception' | 'agency'; agencyCode: string }) => Promise<Signer>;

/** Dossier file roles of generated documents. */
export const GENERATED_ROLES = { receipt: 'receipt', slip: 'slip', result: 'result' } as const;

const SLIP_TYPES: Record<string, string> = {
  receipt: 'receipt_slip',
  supplement_request: 'supplement_request_slip',
  refusal: 'refusal_slip',
  apology: 'apology_slip',
  control: 'process_control_slip',
  stop_notice: 'stop_processing_notice',
};

const SLIP_NAMES: Record<string, string> = {
  receipt: 'giay-tiep-nhan-hen-tra',
  supplement_request: 'phieu-yeu-cau-bo-sung',
  refusal: 'phieu-tu-choi',
  apology: 'phieu-xin-loi-hen-lai',
  stop_notice: 'thong-bao-dung-xu-ly',
  result: 'ket-qua',
};

const REASONS: Record<string, string> = {
  receipt: 'Tiếp nhận hồ sơ',
  supplement_request: 'Yêu cầu bổ sung, hoàn thiện hồ sơ',
  refusal: 'Từ chối tiếp nhận, giải quyết hồ sơ',
  apology: 'Xin lỗi và hẹn lại ngày trả kết quả',
  stop_notice: 'Dừng xử lý hồ sơ',
};

const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);

/** The owner id a dossier's documents are kept under in the warehouse. */
function ownerIdOf(applicant: Record<string, unknown>): string | undefined {
  const order = applicant.type === 'business' ? [applicant.taxCode, applicant.personalId] : [applicant.personalId, applicant.taxCode];
  return order.find(isOwnerId);
}

export function createDocumentService(deps: { store: FileStore; signerFor: SignerFor; publicUrl: string; place: string }) {
  const agencyNames = new Map<string, { name: string; parentName: string | null }>();
  async function agencyOf(q: Queryable, code: string) {
    let a = agencyNames.get(code);
    if (!a) {
      const r = await q.query<{ name: string; parent_name: string | null }>(
        'SELECT a.name, p.name AS parent_name FROM agencies a LEFT JOIN agencies p ON p.code = a.parent_code WHERE a.code = $1',
        [code],
      );
      a = { name: r.rows[0]?.name ?? code, parentName: r.rows[0]?.parent_name ?? null };
      agencyNames.set(code, a);
    }
    return a;
  }

  async function dataFor(q: Queryable, ctx: ActionContext, procedure: Procedure | undefined, next?: Partial<DossierSnapshot>): Promise<DossierDocumentData> {
    const d = ctx.dossier;
    const agency = await agencyOf(q, d.agencyCode);
    const applicant = d.applicant;
    const reasons = Array.isArray(ctx.input.reasons) ? ctx.input.reasons.map(String) : undefined;
    const missing = Array.isArray(ctx.input.missingDocuments) ? (ctx.input.missingDocuments as { name: string; note?: string }[]) : undefined;
    const officer = isStaff(ctx.principal) ? ctx.principal.name : undefined;
    return {
      dossierCode: d.code,
      verifyUrl: `${deps.publicUrl}/verify/${d.code}`,
      agency: { code: d.agencyCode, name: agency.name, parentName: agency.parentName },
      place: deps.place,
      issuedAt: ctx.at,
      procedure: { code: d.procedureCode, name: procedure?.name ?? d.procedureCode },
      applicant: { name: str(applicant.name) ?? '', personalId: str(applicant.personalId) ?? str(applicant.taxCode) ?? null },
      submittedAt: d.submittedAt,
      receivedAt: next?.receivedAt ? new Date(next.receivedAt) : d.receivedAt,
      dueAt: next?.dueAt ? new Date(next.dueAt) : d.dueAt,
      documents: missing ?? (procedure?.requiredDocuments ?? []).filter((x) => x.required !== false).map((x) => ({ name: x.name.split(/[;(]/)[0]!.trim() })),
      ...(reasons ? { reasons } : {}),
      reason: str(ctx.input.reason) ?? null,
      newDueAt: str(ctx.input.newDueDate) ? new Date(`${String(ctx.input.newDueDate)}T10:00:00Z`) : null,
      // The officer who acts signs; when the applicant acts (a withdrawal), the agency does, unnamed.
      officer: officer ? { name: officer } : null,
      signer: officer ? { name: officer, title: titleOf(ctx.principal) } : null,
      form: d.form,
    };
  }

  const titleOf = (p: Principal): string =>
    p.roles.includes('leader') ? 'Thủ trưởng cơ quan' : p.roles.includes('specialist') ? 'Người xử lý hồ sơ' : p.roles.includes('reception') ? 'Người tiếp nhận hồ sơ' : 'Cơ quan giải quyết';

  /** Stores bytes in the file store and a files row in the caller's transaction. */
  async function storeFile(q: Queryable, bytes: Uint8Array, o: { ownerSub: string; fileName: string; source: 'slip' | 'result' }): Promise<{ id: string; sha256: string }> {
    const blob = await deps.store.put(Readable.from([Buffer.from(bytes)]));
    const id = randomUUID();
    await q.query(
      `INSERT INTO files (id, sha256, size_bytes, media_type, file_name, owner_sub, storage_key, source) VALUES ($1, $2, $3, 'application/pdf', $4, $5, $6, $7)`,
      [id, blob.sha256, blob.size, o.fileName, o.ownerSub, blob.storageKey, o.source],
    );
    return { id, sha256: blob.sha256 };
  }

  async function sign(pdf: Uint8Array, ctx: ActionContext, role: 'specialist' | 'leader' | 'reception' | 'agency', meta: Omit<SignatureMeta, 'signingTime'>): Promise<Uint8Array> {
    let signer: Signer;
    try {
      signer = await deps.signerFor({ sub: ctx.principal.sub, name: ctx.principal.name, role, agencyCode: ctx.dossier.agencyCode });
      return await signPdf(pdf, signer, { ...meta, signingTime: ctx.at, location: deps.place });
    } catch (err) {
      // Nothing of the action is kept (the transaction rolls back): the officer may try again.
      // The reason (a path, a service's answer) is for the operator's log, not for the caller.
      const e = new AppError(503, 'signing_unavailable', {
        vi: 'Chưa ký số được giấy tờ (chứng thư hoặc dịch vụ ký số không sẵn sàng); thao tác chưa được thực hiện, vui lòng thử lại',
        en: 'The document could not be signed (certificate or signing service unavailable); the action was not taken, try again',
      });
      (e as { cause?: unknown }).cause = err;
      throw e;
    }
  }

  async function warehouse(q: Queryable, ctx: ActionContext, fileId: string, documentType: string, source: 'slip' | 'result', agencyName: string): Promise<void> {
    const ownerId = ownerIdOf(ctx.dossier.applicant);
    if (ownerId === undefined) return;
    await recordDocument(q, { fileId, ownerId, documentType, issuingAgency: agencyName, validFrom: ctx.at, source, dossierId: ctx.dossier.id });
  }

  async function slip(q: Queryable, ctx: ActionContext, kind: Exclude<DocumentKind, 'register' | 'result' | 'control'>, role: string, signerRole: 'reception' | 'leader' | 'specialist' | 'agency', next?: Partial<DossierSnapshot>): Promise<Produced> {
    const procedure = await findProcedureVersion(q, ctx.dossier.procedureCode, ctx.dossier.procedureVersion);
    const data = await dataFor(q, ctx, procedure, next);
    const signed = await sign(await renderDossierDocument(kind, data), ctx, signerRole, { reason: `${REASONS[kind]} ${ctx.dossier.code}` });
    const file = await storeFile(q, signed, { ownerSub: ctx.dossier.applicantSub, fileName: `${SLIP_NAMES[kind]}-${ctx.dossier.code}.pdf`, source: 'slip' });
    await warehouse(q, ctx, file.id, SLIP_TYPES[kind]!, 'slip', data.agency.name);
    return { links: [{ fileId: file.id, role, pointer: `/documents/${kind}` }] };
  }

  return {
    /**
     * Before the input is validated: `submit_for_approval` without a draft gets the generated
     * result, signed by the specialist, as its draft (a file the specialist owns).
     */
    async prepareInput(q: Queryable, ctx: ActionContext): Promise<unknown> {
      const input: unknown = ctx.input;
      if (ctx.action !== 'submit_for_approval' || input === null || typeof input !== 'object' || Array.isArray(input) || ctx.input.draftResultFileId !== undefined) return input;
      const procedure = await findProcedureVersion(q, ctx.dossier.procedureCode, ctx.dossier.procedureVersion);
      const data = await dataFor(q, ctx, procedure);
      const pdf = await renderDossierDocument('result', { ...data, signer: null }, procedure?.result?.name);
      const signed = await sign(pdf, ctx, 'specialist', { reason: `Người xử lý hồ sơ ${ctx.dossier.code}` });
      const file = await storeFile(q, signed, { ownerSub: ctx.principal.sub, fileName: `du-thao-ket-qua-${ctx.dossier.code}.pdf`, source: 'result' });
      return { ...ctx.input, draftResultFileId: file.id };
    },

    /** After the workflow decided: the documents of the action, signed and stored; links to add to the dossier. */
    async afterDecision(q: Queryable, ctx: ActionContext & { prev: DossierSnapshot; next: DossierSnapshot }): Promise<Produced> {
      switch (ctx.action) {
        case 'receive':
          return slip(q, ctx, 'receipt', GENERATED_ROLES.receipt, 'reception', ctx.next);
        case 'request_supplement':
          return slip(q, ctx, 'supplement_request', GENERATED_ROLES.slip, 'reception');
        case 'refuse':
          return ctx.input.resultFileId !== undefined ? { links: [] } : slip(q, ctx, 'refusal', GENERATED_ROLES.slip, ctx.prev.status === 'submitted' ? 'reception' : 'leader');
        case 'apologise':
          return ctx.input.letterFileId !== undefined ? { links: [] } : slip(q, ctx, 'apology', GENERATED_ROLES.slip, 'leader');
        case 'withdraw':
          return slip(q, ctx, 'stop_notice', GENERATED_ROLES.slip, 'agency');
        case 'approve': {
          // The officer's own result file, when they give one, is the result as before.
          if (ctx.input.resultFileId !== undefined || ctx.prev.draftResultFileId === null) return { links: [] };
          const draft = await q.query<{ storage_key: string; source: string }>('SELECT storage_key, source FROM files WHERE id = $1', [ctx.prev.draftResultFileId]);
          const row = draft.rows[0];
          // Only a draft Motcua generated is countersigned; an uploaded draft stays the result, as before.
          if (!row || row.source !== 'result') return { links: [] };
          const bytes = await readAll(deps.store.open(row.storage_key));
          const signed = await sign(bytes, ctx, 'leader', { reason: `Phê duyệt kết quả ${ctx.dossier.code}` });
          const file = await storeFile(q, signed, { ownerSub: ctx.dossier.applicantSub, fileName: `${SLIP_NAMES.result}-${ctx.dossier.code}.pdf`, source: 'result' });
          const procedure = await findProcedureVersion(q, ctx.dossier.procedureCode, ctx.dossier.procedureVersion);
          const type = typeForResultCode(procedure?.result?.code) ?? 'result_document';
          await warehouse(q, ctx, file.id, type, 'result', (await agencyOf(q, ctx.dossier.agencyCode)).name);
          return { links: [], resultFileId: file.id };
        }
        default:
          return { links: [] };
      }
    },

    /** The process control slip of a dossier, from its history (made when asked, not stored). */
    async controlSlip(q: Queryable, ctx: ActionContext, steps: DossierDocumentData['steps']): Promise<Uint8Array> {
      const procedure = await findProcedureVersion(q, ctx.dossier.procedureCode, ctx.dossier.procedureVersion);
      const data = await dataFor(q, ctx, procedure);
      return renderControlSlip({ ...data, signer: null, steps: steps ?? [] });
    },

    /** The dossier-tracking register of an agency: the dossiers it received (or was submitted) between two instants. */
    async register(q: Queryable, agencyCode: string, from: Date, to: Date, at: Date): Promise<Uint8Array> {
      const agency = await agencyOf(q, agencyCode);
      const r = await q.query<{ code: string; applicant: Record<string, unknown>; procedure_name: string | null; procedure_code: string; received_at: Date | null; due_at: Date | null; status: string; returned_at: Date | null }>(
        `SELECT d.code, d.applicant, p.data->>'name' AS procedure_name, d.procedure_code, d.received_at, d.due_at, d.status,
                (SELECT max(e.at) FROM dossier_events e WHERE e.dossier_id = d.id AND e.status_to = 'returned') AS returned_at
           FROM dossiers d LEFT JOIN procedures p ON p.code = d.procedure_code AND p.version = d.procedure_version
          WHERE d.agency_code = $1 AND coalesce(d.received_at, d.submitted_at) >= $2 AND coalesce(d.received_at, d.submitted_at) < $3
          ORDER BY coalesce(d.received_at, d.submitted_at), d.code LIMIT 5000`,
        [agencyCode, from, to],
      );
      return renderRegister({
        agency: { code: agencyCode, name: agency.name, parentName: agency.parentName },
        place: deps.place,
        issuedAt: at,
        from,
        to: new Date(to.getTime() - 1),
        verifyUrl: `${deps.publicUrl}/verify`,
        rows: r.rows.map((x) => ({
          code: x.code,
          applicant: str(x.applicant.name) ?? '',
          procedure: x.procedure_name ?? x.procedure_code,
          receivedAt: x.received_at,
          dueAt: x.due_at,
          returnedAt: x.returned_at,
          status: STATUS_VI[x.status] ?? x.status,
        })),
      });
    },
  };
}
export type DocumentService = ReturnType<typeof createDocumentService>;

async function readAll(stream: NodeJS.ReadableStream): Promise<Uint8Array> {
  const chunks: Buffer[] = [];
  for await (const c of stream) chunks.push(Buffer.from(c as Buffer));
  return Buffer.concat(chunks);
}
