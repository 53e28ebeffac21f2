import type { FileStoreConfig } from './store-config.ts';
import { createFolderFileStore, type FileStore } from './file-store.ts';

/** The file store the configuration names: a folder, or an S3-compatible bucket. */
export async function openFileStore(c: FileStoreConfig): Promise<FileStore & { close?(): void }> {
  if (c.kind === 'folder') return createFolderFileStore(c.dir);
  // Loaded only when used: a folder deployment never loads the S3 client.
  const { createS3FileStore } = await import('./s3-store.ts');
  return createS3FileStore({
    endpoint: c.endpoint,
    region: c.region,
    bucket: c.bucket,
    prefix: c.prefix,
    forcePathStyle: c.forcePathStyle,
    accessKeyId: c.accessKeyId,
    secretAccessKey: c.secretAccessKey,
    tmpDir: c.tmpDir,
  });
}
