/**
 * The records warehouse's costs: the upload checks of a PDF (pdf-lib parse + the walk of
 * every object for JavaScript and embedded files) by size; uploads per second through the
 * file service (spool, SHA-256, checks, file record + warehouse document, one transaction)
 * on the embedded database; `motcua files verify`'s re-hash rate. No goals in the issue:
 * figures to watch.
 *
 *   node bench/warehouse.bench.ts
 */
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { PDFDocument, StandardFonts } from 'pdf-lib';
import { migrate } from '../src/db/migrate.ts';
import { openPglite } from '../src/db/pglite.ts';
import { createFolderFileStore } from '../src/modules/files/file-store.ts';
import { inspectPdf } from '../src/modules/files/pdf-check.ts';
import { createFileService } from '../src/modules/files/service.ts';
import { verifyFileStore } from '../src/modules/files/verify.ts';
import { fmt } from './support.ts';

const pct = (xs: number[], p: number): number => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))]!;

async function pdfOf(pages: number, imageBytes = 0): Promise<Uint8Array> {
  const doc = await PDFDocument.create();
  const font = await doc.embedFont(StandardFonts.Helvetica);
  for (let i = 0; i < pages; i++) doc.addPage([595, 842]).drawText(`Trang ${i + 1}: ${'noi dung '.repeat(40)}`, { font, size: 8, x: 20, y: 800, maxWidth: 550 });
  if (imageBytes > 0) {
    // A large opaque stream, as a scanned page carries.
    const stream = doc.context.stream(new Uint8Array(randomBytes(imageBytes)), { Filter: 'DCTDecode' });
    doc.context.register(stream);
  }
  return doc.save({ useObjectStreams: true });
}

console.log('PDF checks (pdf-lib load + object walk), one thread:');
for (const [label, pages, image, n] of [['1 page', 1, 0, 300], ['20 pages', 20, 0, 100], ['1 page + 5 MB scan stream', 1, 5_000_000, 10]] as const) {
  const bytes = await pdfOf(pages, image);
  const times: number[] = [];
  for (let i = 0; i < n; i++) {
    const t = performance.now();
    const problem = await inspectPdf(bytes);
    times.push(performance.now() - t);
    if (problem) throw new Error(`clean PDF refused: ${problem.code}`);
  }
  console.log(`  ${label.padEnd(28)} ${fmt(bytes.length / 1024, 0).padStart(6)} KB  median ${fmt(pct(times, 50), 2)} ms, p95 ${fmt(pct(times, 95), 2)} ms`);
}

const dir = await mkdtemp(join(tmpdir(), 'motcua-bench-wh-'));
const db = await openPglite(undefined);
try {
  await migrate(db);
  const store = createFolderFileStore(join(dir, 'files'));
  const files = createFileService(db, store);
  const base = await pdfOf(1);
  const n = 300;
  const citizen = { sub: 'bench', roles: ['citizen'], personalId: '004085012345' };
  const times: number[] = [];
  const t0 = performance.now();
  for (let i = 0; i < n; i++) {
    const content = Buffer.concat([base, Buffer.from(`% ${i}\n`)]);
    const t = performance.now();
    await files.upload(citizen, Readable.from([content]), `f${i}.pdf`);
    times.push(performance.now() - t);
  }
  const s = (performance.now() - t0) / 1000;
  console.log(`\nUploads through the file service (PGlite, folder store), ${n} distinct 1-page PDFs, one at a time:`);
  console.log(`  ${fmt(n / s, 0)} uploads/s, median ${fmt(pct(times, 50), 2)} ms, p95 ${fmt(pct(times, 95), 2)} ms`);
  const again = performance.now();
  for (let i = 0; i < 100; i++) await files.upload(citizen, Readable.from([Buffer.concat([base, Buffer.from(`% ${i}\n`)])]), 'again.pdf');
  console.log(`  the same content again (kept once): ${fmt(100 / ((performance.now() - again) / 1000), 0)} uploads/s`);

  const big = await pdfOf(1, 5_000_000);
  for (let i = 0; i < 10; i++) await files.upload(citizen, Readable.from([Buffer.concat([big, Buffer.from(`% big ${i}\n`)])]), 'big.pdf');
  const tv = performance.now();
  const v = await verifyFileStore(db, store);
  const vs = (performance.now() - tv) / 1000;
  const mb = (n * (base.length + 6) + 10 * (big.length + 10)) / 1e6;
  console.log(`\nmotcua files verify: ${v.checked} contents, ${fmt(mb, 0)} MB re-hashed in ${fmt(vs, 2)} s = ${fmt(mb / vs, 0)} MB/s (${v.changed.length + v.missing.length} problems)`);
} finally {
  await db.close();
  await rm(dir, { recursive: true, force: true });
}
