/**
 * A PGlite data folder, initialised and migrated, kept once per machine, PGlite version
 * and set of migrations, so that a first start on an empty data folder copies it instead
 * of running PGlite's initdb (several seconds) and the migrations (creating tables is
 * slow on PGlite's file system). The demo data is not in it.
 * See docs/decisions/0007-pglite-initdb-template.md.
 *
 * The template is PGlite's own dump format (a gzip'ed tar, `dumpDataDir('gzip')`), kept
 * in node_modules/.cache/motcua/. `npm install` builds it (postinstall); a first start
 * that finds none (or one for other migrations) builds it, in a temporary folder, for
 * itself and the next ones.
 */
import { randomBytes } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, readdir, readFile, rename, rm, rmdir, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { basename, dirname, join, resolve, sep } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { MIGRATIONS_DIR, migrate } from './migrate.ts';
import { openPglite } from './pglite.ts';

/** Where templates are kept: the project's node_modules/.cache/motcua. */
export const TEMPLATE_CACHE_DIR = resolve(import.meta.dirname, '..', '..', 'node_modules', '.cache', 'motcua');

function pgliteVersion(): string {
  const require = createRequire(import.meta.url);
  let dir = dirname(require.resolve('@electric-sql/pglite'));
  for (let i = 0; i < 4; i++, dir = dirname(dir)) {
    try {
      const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { name?: string; version?: string };
      if (pkg.name === '@electric-sql/pglite' && pkg.version) return pkg.version;
    } catch {
      /* not here */
    }
  }
  throw new Error('cannot find the version of @electric-sql/pglite');
}

/** Changes when makeTemplate makes something else. */
const TEMPLATE_FORMAT = 3;

/** A digest of the migration files (names and contents): a new or changed migration is a new template. */
function migrationsKey(): string {
  const h = createHash('sha256');
  for (const f of readdirSync(MIGRATIONS_DIR).filter((n) => /^\d{4}_.+\.sql$/.test(n)).sort()) h.update(f).update('\0').update(readFileSync(join(MIGRATIONS_DIR, f))).update('\0');
  return h.digest('hex').slice(0, 12);
}

/** The template file for the installed PGlite version and the current migrations. */
export function templateFile(cacheDir: string = TEMPLATE_CACHE_DIR): string {
  return join(cacheDir, `pglite-${pgliteVersion()}-m${migrationsKey()}-v${TEMPLATE_FORMAT}.tar.gz`);
}

