/**
 * The audit log: every change written with who, when and why, sealed in a hash chain that `motcua audit verify` checks.
 * The module's one public face: other modules, the pages and the CLI import only this file.
 */
export { appendAudit, sealAuditLog, startAuditSealer, verifyAuditLog } from './audit.ts';
export { createAuditReader, type AuditReader } from './reader.ts';
export { registerAuditRoutes } from './routes.ts';
