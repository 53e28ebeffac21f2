/**
 * Parser of the national procedure catalogue export (one JSON object a line,
 * fields named as published: ma_thu_tuc, ten_thu_tuc, cach_thuc_thuc_hien, …).
 * Pure: no I/O, never throws; whatever it cannot read is reported as a
 * problem with its line number and kept as text in `raw`.
 */
import { caseName, capitalise, distinctGroups, parseChannels, type PartProblem } from './channels.ts';
import { isAuthorisationTitle, isCaseTitle, parseDocuments, type DocumentSection } from './documents.ts';
import { parseApplicants, parseLegalBasis, parseLevels, parseResults } from './fields.ts';
import { clean, cleanLines, excerpt, isNoInformation, stripListMarker } from './text.ts';
import type {
  CatalogueEntry,
  ChannelRow,
  DocumentEntry,
  ImportProblem,
  ParseResult,
  ProcedureVariant,
  ProcessingTime,
} from './types.ts';

function str(v: unknown): string {
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  return '';
}

function malformed(line: number, part: ImportProblem['part'], vi: string, en: string, text: string, code?: string): ParseResult {
  const problem: ImportProblem = { line, part, message: { vi, en }, excerpt: excerpt(text) };
  if (code) problem.code = code;
  return { ok: false, line, problem };
}

/** Parses one line of the national export. `lineNo` is 1-based. */
export function parseNationalLine(line: string, lineNo: number): ParseResult {
  const text = typeof line === 'string' ? line : '';
  if (text.trim() === '') return malformed(lineNo, 'json', 'Dòng trống', 'Empty line', text);
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (e) {
    const why = e instanceof Error ? e.message : String(e);
    return malformed(lineNo, 'json', `Dòng không phải JSON hợp lệ (${why})`, `The line is not valid JSON (${why})`, text);
  }
  if (typeof data !== 'object' || data === null || Array.isArray(data)) {
    return malformed(lineNo, 'json', 'Dòng không phải một đối tượng JSON', 'The line is not a JSON object', text);
  }
  const o = data as Record<string, unknown>;
  const code = clean(str(o['ma_thu_tuc']));
  const name = clean(str(o['ten_thu_tuc']));
  if (code === '') return malformed(lineNo, 'code', 'Thiếu mã thủ tục (ma_thu_tuc)', 'The procedure code (ma_thu_tuc) is missing', text);
  if (name === '') return malformed(lineNo, 'name', 'Thiếu tên thủ tục (ten_thu_tuc)', 'The procedure name (ten_thu_tuc) is missing', text, code);
  const raw: Record<string, string> = {};
  for (const [k, v] of Object.entries(o)) raw[k] = str(v);
  return { ok: true, line: lineNo, ...buildEntry(raw, lineNo, code, name) };
}

