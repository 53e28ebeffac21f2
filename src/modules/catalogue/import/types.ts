/**
 * What the catalogue importer produces from the national catalogue export
 * (`procedures.jsonl`) and from a province's own template (CSV/XLSX).
 *
 * These types are kept apart from `../types.ts` (the Procedure model) so the
 * importer can be merged later; see docs/decisions/0005-catalogue-import.md for
 * the proposed merge (levels, applicant types, channels, variants).
 * Every parsed part keeps the text it came from, so nothing is lost.
 */

/** Cấp thực hiện: Cấp bộ / Cấp tỉnh / Cấp xã / Cơ quan khác. */
export type ImportLevel = 'ministry' | 'province' | 'commune' | 'other';

/** Đối tượng thực hiện (a superset of the model's `ApplicantType`). */
export type ImportApplicantType =
  | 'citizen' // Công dân Việt Nam
  | 'overseas_vietnamese' // Người Việt Nam định cư ở nước ngoài
  | 'foreigner' // Người nước ngoài
  | 'business' // Doanh nghiệp
  | 'foreign_invested_business' // Doanh nghiệp có vốn đầu tư nước ngoài
  | 'cooperative' // Hợp tác xã
  | 'organisation' // Tổ chức (không bao gồm doanh nghiệp, HTX)
  | 'foreign_organisation' // Tổ chức nước ngoài
  | 'civil_servant' // Cán bộ, công chức, viên chức
  | 'party_organisation' // Tổ chức Đảng
  | 'party_member'; // Đảng viên

/** Hình thức nộp: Trực tuyến / Trực tiếp / Dịch vụ bưu chính. */
export type ChannelKind = 'online' | 'counter' | 'post';

export type TimeUnit =
  | 'working_days'
  | 'days'
  | 'working_hours'
  | 'hours'
  | 'minutes'
  | 'weeks'
  | 'months'
  | 'years'
  /** The catalogue gives a number without a unit and none could be inferred. */
  | 'unspecified';

export interface ProcessingTime {
  value: number;
  unit: TimeUnit;
  /** The words it was read from (the table cell, or the sentence of the description). */
  text: string;
  /** `table`: the time column; `description`: the time column was empty, read from the row's description. */
  source: 'table' | 'description';
  /** Set when the table gave a bare number and the unit came from elsewhere. */
  unitFrom?: 'other_row' | 'description' | 'steps';
}

export type Currency = 'VND' | 'USD';

export interface FeeItem {
  /** Amount in `currency`, an integer for VND (0 = free). */
  amount: number;
  currency: Currency;
  /** Same as `amount` when the currency is VND (matches ProcedureFee.amountVnd). */
  amountVnd?: number;
  /** When it applies (the clause of the note it came from), absent for the table amount. */
  condition?: string;
  /** `table`: the fee column; `note`: the text in brackets after it. */
  source: 'table' | 'note';
  text: string;
}

export interface ChannelRow {
  channel: ChannelKind;
  /** The catalogue's words: "Trực tuyến", "Trực tiếp", "Dịch vụ bưu chính", or the template's. */
  label: string;
  time: ProcessingTime | null;
  /** The raw time cell ("5 Ngày làm việc", "Không có thông tin", ...). */
  timeText: string;
  /** true: "Miễn phí"; false: an amount is charged; null: not stated ("Không có thông tin"). */
  free: boolean | null;
  fees: FeeItem[];
  /** The raw fee cell with its bracketed note. */
  feeText: string;
  description: string;
}

export interface DocumentQuantity {
  original?: number;
  copy?: number;
}

