/**
 * Applications not yet sent: the applicant's saved drafts.
 * The module's one public face: other modules, the pages and the CLI import only this file.
 */
export { createDraftStore, type Draft, type DraftStore } from './store.ts';
