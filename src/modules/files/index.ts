/**
 * Uploaded files: checks (type, size, PDF safety), the content-addressed file store (folder or S3), downloads.
 * The module's one public face: other modules, the pages and the CLI import only this file.
 */
export { createFolderFileStore, type FileStore } from './file-store.ts';
export { registerFileRoutes, uploadedPart } from './routes.ts';
export { cleanFileName, createFileService, fileContentOf, type FileRecord, type FileService, findForeignFiles, uploadChecks } from './service.ts';
export { type FileStoreConfig, parseFileStoreConfig } from './store-config.ts';
export { openFileStore } from './stores.ts';
export { verifyFileStore } from './verify.ts';
