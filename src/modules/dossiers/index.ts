/**
 * Dossiers: submission, the workflow actions with their participants, history, files, and the reads other modules need of them.
 * The module's one public face: other modules, the pages and the CLI import only this file.
 */
export { canSeeDossier, visibleDossierFilesSql } from './access.ts';
export { isDossierCode } from './dossier-code.ts';
export { type ActionParticipant, type ProduceContext, type Produced } from './participants.ts';
export { dossierCodesOf, findOwnDossier, type IssuedFile, submittedContents, type SubmittedContent, issuedFilesOf, issuedFilesWithContent, notificationsFor, publicLookup, registerRows } from './reads.ts';
export { registerDossierRoutes } from './routes.ts';
export { type Clock, createDossierService, type DossierDetails, type DossierService } from './service.ts';
export { dossierView } from './view.ts';
export { findDossierByCode, linkDossierFiles } from './store.ts';
