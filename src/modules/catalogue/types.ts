/**
 * The procedure catalogue model (thủ tục hành chính). Plain JSON: stored as is,
 * versioned by the catalogue store, loaded by administrators without a programmer.
 */

/** JSON Schema 2020-12 object describing the eForm (validated by src/modules/eforms). */
export type JsonSchemaObject = Record<string, unknown>;

/** Cấp thực hiện: the national catalogue names ministries and other bodies too. */
export type ProcedureLevel = 'province' | 'commune' | 'ministry' | 'other';
export type OnlineLevel = 'full' | 'partial';
export type ApplicantType = 'citizen' | 'business';

export interface ProcedureFee {
  /** What the fee is for, e.g. "Lệ phí đăng ký thường trú (nộp trực tuyến)". */
  label: string;
  /** Amount in Vietnamese đồng, an integer (0 = exempt). */
  amountVnd: number;
  /** When it applies, e.g. "Nộp hồ sơ trực tuyến" or the exemption rule. */
  condition?: string;
}

export interface RequiredDocument {
  name: string;
  /** Number of originals (bản chính) and copies (bản sao) asked for. */
  quantity: { original?: number; copy?: number };
  /** false: only in the cases the name describes. */
  required: boolean;
  /** Official template of the document, e.g. "Mẫu CT01 (Thông tư 53/2025/TT-BCA)". */
  formTemplate?: string;
}

export interface ProcedureForm {
  schema: JsonSchemaObject;
  /** Order in which the top-level properties are shown (default: schema order). */
  uiOrder?: string[];
}

export interface WorkflowRef {
  id: string;
  version: number;
}

export interface ProcedureResult {
  name: string;
  /** Result code from the national database, e.g. `KQ.G15.000031`. */
  code?: string;
}

/** Hình thức nộp: online, at the one-stop desk, by post. */
export type Channel = 'online' | 'counter' | 'post';

/** A processing time as the catalogue states it (working days, calendar days, hours...). */
export interface ProcessingTime {
  value: number;
  unit: 'working_days' | 'days' | 'working_hours' | 'hours' | 'minutes' | 'weeks' | 'months' | 'years' | 'unspecified';
  text: string;
}

/** One way to apply, with its own processing time and fees (online and at the desk may differ). */
export interface ChannelOption {
  channel: Channel;
  processingTime?: ProcessingTime;
  /** The time in working days, as the deadline is counted (absent when the catalogue gives none). */
  processingDays?: number;
  fees: ProcedureFee[];
  description?: string;
}

/**
 * A case (trường hợp) of a procedure with its own deadline, fees and documents: the
 * applicant picks the one that fits. The first is the common case.
 */
export interface ProcedureVariant {
  /** Stable within the procedure version: `v1`, `v2`... */
  id: string;
  name: string;
  legalProcessingDays: number;
  channels: ChannelOption[];
  requiredDocuments: RequiredDocument[];
  /** Its own eForm; default the procedure's. */
  form?: ProcedureForm;
  /** Its own result document (template); default the procedure's. */
  result?: ProcedureResult;
  /** Its own workflow; default the procedure's. */
  workflow?: WorkflowRef;
}

export interface Procedure {
  /** National procedure code, e.g. `1.001193`. */
  code: string;
  /** Catalogue version (integer ≥ 1), set by the store. */
  version: number;
  name: string;
  /** Lĩnh vực (sector), e.g. "Hộ tịch". */
  field: string;
  level: ProcedureLevel;
  /** Cơ quan có thẩm quyền, as text. */
  competentAgency: string;
  /** Agency identifier codes (e.g. `000.00.04.H12`) that receive dossiers for it. */
  receivingAgencyCodes?: string[];
  /** Legal processing time in working days (integer). */
  legalProcessingDays: number;
  fees: ProcedureFee[];
  requiredDocuments: RequiredDocument[];
  onlineLevel: OnlineLevel;
  onlineLevelReason?: string;
  form: ProcedureForm;
  workflow: WorkflowRef;
  /** Legal documents, e.g. "Luật Hộ tịch số 60/2014/QH13". */
  legalBasis: string[];
  result: ProcedureResult;
  applicantTypes: ApplicantType[];
  /** Every level that performs it (the catalogue may name several); `level` is the one the province deals with. */
  levels?: ProcedureLevel[];
  channels?: ChannelOption[];
  processingTime?: ProcessingTime | null;
  variants?: ProcedureVariant[];
  /** Every result document (a licence, a refusal letter...); `result` is the first. */
  results?: ProcedureResult[];
  /** Yêu cầu, điều kiện. */
  conditions?: string;
  /** Trình tự thực hiện. */
  steps?: string;
  /** Where it comes from: the announcing decision, the ministry. */
  origin?: { announcingDecision?: string; ministry?: string; url?: string };
}

export type AgencyLevel = 'province' | 'commune' | 'ministry' | 'other';

export interface Agency {
  /** Agency identifier code, e.g. `000.00.04.H12`. */
  code: string;
  name: string;
  level: AgencyLevel;
  parentCode?: string;
}
