/**
 * Parse rates: for each part, the share of entries where it was read.
 *
 * - channels: at least one channel row and no unread text in the table;
 * - time: the procedure has a processing time (its common case's deadline, a number);
 * - timeUnit: … with a known unit (not a bare number);
 * - timeAllRows: every channel row has a processing time;
 * - fees: every row's fee cell was read ("Miễn phí", an amount, or "not stated");
 * - feeStated: every row states its fee (free or an amount);
 * - documents: at least one document and no unread text in the table;
 * - result / resultCode: at least one result document / every one has a national code;
 * - legalBasis: at least one document number (`absent`: the catalogue says none);
 * - levels, applicants: every item recognised.
 */
import type { CatalogueEntry, ImportProblem, ParseResult, ProblemPart } from './types.ts';

export type RatePart =
  | 'channels'
  | 'time'
  | 'timeUnit'
  | 'timeAllRows'
  | 'fees'
  | 'feeStated'
  | 'documents'
  | 'result'
  | 'resultCode'
  | 'legalBasis'
  | 'levels'
  | 'applicants';

export interface PartRate {
  parsed: number;
  /** Entries where the catalogue gives nothing for this part (counted as not parsed). */
  absent: number;
  total: number;
  /** parsed / total × 100, one decimal. */
  percent: number;
}

export interface RateReport {
  lines: number;
  entries: number;
  malformed: number;
  withVariants: number;
  problems: number;
  problemsByPart: Partial<Record<ProblemPart, number>>;
  parts: Record<RatePart, PartRate>;
}

/** A problem that leaves the part unread (warnings do not). */
function has(problems: ImportProblem[], part: ProblemPart): boolean {
  return problems.some((p) => p.part === part && p.severity !== 'warning');
}

function checks(entry: CatalogueEntry, problems: ImportProblem[]): Record<RatePart, { ok: boolean; absent: boolean }> {
  const rows = entry.channels;
  const rawChannels = entry.raw['cach_thuc_thuc_hien'] ?? '';
  const rawDocs = (entry.raw['thanh_phan_ho_so'] ?? '').trim();
  const rawLegal = (entry.raw['can_cu_phap_ly'] ?? '').trim();
  const channelProblems = has(problems, 'channels');
  return {
    channels: { ok: rows.length > 0 && !channelProblems, absent: rawChannels.trim() === '' },
    time: { ok: entry.processingTime !== null, absent: false },
    timeUnit: { ok: entry.processingTime !== null && entry.processingTime.unit !== 'unspecified', absent: false },
    timeAllRows: { ok: rows.length > 0 && rows.every((r) => r.time !== null), absent: false },
    fees: { ok: rows.length > 0 && !has(problems, 'fees'), absent: false },
    feeStated: { ok: rows.length > 0 && rows.every((r) => r.free !== null), absent: false },
    documents: {
      ok: entry.documents.length > 0 && !has(problems, 'documents'),
      absent: rawDocs === '' || rawDocs === '--',
    },
    result: { ok: entry.results.length > 0, absent: (entry.raw['ket_qua_xu_ly'] ?? '').trim() === '' },
    resultCode: { ok: entry.results.length > 0 && entry.results.every((r) => r.code !== undefined && /^KQ\./u.test(r.code)), absent: false },
    legalBasis: { ok: entry.legalBasis.length > 0 && !has(problems, 'legalBasis'), absent: rawLegal === '' || /^không có thông tin$/iu.test(rawLegal) },
    levels: { ok: entry.levels.length > 0 && !has(problems, 'levels'), absent: false },
    applicants: { ok: entry.applicantTypes.length > 0 && !has(problems, 'applicants'), absent: false },
  };
}

const PARTS: RatePart[] = ['channels', 'time', 'timeUnit', 'timeAllRows', 'fees', 'feeStated', 'documents', 'result', 'resultCode', 'legalBasis', 'levels', 'applicants'];

export function parseRateReport(results: readonly ParseResult[]): RateReport {
  const parts = Object.fromEntries(PARTS.map((p) => [p, { parsed: 0, absent: 0, total: 0, percent: 0 }])) as Record<RatePart, PartRate>;
  const problemsByPart: Partial<Record<ProblemPart, number>> = {};
  let entries = 0;
  let malformed = 0;
  let withVariants = 0;
  let problems = 0;
  const count = (p: ImportProblem) => {
    problems++;
    problemsByPart[p.part] = (problemsByPart[p.part] ?? 0) + 1;
  };
  for (const r of results) {
    if (!r.ok) {
      malformed++;
      count(r.problem);
      continue;
    }
    entries++;
    if (r.entry.variants.length > 0) withVariants++;
    r.problems.forEach(count);
    const c = checks(r.entry, r.problems);
    for (const p of PARTS) {
      parts[p].total++;
      if (c[p].ok) parts[p].parsed++;
      else if (c[p].absent) parts[p].absent++;
    }
  }
  for (const p of PARTS) {
    // Malformed lines count against every part: they are procedures nothing was read from.
    parts[p].total += malformed;
    parts[p].percent = parts[p].total === 0 ? 0 : Math.round((parts[p].parsed / parts[p].total) * 1000) / 10;
  }
  return { lines: results.length, entries, malformed, withVariants, problems, problemsByPart, parts };
}

/** The report as text, one part a line. */
export function formatRateReport(r: RateReport): string {
  const lines = [
    `lines ${r.lines}, entries ${r.entries}, malformed ${r.malformed}, with cases ${r.withVariants}, problems ${r.problems}`,
    ...PARTS.map((p) => {
      const x = r.parts[p];
      return `${p.padEnd(11)} ${x.percent.toFixed(1).padStart(5)} %  (${x.parsed}/${x.total}${x.absent ? `, ${x.absent} absent in the source` : ''})`;
    }),
    `problems by part: ${Object.entries(r.problemsByPart)
      .map(([k, v]) => `${k} ${v}`)
      .join(', ')}`,
  ];
  return lines.join('\n');
}
