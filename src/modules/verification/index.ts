/**
 * Checking signed PDFs against the trust anchors (the public /verify page and the CLI).
 * The module's one public face: other modules, the pages and the CLI import only this file.
 */
export { verifyCommand } from './cli.ts';
export { registerVerificationRoutes } from './routes.ts';
export { createVerificationService, trustAnchorsFrom } from './service.ts';