export interface DocumentEntry {
  /** Name without list markers ("a) ", "- ", "(1) ") and attached file names. */
  name: string;
  quantity: DocumentQuantity;
  /** false: only in the cases the name describes ("nếu có", "trường hợp ..."). */
  required: boolean;
  /** Form templates the name refers to: "Mẫu CT01", "Mẫu số 14.QLT", "mẫu NA5". */
  formTemplates: string[];
  /** true when the name says the document follows a form ("theo mẫu", "Tờ khai", a template code or file). */
  usesForm: boolean;
  /** Template files attached in the catalogue ("NA5.doc", "Mẫu số 11.docx"). */
  templateFiles: string[];
  /** Title of the catalogue section it is listed under, e.g. "* Giấy tờ phải xuất trình:". */
  group?: string;
  /** The row as published. */
  text: string;
}

export interface ResultDocument {
  name: string;
  /** National result code, e.g. `KQ.G15.000031` (absent or as published when malformed). */
  code?: string;
}

export interface LegalDocument {
  /** Normalised document number, e.g. "60/2014/QH13", "123/2015/NĐ-CP", "2222/QĐ-BHXH". */
  number: string;
  /** The title published with it, when the catalogue gave one. */
  title?: string;
}

/**
 * One case (trường hợp) of a procedure, where the catalogue gives several with
 * their own deadlines, fees or documents. The common case comes first.
 */
export interface ProcedureVariant {
  name: string;
  /** Rows of the channel table for this case (all rows when the table does not distinguish cases). */
  channels: ChannelRow[];
  /** Documents for this case, including those common to every case. */
  documents: DocumentEntry[];
  /** Which parts of the catalogue distinguish this case. */
  basis: Array<'channels' | 'documents'>;
}

export interface Agencies {
  /** Cơ quan thực hiện. */
  performing: string;
  /** Cơ quan có thẩm quyền. */
  competent: string;
  /** Địa chỉ tiếp nhận. */
  receivingAddress?: string;
  /** Cơ quan phối hợp. */
  coordinating?: string;
  /** Cơ quan được ủy quyền. */
  delegated?: string;
}

export interface CatalogueEntry {
  /** National procedure code, e.g. `1.001193` (template: the province's own code). */
  code: string;
  name: string;
  /** Lĩnh vực. */
  field: string;
  levels: ImportLevel[];
  applicantTypes: ImportApplicantType[];
  agencies: Agencies;
  /** Every row of the channel table, in catalogue order. */
  channels: ChannelRow[];
  /**
   * The legal deadline of the common case: the longest time among its rows
   * with a known unit (working days preferred), null when none was parsed.
   */
  processingTime: ProcessingTime | null;
  documents: DocumentEntry[];
  results: ResultDocument[];
  legalBasis: LegalDocument[];
  /** Yêu cầu, điều kiện (text). */
  conditions: string;
  /** Trình tự thực hiện (text). */
  steps: string;
  /** Quyết định công bố, e.g. "4472/QĐ-BTC". */
  announcingDecision: string;
  /** Loại thủ tục, as published. */
  procedureKind?: string;
  /** Ministry folder of the export (`bo-tu-phap`), or the template's source. */
  source: string;
  sourceUrl?: string;
  /** Cases; empty when the catalogue describes a single case. */
  variants: ProcedureVariant[];
  /** The published text of every field, untouched. */
  raw: Record<string, string>;
}

export type ProblemPart =
  | 'json'
  | 'csv'
  | 'code'
  | 'name'
  | 'field'
  | 'levels'
  | 'applicants'
  | 'channels'
  | 'time'
  | 'fees'
  | 'documents'
  | 'result'
  | 'legalBasis'
  | 'variants';

export interface ImportProblem {
  /** 1-based line of the input (the JSONL line, or the CSV line the record starts on). */
  line: number;
  code?: string;
  part: ProblemPart;
  message: { vi: string; en: string };
  /** A short piece of the text concerned (at most ~160 characters). */
  excerpt: string;
  /** 'warning': the part was read, but something was corrected or guessed and deserves a look. */
  severity?: 'warning';
}

export type ParseResult =
  | { ok: false; line: number; problem: ImportProblem }
  | { ok: true; line: number; entry: CatalogueEntry; problems: ImportProblem[] };