/** Writes `data` to `file` through a temporary name, so a reader never sees half a template. */
async function writeAtomically(file: string, data: Uint8Array): Promise<void> {
  await mkdir(dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  try {
    await writeFile(tmp, data);
    await rename(tmp, file);
  } catch (err) {
    await rm(tmp, { force: true });
    throw err;
  }
}

/**
 * An initialised and migrated PGlite data folder, as a gzip'ed tar: PGlite's initdb in
 * a temporary folder, its two template databases dropped (PGlite serves one database
 * and Motcua never creates another; without them the folder has 400 files instead of
 * 1,000, and creating files is most of the cost of a copy), then every migration.
 */
export async function makeTemplate(): Promise<Uint8Array> {
  const dir = await mkdtemp(join(tmpdir(), 'motcua-pglite-template-'));
  try {
    const db = (await openPglite(join(dir, 'pg'))) as Awaited<ReturnType<typeof openPglite>> & { dump(compression: 'gzip'): Promise<Blob> };
    try {
      await db.exec('ALTER DATABASE template0 WITH is_template false; ALTER DATABASE template1 WITH is_template false');
      await db.exec('DROP DATABASE template0');
      await db.exec('DROP DATABASE template1');
      await migrate(db);
      await db.exec('CHECKPOINT');
      return new Uint8Array(await (await db.dump('gzip')).arrayBuffer());
    } finally {
      await db.close();
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** Keeps `bytes` as the template `file`, and drops the templates of other versions or migrations beside it. */
async function keep(file: string, bytes: Uint8Array): Promise<void> {
  await writeAtomically(file, bytes);
  const dir = dirname(file);
  for (const f of await readdir(dir).catch(() => [] as string[])) {
    if (/^pglite-.+\.tar\.gz$/.test(f) && f !== basename(file)) await rm(join(dir, f), { force: true });
  }
}

/** Makes the template and keeps it in `file`. */
export async function buildTemplate(file: string = templateFile()): Promise<{ file: string; bytes: number }> {
  const bytes = await makeTemplate();
  await keep(file, bytes);
  return { file, bytes: bytes.length };
}

/** The template in `file`, made (and kept there, when it can be written) if there is none yet. */
export async function ensureTemplate(file: string = templateFile()): Promise<Uint8Array> {
  const kept = await readTemplate(file);
  if (kept !== undefined) return kept;
  const bytes = await makeTemplate();
  await keep(file, bytes).catch(() => {
    /* a read-only install: every new database makes its own */
  });
  return bytes;
}

/** The template's bytes, or undefined when there is none (or it cannot be read). */
export async function readTemplate(file: string = templateFile()): Promise<Buffer | undefined> {
  try {
    return await readFile(file);
  } catch {
    return undefined;
  }
}

interface TarEntry {
  path: string;
  type: 'file' | 'dir';
  mode: number;
  data: Uint8Array;
}

/** The entries of a ustar archive (regular files and folders only: that is all PGlite writes). */
export function readTar(tar: Uint8Array): TarEntry[] {
  const out: TarEntry[] = [];
  const text = (from: number, len: number): string => {
    const b = tar.subarray(from, from + len);
    const end = b.indexOf(0);
    return Buffer.from(end === -1 ? b : b.subarray(0, end)).toString('utf8');
  };
  const octal = (from: number, len: number): number => {
    const s = text(from, len).trim();
    return s === '' ? 0 : parseInt(s, 8);
  };
  let off = 0;
  while (off + 512 <= tar.length) {
    if (tar[off] === 0) break; // end-of-archive blocks
    const name = text(off, 100);
    const mode = octal(off + 100, 8);
    const size = octal(off + 124, 12);
    const flag = String.fromCharCode(tar[off + 156]!);
    const prefix = text(off + 345, 155);
    const path = (prefix ? `${prefix}/${name}` : name).replace(/^\/+/, '').replace(/\/+$/, '');
    if (!Number.isFinite(size) || size < 0 || off + 512 + size > tar.length) throw new Error('template archive is truncated');
    if (path === '' || path.split('/').some((p) => p === '..' || p === '.')) throw new Error(`template archive has an unsafe path: ${path}`);
    if (flag === '5') out.push({ path, type: 'dir', mode, data: new Uint8Array() });
    else if (flag === '0' || flag === '\0') out.push({ path, type: 'file', mode, data: tar.subarray(off + 512, off + 512 + size) });
    else throw new Error(`template archive has an entry of type ${JSON.stringify(flag)}: ${path}`);
    off += 512 + Math.ceil(size / 512) * 512;
  }
  return out;
}

/**
 * Creates the data folder `dir` (absent or empty) from the template: extracted into a
 * temporary sibling, then renamed into place, so a crash midway leaves no half-made
 * database behind. Files are written many at a time: creating a thousand small files
 * one by one is most of the cost.
 */
export async function extractTemplate(templateGz: Uint8Array, dir: string): Promise<void> {
  const gzipped = templateGz[0] === 0x1f && templateGz[1] === 0x8b;
  const entries = readTar(gzipped ? gunzipSync(templateGz) : templateGz);
  if (!entries.some((e) => e.path === 'PG_VERSION')) throw new Error('template archive is not a PostgreSQL data folder');
  const target = resolve(dir);
  const tmp = `${target}.template-${process.pid}-${randomBytes(4).toString('hex')}`;
  try {
    await mkdir(tmp, { recursive: true });
    const dirs = new Set<string>();
    for (const e of entries) {
      const parts = e.path.split('/');
      for (let i = 1; i < parts.length; i++) dirs.add(parts.slice(0, i).join('/'));
      if (e.type === 'dir') dirs.add(e.path);
    }
    // Parents before children: sorted by depth.
    for (const d of [...dirs].sort((a, b) => a.split('/').length - b.split('/').length)) await mkdir(join(tmp, ...d.split('/')), { recursive: true });
    // The lock file of the instance that was dumped is not part of the database.
    const files = entries.filter((e) => e.type === 'file' && e.path !== 'postmaster.pid' && e.path !== 'postmaster.opts');
    let next = 0;
    await Promise.all(
      Array.from({ length: 16 }, async () => {
        while (next < files.length) {
          const f = files[next++]!;
          const path = join(tmp, ...f.path.split('/'));
          if (!path.startsWith(tmp + sep)) throw new Error(`template archive has an unsafe path: ${f.path}`);
          await writeFile(path, f.data, { mode: f.mode & 0o777 || 0o600 });
        }
      }),
    );
    await rmdir(target).catch((err: NodeJS.ErrnoException) => {
      if (err.code !== 'ENOENT') throw err; // not empty: someone else made it meanwhile
    });
    await rename(tmp, target);
  } catch (err) {
    await rm(tmp, { recursive: true, force: true });
    throw err;
  }
}
