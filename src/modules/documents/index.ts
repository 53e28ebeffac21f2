/**
 * The documents a dossier's workflow produces (receipt, slips, the result), generated and signed in the action's transaction; the register.
 * The module's one public face: other modules, the pages and the CLI import only this file.
 */
export { registerDocumentRoutes } from './routes.ts';
export { createDocumentService } from './service.ts';
