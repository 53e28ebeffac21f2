import { createHash, randomUUID } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdir, rename, rm, stat } from 'node:fs/promises';
import { createWriteStream } from 'node:fs';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';

export interface StoredBlob {
  sha256: string;
  size: number;
  /** The first bytes, to read the media type from. */
  head: Buffer;
  storageKey: string;
}

/**
 * Content-addressed blobs: each content is kept once, under its SHA-256. A folder by
 * default; an S3-compatible store implements the same interface later.
 */
/** What `put` checks before a blob is kept: a failed check throws, and nothing is stored. */
export interface PutChecks {
  /** More bytes than this (or a source that says it was cut short, as a multipart limit does) fails with `tooLarge()`. */
  maxBytes?: number;
  tooLarge?: () => Error;
  /** Called with the first bytes and the size once all is read; throws to refuse the content. */
  accept?: (blob: { head: Buffer; size: number }) => void;
}

export interface FileStore {
  /**
   * Streams `source` in, hashing as it goes; the same content is stored once. Checks run
   * on the temporary copy, before it takes its place: a refused upload leaves nothing.
   */
  put(source: Readable & { truncated?: boolean }, checks?: PutChecks): Promise<StoredBlob>;
  open(storageKey: string): Readable;
  exists(storageKey: string): Promise<boolean>;
  remove(storageKey: string): Promise<void>;
}

export function createFolderFileStore(root: string): FileStore {
  const keyPath = (key: string): string => {
    if (!/^[0-9a-f]{2}\/[0-9a-f]{64}$/.test(key)) throw new Error('invalid storage key');
    return join(root, key);
  };
  return {
    async put(source, checks = {}) {
      const max = checks.maxBytes ?? Infinity;
      const tooLarge = checks.tooLarge ?? (() => new RangeError(`more than ${max} bytes`));
      await mkdir(join(root, 'tmp'), { recursive: true });
      const tmp = join(root, 'tmp', randomUUID());
      const hash = createHash('sha256');
      let size = 0;
      const heads: Buffer[] = [];
      let headLen = 0;
      const tap = new Transform({
        transform(chunk: Buffer, _enc, cb) {
          hash.update(chunk);
          size += chunk.length;
          if (size > max) return cb(tooLarge());
          if (headLen < 16) {
            heads.push(chunk);
            headLen += chunk.length;
          }
          cb(null, chunk);
        },
      });
      const head = (): Buffer => Buffer.concat(heads).subarray(0, 16);
      try {
        await pipeline(source, tap, createWriteStream(tmp, { flags: 'wx' }));
        if (source.truncated === true) throw tooLarge();
        checks.accept?.({ head: head(), size });
      } catch (err) {
        await rm(tmp, { force: true });
        throw err;
      }
      const sha256 = hash.digest('hex');
      const storageKey = `${sha256.slice(0, 2)}/${sha256}`;
      const dest = keyPath(storageKey);
      await mkdir(join(root, sha256.slice(0, 2)), { recursive: true });
      // rename is atomic: a concurrent upload of the same content leaves one complete copy.
      await rename(tmp, dest);
      return { sha256, size, head: head(), storageKey };
    },
    open: (key) => createReadStream(keyPath(key)),
    async remove(key) {
      await rm(keyPath(key), { force: true });
    },
    async exists(key) {
      try {
        return (await stat(keyPath(key))).isFile();
      } catch {
        return false;
      }
    },
  };
}

