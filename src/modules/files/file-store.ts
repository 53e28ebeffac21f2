import { createHash, randomUUID } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdir, readdir, readFile, rename, rm, stat } from 'node:fs/promises';
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
  /**
   * Called with the first bytes and the size once all is read (and `content()` to read it all,
   * for checks that parse it, e.g. a PDF); throws (or rejects) to refuse the content.
   */
  accept?: (blob: { head: Buffer; size: number; content: () => Promise<Buffer> }) => void | Promise<void>;
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
  /** Every storage key held (for checks: `motcua files verify`). */
  list(): AsyncIterable<string>;
  /** Where it keeps the bytes, for messages (never a secret). */
  readonly description: string;
}

/** The storage key of a content: the first two hex digits of its SHA-256, a slash, the SHA-256. */
export const storageKeyOf = (sha256: string): string => `${sha256.slice(0, 2)}/${sha256}`;
export const isStorageKey = (key: string): boolean => /^[0-9a-f]{2}\/[0-9a-f]{64}$/.test(key) && key.slice(0, 2) === key.slice(3, 5);

/**
 * Streams `source` into a temporary file under `tmpDir`, hashing as it goes, and runs the
 * checks on it. Returns the temporary file (the caller moves or uploads it, then removes it)
 * or throws, leaving nothing behind. Shared by the folder and the S3 stores.
 */
export async function spoolAndCheck(tmpDir: string, source: Readable & { truncated?: boolean }, checks: PutChecks = {}): Promise<{ tmp: string; sha256: string; size: number; head: Buffer }> {
  const max = checks.maxBytes ?? Infinity;
  const tooLarge = checks.tooLarge ?? (() => new RangeError(`more than ${max} bytes`));
  await mkdir(tmpDir, { recursive: true });
  const tmp = join(tmpDir, randomUUID());
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
  try {
    await pipeline(source, tap, createWriteStream(tmp, { flags: 'wx' }));
    if (source.truncated === true) throw tooLarge();
    const h = Buffer.concat(heads).subarray(0, 16);
    await checks.accept?.({ head: h, size, content: () => readFile(tmp) });
    return { tmp, sha256: hash.digest('hex'), size, head: h };
  } catch (err) {
    await rm(tmp, { force: true });
    throw err;
  }
}

export function createFolderFileStore(root: string): FileStore {
  const keyPath = (key: string): string => {
    if (!isStorageKey(key)) throw new Error('invalid storage key');
    return join(root, key);
  };
  return {
    description: `folder ${root}`,
    async put(source, checks = {}) {
      const { tmp, sha256, size, head } = await spoolAndCheck(join(root, 'tmp'), source, checks);
      const storageKey = storageKeyOf(sha256);
      const dest = keyPath(storageKey);
      try {
        await mkdir(join(root, sha256.slice(0, 2)), { recursive: true });
        // rename is atomic: a concurrent upload of the same content leaves one complete copy.
        await rename(tmp, dest);
      } catch (err) {
        await rm(tmp, { force: true });
        throw err;
      }
      return { sha256, size, head, storageKey };
    },
    async *list() {
      let dirs: string[];
      try {
        dirs = (await readdir(root)).filter((d) => /^[0-9a-f]{2}$/.test(d)).sort();
      } catch {
        return;
      }
      for (const d of dirs) {
        for (const f of (await readdir(join(root, d))).sort()) {
          const key = `${d}/${f}`;
          if (isStorageKey(key)) yield key;
        }
      }
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