/** Parses a whole export; a final newline does not make an extra line. */
export function parseNationalFile(text: string): ParseResult[] {
  const lines = text.split(/\r?\n/u);
  if (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();
  return lines.map((l, i) => parseNationalLine(l, i + 1));
}

export interface RawFields {
  [field: string]: string;
}

/** Builds an entry from the national field names (also used by the template parser). */
export function buildEntry(raw: RawFields, lineNo: number, code: string, name: string): { entry: CatalogueEntry; problems: ImportProblem[] } {
  const f = (k: string) => raw[k] ?? '';
  const partProblems: PartProblem[] = [];
  const steps = cleanLines(f('trinh_tu_thuc_hien'));
  const levels = parseLevels(f('cap_thuc_hien'));
  const applicants = parseApplicants(f('doi_tuong_thuc_hien'));
  const channels = parseChannels(f('cach_thuc_thuc_hien'), { steps });
  const docs = parseDocuments(f('thanh_phan_ho_so'));
  const legal = parseLegalBasis(f('can_cu_phap_ly'));
  const results = parseResults(f('ket_qua_xu_ly'));
  partProblems.push(...levels.problems, ...applicants.problems, ...channels.problems, ...docs.problems, ...legal.problems, ...results.problems);
  const field = clean(f('linh_vuc'));
  if (field === '') partProblems.push({ part: 'field', vi: 'Thiếu lĩnh vực', en: 'The field (lĩnh vực) is missing', excerpt: '' });

  const variants = buildVariants(channels.rows, docs.sections, partProblems);
  const entry: CatalogueEntry = {
    code,
    name,
    field,
    levels: levels.levels,
    applicantTypes: applicants.applicantTypes,
    agencies: agenciesOf(raw),
    channels: channels.rows,
    processingTime: summaryTime(variants[0]?.channels ?? channels.rows),
    documents: docs.documents,
    results: results.results,
    legalBasis: legal.legalBasis,
    conditions: isNoInformation(f('yeu_cau_dieu_kien')) ? '' : cleanLines(f('yeu_cau_dieu_kien')),
    steps,
    announcingDecision: clean(f('so_quyet_dinh')),
    source: clean(f('bo_nganh')),
    variants,
    raw,
  };
  const kind = clean(f('loai_thu_tuc'));
  if (kind) entry.procedureKind = kind;
  const url = clean(f('detail_url'));
  if (url) entry.sourceUrl = url;
  const problems: ImportProblem[] = partProblems.map((p) => {
    const problem: ImportProblem = { line: lineNo, code, part: p.part, message: { vi: p.vi, en: p.en }, excerpt: p.excerpt };
    if (p.severity) problem.severity = p.severity;
    return problem;
  });
  return { entry, problems };
}

function agenciesOf(raw: RawFields): CatalogueEntry['agencies'] {
  const t = (k: string) => {
    const v = clean(raw[k] ?? '');
    return isNoInformation(v) ? '' : v;
  };
  const a: CatalogueEntry['agencies'] = { performing: t('co_quan_thuc_hien'), competent: t('co_quan_co_tham_quyen') };
  if (t('dia_chi_tiep_nhan')) a.receivingAddress = cleanLines(raw['dia_chi_tiep_nhan'] ?? '');
  if (t('co_quan_phoi_hop')) a.coordinating = t('co_quan_phoi_hop');
  if (t('co_quan_duoc_uy_quyen')) a.delegated = t('co_quan_duoc_uy_quyen');
  return a;
}

const DAYS_PER: Record<string, number> = {
  working_days: 1,
  days: 1,
  working_hours: 1 / 8,
  hours: 1 / 24,
  minutes: 1 / 1440,
  weeks: 7,
  months: 30,
  years: 365,
};

/** The longest time among rows with a known unit (then any row), null when none has a time. */
export function summaryTime(rows: ChannelRow[]): ProcessingTime | null {
  const timed = rows.map((r) => r.time).filter((t): t is ProcessingTime => t !== null);
  const known = timed.filter((t) => t.unit !== 'unspecified');
  const pool = known.length > 0 ? known : timed;
  let best: ProcessingTime | null = null;
  for (const t of pool) {
    const days = t.value * (DAYS_PER[t.unit] ?? 1);
    const bestDays = best ? best.value * (DAYS_PER[best.unit] ?? 1) : -1;
    if (days > bestDays) best = t;
  }
  return best ? { ...best } : null;
}

function docKey(d: DocumentEntry): string {
  return clean(d.name).toLowerCase().replace(/[^\p{L}\p{N} ]/gu, '').slice(0, 80);
}

function titleName(title: string): string {
  return capitalise(stripListMarker(title).replace(/[:\s]+$/u, '').replace(/,?\s*hồ sơ (?:bao )?gồm$/iu, ''));
}

/**
 * Cases of the procedure. Channel rows form several cases when a channel is
 * listed again with another deadline, fee or description; document sections do
 * when their titles name cases ("Trường hợp …", "Đối với …") or when the same
 * document appears in two titled sections (alternatives, not complements).
 * Sections that are not cases ("Giấy tờ phải nộp", untitled) are common to all.
 */
export function buildVariants(rows: ChannelRow[], sections: DocumentSection[], problems: PartProblem[]): ProcedureVariant[] {
  const groups = distinctGroups(rows);
  const channelCases = groups.length > 1 ? groups : [];

  let caseSections: DocumentSection[] = [];
  let commonDocs: DocumentEntry[] = [];
  const titled = sections.filter((s) => s.title !== undefined && s.documents.length > 0 && !isAuthorisationTitle(s.title));
  const byTitle = titled.filter((s) => isCaseTitle(s.title));
  if (byTitle.length >= 2) {
    caseSections = byTitle;
  } else if (titled.length >= 2) {
    const seen = new Map<string, number>();
    titled.forEach((s, i) => {
      for (const d of s.documents) {
        const k = docKey(d);
        if (k && seen.has(k) && seen.get(k) !== i) caseSections = titled;
        if (!seen.has(k)) seen.set(k, i);
      }
    });
  }
  if (caseSections.length > 0) {
    commonDocs = sections.filter((s) => !caseSections.includes(s)).flatMap((s) => s.documents);
    // A section published twice (same title, same documents) is one case.
    const seenCases = new Set<string>();
    caseSections = caseSections.filter((s) => {
      const key = `${clean(s.title ?? '')}|${s.documents.map(docKey).join('|')}`;
      if (seenCases.has(key)) return false;
      seenCases.add(key);
      return true;
    });
    if (caseSections.length < 2) caseSections = [];
  }
  const allDocs = sections.flatMap((s) => s.documents);

  if (channelCases.length > 0 && caseSections.length > 0) {
    if (channelCases.length === caseSections.length) {
      return caseSections.map((s, i) => ({
        name: titleName(s.title ?? '') || `Trường hợp ${i + 1}`,
        channels: channelCases[i] ?? [],
        documents: [...commonDocs, ...s.documents],
        basis: ['channels', 'documents'],
      }));
    }
    problems.push({
      part: 'variants',
      vi: `Bảng cách thức có ${channelCases.length} trường hợp, thành phần hồ sơ có ${caseSections.length}; không ghép được, các trường hợp theo thành phần hồ sơ`,
      en: `The channel table has ${channelCases.length} cases and the documents ${caseSections.length}; they could not be matched, cases follow the documents`,
      excerpt: excerpt(caseSections.map((s) => s.title ?? '').join(' | ')),
      severity: 'warning',
    });
  }
  if (caseSections.length > 0) {
    return caseSections.map((s, i) => ({
      name: titleName(s.title ?? '') || `Trường hợp ${i + 1}`,
      channels: rows,
      documents: [...commonDocs, ...s.documents],
      basis: ['documents'],
    }));
  }
  if (channelCases.length > 0) {
    const names = channelCases.map((g, i) => caseName(g) ?? `Trường hợp ${i + 1}`);
    return channelCases.map((g, i) => ({
      name: names.indexOf(names[i] ?? '') === i ? (names[i] ?? '') : `${names[i]} (${i + 1})`,
      channels: g,
      documents: allDocs,
      basis: ['channels'],
    }));
  }
  return [];
}
