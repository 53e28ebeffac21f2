/**
 * The records warehouse: an applicant's documents, classified, reused with consent, kept for their retention.
 * The module's one public face: other modules, the pages and the CLI import only this file.
 */
export { filesCommand } from './cli.ts';
export { purgeExpired } from './retention.ts';
export { documentTypes, typeForResultCode } from './document-types.ts';
export { registerWarehouseRoutes } from './routes.ts';
export { createWarehouseService, type WarehouseService } from './service.ts';
export { isOwnerId, primaryOwnerId, recordDocument, UNCLASSIFIED } from './store.ts';
