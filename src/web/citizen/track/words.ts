/** Dossier statuses and history events in plain words, for applicants (not the officers' terms): the workflow definition's applicant labels. */
import type { Text } from '../../kit/i18n.ts';
import { applicantEventLabel, applicantStateLabel, hasTag, type WorkflowRef } from '../../../modules/workflow/index.ts';

/** The applicant's words for a status, from the dossier's workflow definition. */
export const statusWords = (status: string, workflow?: WorkflowRef): Text => applicantStateLabel(workflow, status);

/** Tag colour class of a status (the portal's `.tag` modifiers): marked when the applicant has to act. */
export function statusTagClass(status: string, workflow?: WorkflowRef): string {
  return hasTag(workflow, status, 'awaiting_applicant') ? 'tag tag-partial' : 'tag';
}

/** The applicant's words for one event of the history. */
export const eventWords = (e: { action: string | null; statusFrom?: string | null; statusTo: string }, workflow?: WorkflowRef): Text => applicantEventLabel(workflow, e);

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
