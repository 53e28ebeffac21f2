/** Dossier statuses and history events in plain words, for applicants (not the officers' terms). */
import type { Text } from '../i18n.ts';

export const STATUS_WORDS: Record<string, Text> = {
  submitted: { vi: 'Đã nộp, chờ cơ quan tiếp nhận', en: 'Sent, waiting for the office to receive it' },
  supplement_requested: { vi: 'Cần bạn bổ sung giấy tờ', en: 'The office needs more documents from you' },
  received: { vi: 'Cơ quan đã tiếp nhận', en: 'Received by the office' },
  assigned: { vi: 'Đang được giải quyết', en: 'Being dealt with' },
  processing: { vi: 'Đang được giải quyết', en: 'Being dealt with' },
  transferred: { vi: 'Đang được giải quyết (cần ý kiến cơ quan khác)', en: 'Being dealt with (another office is involved)' },
  awaiting_approval: { vi: 'Đang chờ lãnh đạo ký duyệt', en: 'Waiting for the head of the office to sign' },
  approved: { vi: 'Đã có kết quả, chờ trả', en: 'Decided; the result is on its way' },
  returned: { vi: 'Đã trả kết quả', en: 'Result returned' },
  refused: { vi: 'Không được giải quyết', en: 'Refused' },
  withdrawn: { vi: 'Bạn đã rút hồ sơ', en: 'You withdrew the application' },
};

export const statusWords = (status: string): Text => STATUS_WORDS[status] ?? { vi: status, en: status };

/** Tag colour class of a status (the portal's `.tag` modifiers). */
export function statusTagClass(status: string): string {
  if (status === 'supplement_requested') return 'tag tag-partial';
  return 'tag';
}

export const EVENT_WORDS: Record<string, Text> = {
  'dossier.submitted': { vi: 'Bạn đã nộp hồ sơ', en: 'You sent the application' },
  'dossier.received': { vi: 'Cơ quan đã tiếp nhận hồ sơ và hẹn ngày trả kết quả', en: 'The office received the application and set the date of the result' },
  'dossier.supplement_requested': { vi: 'Cơ quan yêu cầu bổ sung giấy tờ', en: 'The office asked for more documents' },
  'dossier.supplemented': { vi: 'Bạn đã nộp bổ sung', en: 'You sent the missing documents' },
  'dossier.assigned': { vi: 'Hồ sơ được giao cho cán bộ giải quyết', en: 'An officer was given the application' },
  'dossier.processing_started': { vi: 'Cán bộ bắt đầu giải quyết hồ sơ', en: 'An officer started work on it' },
  'dossier.transferred': { vi: 'Hồ sơ được chuyển sang cơ quan khác lấy ý kiến', en: 'Sent to another office for its part' },
  'dossier.transfer_completed': { vi: 'Cơ quan khác đã xong phần việc của mình', en: 'The other office finished its part' },
  'dossier.transfer_returned': { vi: 'Hồ sơ quay lại cơ quan giải quyết', en: 'Came back to the handling office' },
  'dossier.submitted_for_approval': { vi: 'Hồ sơ được trình lãnh đạo ký duyệt', en: 'Sent to the head of the office to sign' },
  'dossier.revision_requested': { vi: 'Hồ sơ đang được xem xét lại', en: 'Being reviewed again' },
  'dossier.approved': { vi: 'Hồ sơ đã được phê duyệt', en: 'The application was approved' },
  'dossier.result_returned': { vi: 'Đã trả kết quả', en: 'The result was returned' },
  'dossier.refused': { vi: 'Hồ sơ không được giải quyết', en: 'The application was refused' },
  'dossier.withdrawn': { vi: 'Bạn đã rút hồ sơ', en: 'You withdrew the application' },
  'dossier.apologised': { vi: 'Cơ quan xin lỗi vì chậm và hẹn lại ngày trả kết quả', en: 'The office apologised for the delay and set a new date' },
};

export const eventWords = (type: string, statusTo: string): Text => EVENT_WORDS[type] ?? statusWords(statusTo);

export function formatDate(lang: 'vi' | 'en', iso: string | Date | null | undefined): string {
  if (iso === null || iso === undefined) return '';
  const d = typeof iso === 'string' ? new Date(iso) : iso;
  return new Intl.DateTimeFormat(lang === 'vi' ? 'vi-VN' : 'en-GB', { dateStyle: 'medium', timeZone: 'Asia/Ho_Chi_Minh' }).format(d);
}

export function formatDateTime(lang: 'vi' | 'en', iso: string | Date | null | undefined): string {
  if (iso === null || iso === undefined) return '';
  const d = typeof iso === 'string' ? new Date(iso) : iso;
  return new Intl.DateTimeFormat(lang === 'vi' ? 'vi-VN' : 'en-GB', { dateStyle: 'medium', timeStyle: 'short', timeZone: 'Asia/Ho_Chi_Minh' }).format(d);
}
