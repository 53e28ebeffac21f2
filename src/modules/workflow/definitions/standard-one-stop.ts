/**
 * The standard flow of the one-stop mechanism (Decree 61/2018/ND-CP, replaced by
 * Decree 118/2025/ND-CP): the counter receives or asks, once and completely, for what
 * is missing; a leader assigns; a specialist processes (possibly through other
 * agencies); a leader approves or refuses; the counter returns the result.
 *
 * Plain JSON-able data: `JSON.parse(JSON.stringify(standardOneStop))` is equal to it.
 */
import type { JsonSchema, WorkflowDefinition } from '../types.ts';

const SCHEMA = 'https://json-schema.org/draft/2020-12/schema';

const text = (max: number, description: string): JsonSchema => ({ type: 'string', minLength: 1, maxLength: max, description });
const fileId = (description: string): JsonSchema => ({ type: 'string', format: 'file-id', description });
const reasons: JsonSchema = {
  type: 'array',
  minItems: 1,
  maxItems: 50,
  items: text(2000, 'One reason, in plain words, citing the legal basis where there is one.'),
  description: 'Why: every reason, stated once.',
};
const object = (properties: Record<string, JsonSchema>, required: string[] = []): JsonSchema => ({
  $schema: SCHEMA,
  type: 'object',
  properties,
  required,
  additionalProperties: false,
});
const note = text(2000, 'A free note for the history.');

const supplementRequestInput: JsonSchema = object(
  {
    missingDocuments: {
      type: 'array',
      minItems: 1,
      maxItems: 100,
      description: 'EVERYTHING missing or to be corrected, listed in one go.',
      items: {
        type: 'object',
        properties: { name: text(500, 'The document, as named in the procedure.'), note: text(2000, 'What is wrong or missing in it.') },
        required: ['name'],
        additionalProperties: false,
      },
    },
    reason: text(2000, 'Why the dossier is not complete.'),
  },
  ['missingDocuments', 'reason'],
);

/** States before approval from which the applicant may withdraw. */
const WITHDRAWABLE = ['submitted', 'supplement_requested', 'received', 'assigned', 'processing', 'transferred', 'awaiting_approval'];
/** States in which the legal clock runs and an appointment date exists. */
const COUNTING = ['received', 'assigned', 'processing', 'transferred', 'awaiting_approval'];

