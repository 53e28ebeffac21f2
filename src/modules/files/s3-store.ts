import { createReadStream } from 'node:fs';
import { rm } from 'node:fs/promises';
import { PassThrough, type Readable } from 'node:stream';
import { DeleteObjectCommand, GetObjectCommand, HeadObjectCommand, ListObjectsV2Command, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { isStorageKey, spoolAndCheck, storageKeyOf, type FileStore } from './file-store.ts';

export interface S3StoreSettings {
  endpoint: string | undefined;
  region: string;
  bucket: string;
  prefix: string;
  forcePathStyle: boolean;
  accessKeyId: string;
  secretAccessKey: string;
  tmpDir: string;
}

const isNotFound = (err: unknown): boolean => {
  const e = err as { name?: string; $metadata?: { httpStatusCode?: number } };
  return e.name === 'NotFound' || e.name === 'NoSuchKey' || e.$metadata?.httpStatusCode === 404;
};

/**
 * Content-addressed blobs in an S3-compatible bucket: the object key is the storage key
 * (`ab/abcdef…`, after an optional prefix). An upload is spooled to a local temporary file,
 * hashed and checked there; only accepted content goes to the bucket, and content already
 * there (same key, same size) is not sent again.
 */
export function createS3FileStore(s: S3StoreSettings): FileStore & { close(): void } {
  const client = new S3Client({
    region: s.region,
    forcePathStyle: s.forcePathStyle,
    credentials: { accessKeyId: s.accessKeyId, secretAccessKey: s.secretAccessKey },
    // Plain signed requests: the many S3-compatible servers that do not take aws-chunked bodies accept them.
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
    ...(s.endpoint !== undefined ? { endpoint: s.endpoint } : {}),
  });
  const objectKey = (key: string): string => {
    if (!isStorageKey(key)) throw new Error('invalid storage key');
    return `${s.prefix}${key}`;
  };
  return {
    description: `s3 bucket ${s.bucket}${s.endpoint !== undefined ? ` at ${s.endpoint}` : ''}`,
    async put(source, checks = {}) {
      const { tmp, sha256, size, head } = await spoolAndCheck(s.tmpDir, source, checks);
      const storageKey = storageKeyOf(sha256);
      try {
        let present = false;
        try {
          const h = await client.send(new HeadObjectCommand({ Bucket: s.bucket, Key: objectKey(storageKey) }));
          present = h.ContentLength === size;
        } catch (err) {
          if (!isNotFound(err)) throw err;
        }
        if (!present) {
          await client.send(new PutObjectCommand({ Bucket: s.bucket, Key: objectKey(storageKey), Body: createReadStream(tmp), ContentLength: size }));
        }
      } finally {
        await rm(tmp, { force: true });
      }
      return { sha256, size, head, storageKey };
    },
    open(key) {
      const out = new PassThrough();
      const k = objectKey(key);
      client.send(new GetObjectCommand({ Bucket: s.bucket, Key: k })).then(
        (r) => {
          const body = r.Body as Readable | undefined;
          if (!body) return out.destroy(new Error('empty response body'));
          body.on('error', (e) => out.destroy(e));
          body.pipe(out);
        },
        (err: unknown) => out.destroy(err as Error),
      );
      return out;
    },
    async exists(key) {
      try {
        await client.send(new HeadObjectCommand({ Bucket: s.bucket, Key: objectKey(key) }));
        return true;
      } catch (err) {
        if (isNotFound(err)) return false;
        throw err;
      }
    },
    async remove(key) {
      await client.send(new DeleteObjectCommand({ Bucket: s.bucket, Key: objectKey(key) }));
    },
    async *list() {
      let token: string | undefined;
      do {
        const r = await client.send(new ListObjectsV2Command({ Bucket: s.bucket, Prefix: s.prefix || undefined, ContinuationToken: token }));
        for (const o of r.Contents ?? []) {
          const key = (o.Key ?? '').slice(s.prefix.length);
          if (isStorageKey(key)) yield key;
        }
        token = r.IsTruncated ? r.NextContinuationToken : undefined;
      } while (token !== undefined);
    },
    close: () => client.destroy(),
  };
}
