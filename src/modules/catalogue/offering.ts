/**
 * What a province offers of the catalogue: a procedure at an agency, at an online
 * level, with the local overrides the law lets it make. Pure rules; the store and
 * the use cases are elsewhere.
 */
import type { OfferingInput } from './inputs.ts';
import type { FieldError } from '../../shared/errors.ts';
import type { OnlineLevel, Procedure, ProcedureFee } from './types.ts';

export interface Offering {
  procedureCode: string;
  agencyCode: string;
  onlineLevel: OnlineLevel;
  /** Why only partly online (the legal reason); required when `onlineLevel` is `partial`. */
  onlineLevelReason?: string | undefined;
  /** A deadline the province shortened, in working days; never longer than the catalogue's. */
  processingDays?: number | undefined;
  /** Fees set by the provincial council, replacing the catalogue's. */
  fees?: ProcedureFee[] | undefined;
  active: boolean;
}

export type { OfferingInput } from './inputs.ts';

/**
 * Checks an offering against the procedure it offers. Returns every problem, each
 * naming its field: an offering may shorten the legal deadline, never lengthen it; it
 * may be full online only where the catalogue allows it; partial needs its reason.
 */
export function checkOffering(procedure: Pick<Procedure, 'legalProcessingDays' | 'onlineLevel'>, input: OfferingInput): FieldError[] {
  const problems: FieldError[] = [];
  if (input.onlineLevel === 'partial' && !input.onlineLevelReason?.trim()) {
    problems.push({
      field: '/onlineLevelReason',
      code: 'required',
      message: { vi: 'Cần nêu lý do pháp lý khi chỉ cung cấp một phần trực tuyến', en: 'Give the legal reason when the procedure is only partly online' },
    });
  }
  if (input.onlineLevel === 'full' && procedure.onlineLevel === 'partial') {
    problems.push({
      field: '/onlineLevel',
      code: 'not_allowed',
      message: {
        vi: 'Danh mục quốc gia chỉ cho phép thủ tục này trực tuyến một phần',
        en: 'The national catalogue allows this procedure only partly online',
      },
    });
  }
  if (input.processingDays !== undefined && procedure.legalProcessingDays > 0 && input.processingDays > procedure.legalProcessingDays) {
    problems.push({
      field: '/processingDays',
      code: 'maximum',
      message: {
        vi: `Thời hạn giải quyết không được dài hơn thời hạn luật định (${procedure.legalProcessingDays} ngày làm việc)`,
        en: `The deadline may not be longer than the legal one (${procedure.legalProcessingDays} working days)`,
      },
    });
  }
  return problems;
}

/** The procedure as offered at one agency: its deadline and fees after the local overrides. */
export function applyOffering<P extends Pick<Procedure, 'legalProcessingDays' | 'fees' | 'onlineLevel'>>(procedure: P, offering: Offering): P & { onlineLevelReason?: string } {
  return {
    ...procedure,
    legalProcessingDays: offering.processingDays ?? procedure.legalProcessingDays,
    fees: offering.fees ?? procedure.fees,
    onlineLevel: offering.onlineLevel,
    ...(offering.onlineLevelReason !== undefined ? { onlineLevelReason: offering.onlineLevelReason } : {}),
  };
}

/**
 * The offering that receives an application: the one the applicant named, or the only
 * one. A problem names `/agencyCode` (or `/procedureCode` when nobody offers it).
 */
export function chooseReceivingOffering(offerings: readonly Offering[], requested: string | undefined): { ok: true; offering: Offering } | { ok: false; problem: FieldError } {
  const active = offerings.filter((o) => o.active);
  if (active.length === 0) {
    return {
      ok: false,
      problem: { field: '/procedureCode', code: 'procedure_not_offered', message: { vi: 'Thủ tục này chưa được cung cấp trực tuyến tại tỉnh', en: 'This procedure is not offered online in the province' } },
    };
  }
  if (requested !== undefined) {
    const o = active.find((x) => x.agencyCode === requested);
    return o
      ? { ok: true, offering: o }
      : { ok: false, problem: { field: '/agencyCode', code: 'agency_not_receiving', message: { vi: 'Cơ quan này không tiếp nhận thủ tục đã chọn', en: 'This agency does not receive the chosen procedure' } } };
  }
  if (active.length === 1) return { ok: true, offering: active[0]! };
  const codes = active.map((o) => o.agencyCode).join(', ');
  return { ok: false, problem: { field: '/agencyCode', code: 'required', message: { vi: `Chọn cơ quan tiếp nhận: ${codes}`, en: `Choose the receiving agency: ${codes}` } } };
}