const definition: WorkflowDefinition = {
  id: 'standard-one-stop',
  version: 1,
  name: { vi: 'Quy trình một cửa tiêu chuẩn', en: 'Standard one-stop flow' },
  initial: 'submitted',
  submittedLabel: { vi: 'Bạn đã nộp hồ sơ', en: 'You sent the application' },
  states: [
    {
      name: 'submitted',
      kind: 'active',
      countsClock: false,
      label: { vi: 'Mới nộp, chờ tiếp nhận', en: 'submitted, awaiting receipt' },
      applicantLabel: { vi: 'Đã nộp, chờ cơ quan tiếp nhận', en: 'Sent, waiting for the office to receive it' },
      tags: ['awaiting_receipt'],
    },
    {
      name: 'supplement_requested',
      kind: 'paused',
      countsClock: false,
      label: { vi: 'Chờ bổ sung hồ sơ', en: 'awaiting a supplement from the applicant' },
      applicantLabel: { vi: 'Cần bạn bổ sung giấy tờ', en: 'The office needs more documents from you' },
      tags: ['awaiting_applicant'],
    },
    {
      name: 'received',
      kind: 'active',
      countsClock: true,
      budget: { share: 0.1 },
      label: { vi: 'Đã tiếp nhận, chờ phân công', en: 'received, awaiting assignment' },
      applicantLabel: { vi: 'Cơ quan đã tiếp nhận', en: 'Received by the office' },
      tags: ['in_progress'],
    },
    {
      name: 'assigned',
      kind: 'active',
      countsClock: true,
      budget: { share: 0.1 },
      label: { vi: 'Đã phân công, chờ thụ lý', en: 'assigned, awaiting processing' },
      applicantLabel: { vi: 'Đang được giải quyết', en: 'Being dealt with' },
      tags: ['in_progress'],
    },
    {
      name: 'processing',
      kind: 'active',
      countsClock: true,
      budget: { share: 0.6 },
      label: { vi: 'Đang xử lý', en: 'being processed' },
      applicantLabel: { vi: 'Đang được giải quyết', en: 'Being dealt with' },
      tags: ['in_progress'],
    },
    {
      name: 'transferred',
      kind: 'active',
      countsClock: true,
      budget: { share: 0.3 },
      label: { vi: 'Đang xử lý liên thông', en: 'transferred to another agency' },
      applicantLabel: { vi: 'Đang được giải quyết (cần ý kiến cơ quan khác)', en: 'Being dealt with (another office is involved)' },
      tags: ['in_progress'],
    },
    {
      name: 'awaiting_approval',
      kind: 'active',
      countsClock: true,
      budget: { share: 0.2 },
      label: { vi: 'Đã trình ký, chờ phê duyệt', en: 'submitted for approval' },
      applicantLabel: { vi: 'Đang chờ lãnh đạo ký duyệt', en: 'Waiting for the head of the office to sign' },
      tags: ['in_progress'],
    },
    {
      name: 'approved',
      kind: 'active',
      countsClock: false,
      budget: { workingDays: 1 },
      label: { vi: 'Đã phê duyệt, chờ trả kết quả', en: 'approved, awaiting return of the result' },
      applicantLabel: { vi: 'Đã có kết quả, chờ trả', en: 'Decided; the result is on its way' },
      tags: ['decided'],
    },
    {
      name: 'returned',
      kind: 'final',
      countsClock: false,
      label: { vi: 'Đã trả kết quả', en: 'result returned' },
      applicantLabel: { vi: 'Đã trả kết quả', en: 'Result returned' },
      tags: ['result_returned'],
    },
    {
      name: 'refused',
      kind: 'final',
      countsClock: false,
      label: { vi: 'Từ chối giải quyết', en: 'refused' },
      applicantLabel: { vi: 'Không được giải quyết', en: 'Refused' },
      tags: ['refused', 'ended_without_result'],
    },
    {
      name: 'withdrawn',
      kind: 'final',
      countsClock: false,
      label: { vi: 'Đã rút hồ sơ', en: 'withdrawn' },
      applicantLabel: { vi: 'Bạn đã rút hồ sơ', en: 'You withdrew the application' },
      tags: ['withdrawn', 'ended_without_result'],
    },
  ],
  actions: [
    {
      name: 'receive',
      from: ['submitted'],
      to: 'received',
      roles: ['reception'],
      guards: [{ guard: 'sameUnit' }],
      effect: 'receive',
      event: 'dossier.received',
      input: object({
        paperAfterCutoff: { type: 'boolean', description: 'A paper dossier received after the afternoon cut-off: the time starts one working day later.' },
        note,
      }),
      label: { vi: 'Tiếp nhận', en: 'Receive' },
      applicantLabel: { vi: 'Cơ quan đã tiếp nhận hồ sơ và hẹn ngày trả kết quả', en: 'The office received the application and set the date of the result' },
    },
    {
      name: 'request_supplement',
      from: ['submitted'],
      to: 'supplement_requested',
      roles: ['reception'],
      guards: [{ guard: 'sameUnit' }],
      effect: 'request_supplement',
      event: 'dossier.supplement_requested',
      input: supplementRequestInput,
      label: { vi: 'Yêu cầu bổ sung', en: 'Request a supplement' },
      applicantLabel: { vi: 'Cơ quan yêu cầu bổ sung giấy tờ', en: 'The office asked for more documents' },
    },
    {
      name: 'request_supplement',
      from: ['processing'],
      to: 'supplement_requested',
      roles: ['specialist'],
      guards: [{ guard: 'sameUnit' }, { guard: 'assigneeOnly' }],
      effect: 'request_supplement',
      event: 'dossier.supplement_requested',
      input: supplementRequestInput,
      label: { vi: 'Yêu cầu bổ sung', en: 'Request a supplement' },
      applicantLabel: { vi: 'Cơ quan yêu cầu bổ sung giấy tờ', en: 'The office asked for more documents' },
    },
    {
      name: 'supplement',
      from: ['supplement_requested'],
      to: 'submitted',
      roles: ['citizen', 'business'],
      guards: [{ guard: 'applicantOnly' }],
      effect: 'supplement',
      event: 'dossier.supplemented',
      input: object(
        {
          documentFileIds: { type: 'array', minItems: 1, maxItems: 200, uniqueItems: true, items: fileId('A document submitted as asked.') },
          note,
        },
        ['documentFileIds'],
      ),
      label: { vi: 'Nộp bổ sung', en: 'Submit the supplement' },
      applicantLabel: { vi: 'Bạn đã nộp bổ sung', en: 'You sent the missing documents' },
    },
    {
      name: 'refuse',
      from: ['submitted'],
      to: 'refused',
      roles: ['reception'],
      guards: [{ guard: 'sameUnit' }],
      effect: 'refuse',
      event: 'dossier.refused',
      input: object({ reasons }, ['reasons']),
      label: { vi: 'Từ chối tiếp nhận', en: 'Refuse at reception' },
      applicantLabel: { vi: 'Hồ sơ không được giải quyết', en: 'The application was refused' },
    },
    {
      name: 'assign',
      from: ['received', 'assigned'],
      to: 'assigned',
      roles: ['leader', 'reception'],
      guards: [{ guard: 'sameUnit' }],
      effect: 'assign',
      event: 'dossier.assigned',
      input: object({ assignee: text(255, 'The `sub` of the specialist who will process the dossier.'), note }, ['assignee']),
      label: { vi: 'Phân công xử lý', en: 'Assign' },
      applicantLabel: { vi: 'Hồ sơ được giao cho cán bộ giải quyết', en: 'An officer was given the application' },
    },
    {
      name: 'start_processing',
      from: ['assigned'],
      to: 'processing',
      roles: ['specialist'],
      guards: [{ guard: 'sameUnit' }, { guard: 'assigneeOnly' }],
      effect: 'start_processing',
      event: 'dossier.processing_started',
      input: object({ note }),
      label: { vi: 'Thụ lý', en: 'Start processing' },
      applicantLabel: { vi: 'Cán bộ bắt đầu giải quyết hồ sơ', en: 'An officer started work on it' },
    },
    {
      name: 'transfer',
      from: ['processing'],
      to: 'transferred',
      roles: ['specialist'],
      guards: [{ guard: 'sameUnit' }, { guard: 'assigneeOnly' }],
      effect: 'transfer',
      event: 'dossier.transferred',
      input: object(
        {
          targetAgencyCode: text(64, 'The agency that must process its part (inter-agency transfer).'),
          workingDays: {
            type: 'number',
            minimum: 0,
            maximum: 365,
            description: "The target agency's share of the legal time, in working days; default: the step's budget.",
          },
          reason: text(2000, 'What the target agency must do.'),
        },
        ['targetAgencyCode'],
      ),
      label: { vi: 'Chuyển liên thông', en: 'Transfer to another agency' },
      applicantLabel: { vi: 'Hồ sơ được chuyển sang cơ quan khác lấy ý kiến', en: 'Sent to another office for its part' },
    },
    {
      name: 'complete_transfer',
      from: ['transferred'],
      to: 'processing',
      roles: ['specialist', 'leader'],
      guards: [{ guard: 'sameUnit' }],
      effect: 'complete_transfer',
      event: 'dossier.transfer_completed',
      input: object({ resultFileId: fileId("The target agency's part of the result, if it produced a document."), note }),
      label: { vi: 'Hoàn thành phần liên thông', en: 'Complete the transferred part' },
      applicantLabel: { vi: 'Cơ quan khác đã xong phần việc của mình', en: 'The other office finished its part' },
    },
    {
      name: 'return_from_transfer',
      from: ['transferred'],
      to: 'processing',
      roles: ['specialist', 'leader'],
      guards: [{ guard: 'sameUnit' }],
      effect: 'return_from_transfer',
      event: 'dossier.transfer_returned',
      input: object({ reasons }, ['reasons']),
      label: { vi: 'Trả lại hồ sơ liên thông', en: 'Return the transfer undone' },
      applicantLabel: { vi: 'Hồ sơ quay lại cơ quan giải quyết', en: 'Came back to the handling office' },
    },
    {
      name: 'submit_for_approval',
      from: ['processing'],
      to: 'awaiting_approval',
      roles: ['specialist'],
      guards: [{ guard: 'sameUnit' }, { guard: 'assigneeOnly' }],
      effect: 'submit_for_approval',
      event: 'dossier.submitted_for_approval',
      // Optional: without it the server drafts the result from the procedure's template (signed by the specialist).
      input: object({ draftResultFileId: fileId("The draft result (or draft refusal) for the leader, a PDF the specialist signs; default: the result drafted from the procedure's template."), note }),
      label: { vi: 'Trình ký', en: 'Submit for approval' },
      applicantLabel: { vi: 'Hồ sơ được trình lãnh đạo ký duyệt', en: 'Sent to the head of the office to sign' },
    },
    {
      name: 'request_revision',
      from: ['awaiting_approval'],
      to: 'processing',
      roles: ['leader'],
      guards: [{ guard: 'sameUnit' }],
      effect: 'request_revision',
      event: 'dossier.revision_requested',
      input: object({ reasons }, ['reasons']),
      label: { vi: 'Trả lại để xử lý lại', en: 'Send back for revision' },
      applicantLabel: { vi: 'Hồ sơ đang được xem xét lại', en: 'Being reviewed again' },
    },
    {
      name: 'approve',
      from: ['awaiting_approval'],
      to: 'approved',
      roles: ['leader'],
      guards: [{ guard: 'sameUnit' }],
      effect: 'approve',
      event: 'dossier.approved',
      input: object({ resultFileId: fileId('The signed result; default: the draft submitted for approval.'), note }),
      label: { vi: 'Phê duyệt', en: 'Approve' },
      applicantLabel: { vi: 'Hồ sơ đã được phê duyệt', en: 'The application was approved' },
    },
    {
      name: 'refuse',
      from: ['awaiting_approval'],
      to: 'refused',
      roles: ['leader'],
      guards: [{ guard: 'sameUnit' }],
      effect: 'refuse',
      event: 'dossier.refused',
      input: object({ reasons, resultFileId: fileId('The signed refusal notice.') }, ['reasons']),
      label: { vi: 'Từ chối giải quyết', en: 'Refuse' },
      applicantLabel: { vi: 'Hồ sơ không được giải quyết', en: 'The application was refused' },
    },
    {
      name: 'return_result',
      from: ['approved'],
      to: 'returned',
      roles: ['reception'],
      guards: [{ guard: 'sameUnit' }],
      effect: 'return_result',
      event: 'dossier.result_returned',
      input: object({ channel: { type: 'string', enum: ['counter', 'post', 'online'], description: 'How the result was handed over.' }, note }),
      label: { vi: 'Trả kết quả', en: 'Return the result' },
      applicantLabel: { vi: 'Đã trả kết quả', en: 'The result was returned' },
    },
    {
      name: 'withdraw',
      from: WITHDRAWABLE,
      to: 'withdrawn',
      roles: ['citizen', 'business'],
      guards: [{ guard: 'applicantOnly' }],
      effect: 'withdraw',
      event: 'dossier.withdrawn',
      input: object({ reason: text(2000, 'Why the applicant withdraws.') }),
      label: { vi: 'Rút hồ sơ', en: 'Withdraw' },
      applicantLabel: { vi: 'Bạn đã rút hồ sơ', en: 'You withdrew the application' },
    },
    {
      name: 'apologise',
      from: COUNTING,
      roles: ['specialist', 'leader'],
      guards: [{ guard: 'sameUnit' }, { guard: 'assigneeOnly', roles: ['specialist'] }, { guard: 'apologyNotUsed' }],
      effect: 'apologise',
      event: 'dossier.apologised',
      input: object(
        {
          newDueDate: { type: 'string', format: 'date', description: 'The new appointment date (a working day, local time).' },
          reason: text(2000, 'Why the dossier will be late.'),
          letterFileId: fileId('The signed letter of apology.'),
        },
        ['newDueDate', 'reason'],
      ),
      label: { vi: 'Xin lỗi và hẹn lại ngày trả kết quả', en: 'Apologise and set a new appointment date' },
      applicantLabel: { vi: 'Cơ quan xin lỗi vì chậm và hẹn lại ngày trả kết quả', en: 'The office apologised for the delay and set a new date' },
    },
  ],
};

