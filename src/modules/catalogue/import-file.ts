/**
 * `motcua catalogue import <file>`: reads the national catalogue export (JSON lines)
 * or the province's template (CSV), parses it, and imports every well-formed line in
 * one transaction. Malformed lines are reported with their line number and skipped.
 */
import { readFile } from 'node:fs/promises';
import { basename, extname } from 'node:path';
import type { Database } from '../../db/database.ts';
import { entryToProcedure } from './entry-to-procedure.ts';
import { parseNationalFile, parseTemplateCsv } from './import/index.ts';
import type { ImportProblem } from './import/types.ts';
import { importCatalogue, type ImportItem, type ImportSummary } from './import-service.ts';

export type CatalogueFormat = 'national' | 'template';

export interface FileImportResult {
  summary: ImportSummary;
  /** Lines that were not imported, with why. */
  malformed: ImportProblem[];
  /** Per procedure, what could not be parsed (imported anyway, with the raw text kept). */
  report: { code: string; line: number; problems: ImportProblem[] }[];
  parseMs: number;
  importMs: number;
}

export function formatOf(file: string, explicit?: string): CatalogueFormat {
  if (explicit === 'national' || explicit === 'template') return explicit;
  return ['.csv', '.tsv', '.txt'].includes(extname(file).toLowerCase()) ? 'template' : 'national';
}

/** The demo offers every imported procedure: commune procedures at the two demo wards, the others at the province's service centre. */
export const DEMO_OFFER_AT = (p: { level: string }): string[] => (p.level === 'commune' ? ['000.00.04.H12', '000.00.05.H12'] : ['000.00.01.H12']);

export async function importCatalogueFile(
  db: Database,
  file: string,
  opts: { format?: string; actorSub: string; offerAt?: (p: { level: string }) => string[]; onProgress?: (done: number, total: number, phase: 'parse' | 'import') => void; now?: Date },
): Promise<FileImportResult> {
  const format = formatOf(file, opts.format);
  const text = await readFile(file, 'utf8');
  const t0 = performance.now();
  const parsed = format === 'template' ? parseTemplateCsv(text) : parseNationalFile(text);
  const items: ImportItem[] = [];
  const malformed: ImportProblem[] = [];
  const lineOf = new Map<string, number>();
  for (const r of parsed) {
    if (!r.ok) {
      malformed.push(r.problem);
      continue;
    }
    const first = lineOf.get(r.entry.code);
    if (first !== undefined) {
      malformed.push({
        line: r.line,
        code: r.entry.code,
        part: 'code',
        message: { vi: `Mã thủ tục ${r.entry.code} đã có ở dòng ${first}: bỏ qua dòng này`, en: `Procedure ${r.entry.code} already appears on line ${first}: this line is skipped` },
        excerpt: r.entry.name.slice(0, 160),
      });
      continue;
    }
    lineOf.set(r.entry.code, r.line);
    items.push({
      procedure: entryToProcedure(r.entry),
      line: r.line,
      problems: r.problems.filter((p) => p.severity !== 'warning').map((p) => ({ part: p.part, message: p.message, excerpt: p.excerpt })),
    });
  }
  const parseMs = performance.now() - t0;
  const t1 = performance.now();
  const summary = await importCatalogue(db, items, malformed.length, {
    source: `${format}:${basename(file)}`,
    actorSub: opts.actorSub,
    now: opts.now ?? new Date(),
    ...(opts.offerAt ? { offerAt: opts.offerAt } : {}),
    ...(opts.onProgress ? { onProgress: (d: number, t: number) => opts.onProgress!(d, t, 'import') } : {}),
  });
  const report = parsed.flatMap((r) => (r.ok && r.problems.some((p) => p.severity !== 'warning') ? [{ code: r.entry.code, line: r.line, problems: r.problems.filter((p) => p.severity !== 'warning') }] : []));
  return { summary, malformed, report, parseMs, importMs: performance.now() - t1 };
}
