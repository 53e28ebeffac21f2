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
import type { Database, Queryable } from '../../db/database.ts';
import type { Clock } from '../../shared/clock.ts';
import { AppError, type FieldError } from '../../shared/errors.ts';
import { PDFDocument } from 'pdf-lib';
import { findProcedureVersion, procedureNames } from '../catalogue/index.ts';
import { agencyHeading } from '../organisation/index.ts';
import type { Procedure } from '../catalogue/index.ts';
import { fileContentOf, type FileStore } from '../files/index.ts';
import { isStaff, type Principal } from '../identity/index.ts';
import type { SignatureMeta, Signer } from '../signing/index.ts';
import { signPdf } from '../signing/index.ts';
import { recordDocument, isOwnerId } from '../warehouse/index.ts';
import { typeForResultCode } from '../warehouse/index.ts';
import type { DossierSnapshot, EffectName } from '../workflow/index.ts';
import type { ActionParticipant, ProduceContext, Produced } from '../dossiers/index.ts';
import { renderDossierDocument, renderControlSlip, renderRegister, type DocumentKind, type DossierDocumentData } from './templates.ts';
import { stateLabel, statesTagged } from '../workflow/index.ts';
import { registerRows } from '../dossiers/index.ts';

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

export function createDocumentService(deps: { db: Database; clock: Clock; store: FileStore; signerFor: SignerFor; publicUrl: string; place: string }) {
  const { db, clock } = deps;
  const agencyNames = new Map<string, { name: string; parentName: string | null }>();
  async function agencyOf(q: Queryable, code: string) {
    let a = agencyNames.get(code);
    if (!a) {
      a = await agencyHeading(q, code);
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
      const e = new AppError('unavailable', 'signing_unavailable', {
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

  /** The PDF bytes of a file (in the file store). */
  const fileOf = fileContentOf;

  /** A result must be a PDF: it is signed, and the applicant receives it signed. */
  async function pdfProblems(q: Queryable, fileId: unknown, field: string): Promise<FieldError[]> {
    if (typeof fileId !== 'string') return [];
    const f = await fileOf(q, fileId);
    if (f === undefined || f.media_type === 'application/pdf') return [];
    return [{ field, code: 'result_not_pdf', message: { vi: 'Kết quả phải là tệp PDF (để ký số)', en: 'A result must be a PDF file (it is signed)' } }];
  }

  /** Signs a file an officer gave (or Motcua drafted): signed again over an earlier signature, or first made signable. */
  async function signFile(q: Queryable, fileId: string, ctx: ActionContext, role: 'specialist' | 'leader', reason: string): Promise<Uint8Array> {
    const f = await fileOf(q, fileId);
    if (f === undefined) throw new Error(`file ${fileId} is not there`);
    const bytes = await readAll(deps.store.open(f.storage_key));
    if (f.source === 'result') return sign(bytes, ctx, role, { reason });
    // An officer's own PDF: as they gave it when it can be signed incrementally, else rewritten once (classic cross-reference).
    try {
      return await sign(bytes, ctx, role, { reason });
    } catch {
      return sign(await rewritten(bytes), ctx, role, { reason });
    }
  }

  /** The result as the applicant receives it: signed by `role` (countersigned over the specialist's signature), kept in the warehouse. */
  async function signedResult(q: Queryable, ctx: ProduceContext, fileId: string, role: 'specialist' | 'leader', reason: string): Promise<Produced> {
    const signed = await signFile(q, fileId, ctx, role, reason);
    const file = await storeFile(q, signed, { ownerSub: ctx.dossier.applicantSub, fileName: `${SLIP_NAMES.result}-${ctx.dossier.code}.pdf`, source: 'result' });
    const procedure = await findProcedureVersion(q, ctx.dossier.procedureCode, ctx.dossier.procedureVersion);
    const type = typeForResultCode(procedure?.result?.code) ?? 'result_document';
    await warehouse(q, ctx, file.id, type, 'result', (await agencyOf(q, ctx.dossier.agencyCode)).name);
    return { links: [], resultFileId: file.id };
  }

  const signerRole = (r: string): 'reception' | 'leader' | 'specialist' => (r === 'leader' || r === 'specialist' ? r : 'reception');

  /** The documents' part in each action, by workflow effect (registered with the dossier service). */
  const participants: Partial<Record<EffectName, ActionParticipant>> = {
    receive: { produce: (q, ctx) => slip(q, ctx, 'receipt', GENERATED_ROLES.receipt, 'reception', ctx.next) },
    request_supplement: { produce: (q, ctx) => slip(q, ctx, 'supplement_request', GENERATED_ROLES.slip, 'reception') },
    refuse: {
      check: (q, ctx) => pdfProblems(q, ctx.input.resultFileId, '/resultFileId'),
      // The officer's signed refusal notice, signed by them; otherwise the refusal slip, signed by whoever refuses (the counter or a leader).
      produce: (q, ctx) =>
        typeof ctx.input.resultFileId === 'string'
          ? signedResult(q, ctx, ctx.input.resultFileId, ctx.actorRole === 'leader' ? 'leader' : 'specialist', `Từ chối giải quyết ${ctx.dossier.code}`)
          : slip(q, ctx, 'refusal', GENERATED_ROLES.slip, signerRole(ctx.actorRole)),
    },
    apologise: { produce: async (q, ctx) => (ctx.input.letterFileId !== undefined ? { links: [] } : slip(q, ctx, 'apology', GENERATED_ROLES.slip, 'leader')) },
    withdraw: { produce: (q, ctx) => slip(q, ctx, 'stop_notice', GENERATED_ROLES.slip, 'agency') },
    submit_for_approval: {
      /** Without a draft: the generated result, signed by the specialist, becomes the draft (a file the specialist owns). */
      async prepare(q, ctx) {
        if (ctx.input.draftResultFileId !== undefined) return ctx.input;
        const procedure = await findProcedureVersion(q, ctx.dossier.procedureCode, ctx.dossier.procedureVersion);
        const data = await dataFor(q, ctx, procedure);
        const pdf = await renderDossierDocument('result', { ...data, signer: null }, procedure?.result?.name);
        const signed = await sign(pdf, ctx, 'specialist', { reason: `Người xử lý hồ sơ ${ctx.dossier.code}` });
        const file = await storeFile(q, signed, { ownerSub: ctx.principal.sub, fileName: `du-thao-ket-qua-${ctx.dossier.code}.pdf`, source: 'result' });
        return { ...ctx.input, draftResultFileId: file.id };
      },
      check: (q, ctx) => pdfProblems(q, ctx.input.draftResultFileId, '/draftResultFileId'),
      /** The specialist's own draft is signed by them, as a drafted one is. */
      async produce(q, ctx) {
        const id = ctx.next.draftResultFileId;
        if (id === null) return { links: [] };
        const f = await fileOf(q, id);
        if (f === undefined || f.source === 'result') return { links: [] };
        const signed = await signFile(q, id, ctx, 'specialist', `Người xử lý hồ sơ ${ctx.dossier.code}`);
        const file = await storeFile(q, signed, { ownerSub: ctx.principal.sub, fileName: `du-thao-ket-qua-${ctx.dossier.code}.pdf`, source: 'result' });
        return { links: [], draftResultFileId: file.id };
      },
    },
    approve: {
      check: (q, ctx) => pdfProblems(q, ctx.input.resultFileId ?? ctx.prev.draftResultFileId, '/resultFileId'),
      /** The result (the leader's own file, or the draft) signed by the leader: a countersignature over the specialist's. */
      produce: async (q, ctx) =>
        ctx.next.resultFileId === null ? { links: [] } : signedResult(q, ctx, ctx.next.resultFileId, 'leader', `Phê duyệt kết quả ${ctx.dossier.code}`),
    },
  };

  return {
    participants,

    /** The process control slip of a dossier, from its history (made when asked, not stored). */
    async controlSlip(asked: Omit<ActionContext, 'at'>, steps: DossierDocumentData['steps']): Promise<Uint8Array> {
      const ctx: ActionContext = { ...asked, at: clock.now() };
      const procedure = await findProcedureVersion(db, ctx.dossier.procedureCode, ctx.dossier.procedureVersion);
      const data = await dataFor(db, ctx, procedure);
      return renderControlSlip({ ...data, signer: null, steps: steps ?? [] });
    },

    /** The dossier-tracking register of an agency: the dossiers it received (or was submitted) between two instants. */
    async register(agencyCode: string, from: Date, to: Date): Promise<Uint8Array> {
      const at = clock.now();
      const agency = await agencyOf(db, agencyCode);
      const rows = await registerRows(db, agencyCode, from, to, statesTagged('result_returned'));
      const names = await procedureNames(db, rows.map((x) => x.procedureCode));
      return renderRegister({
        agency: { code: agencyCode, name: agency.name, parentName: agency.parentName },
        place: deps.place,
        issuedAt: at,
        from,
        to: new Date(to.getTime() - 1),
        verifyUrl: `${deps.publicUrl}/verify`,
        rows: rows.map((x) => ({
          code: x.code,
          applicant: x.applicantName,
          procedure: names.get(x.procedureCode) ?? x.procedureCode,
          receivedAt: x.receivedAt,
          dueAt: x.dueAt,
          returnedAt: x.returnedAt,
          status: stateLabel(x.workflow, x.status).vi,
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

/** A PDF rewritten with a classic cross-reference table, which the signer appends to. */
async function rewritten(bytes: Uint8Array): Promise<Uint8Array> {
  const doc = await PDFDocument.load(bytes, { updateMetadata: false });
  return doc.save({ useObjectStreams: false });
}