const deepFreeze = <T>(value: T): T => {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
};

/** Field names as officers and applicants read them, in error messages and forms (`title`, `x-title-en`). */
const TITLES: Record<string, [vi: string, en: string]> = {
  reasons: ['Lý do', 'Reasons'],
  reason: ['Lý do', 'Reason'],
  note: ['Ghi chú', 'Note'],
  missingDocuments: ['Giấy tờ cần bổ sung', 'Documents to supplement'],
  name: ['Tên giấy tờ', 'Document'],
  documentFileIds: ['Giấy tờ bổ sung', 'Supplementary documents'],
  assignee: ['Cán bộ xử lý', 'Specialist'],
  targetAgencyCode: ['Cơ quan phối hợp', 'Target agency'],
  workingDays: ['Số ngày làm việc', 'Working days'],
  resultFileId: ['Tệp kết quả', 'Result file'],
  draftResultFileId: ['Dự thảo kết quả', 'Draft result'],
  channel: ['Hình thức trả kết quả', 'How the result was handed over'],
  newDueDate: ['Ngày hẹn trả mới', 'New appointment date'],
  letterFileId: ['Văn bản xin lỗi', 'Letter of apology'],
  paperAfterCutoff: ['Hồ sơ giấy nhận sau giờ quy định', 'Paper dossier received after the cut-off'],
};
function addTitles(schema: JsonSchema): void {
  const props = (schema as { properties?: Record<string, JsonSchema> }).properties;
  for (const [key, sub] of Object.entries(props ?? {})) {
    const t = TITLES[key];
    const target = sub as Record<string, unknown>;
    if (t !== undefined && target.title === undefined) {
      target.title = t[0];
      target['x-title-en'] = t[1];
    }
    addTitles(sub);
    const items = target.items as JsonSchema | undefined;
    if (items !== undefined) addTitles(items);
  }
}
// Shared sub-schemas (note, reasons) are titled once; a copy keeps each action's schema its own.
for (const a of definition.actions) {
  a.input = JSON.parse(JSON.stringify(a.input)) as JsonSchema;
  addTitles(a.input);
}

/** The standard one-stop flow, version 1 (frozen). */
export const standardOneStop: WorkflowDefinition = deepFreeze(definition);
