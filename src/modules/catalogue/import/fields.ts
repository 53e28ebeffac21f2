/**
 * The smaller fields of a catalogue entry: levels, applicant types, legal
 * basis (document numbers), result documents with their codes.
 */
import type { PartProblem } from './channels.ts';
import { clean, excerpt, findLegalNumbers, isNoInformation, stripListMarker } from './text.ts';
import type { ImportApplicantType, ImportLevel, LegalDocument, ResultDocument } from './types.ts';

const LEVELS: Array<[RegExp, ImportLevel]> = [
  [/^(?:cấp\s+)?(?:bộ|trung ương)$|^ministry$/iu, 'ministry'],
  [/^(?:cấp\s+)?tỉnh$|^province$/iu, 'province'],
  [/^(?:cấp\s+)?(?:xã|phường|xã, phường)$|^commune$/iu, 'commune'],
  [/^cơ quan khác$|^other$/iu, 'other'],
];

export function parseLevels(text: string): { levels: ImportLevel[]; problems: PartProblem[] } {
  const levels: ImportLevel[] = [];
  const problems: PartProblem[] = [];
  for (const item of clean(text).split(/[,;]/u)) {
    const t = clean(item);
    if (t === '') continue;
    const hit = LEVELS.find(([re]) => re.test(t));
    if (hit) {
      if (!levels.includes(hit[1])) levels.push(hit[1]);
    } else {
      problems.push({ part: 'levels', vi: `Cấp thực hiện không rõ: "${t}"`, en: `Unknown level: "${t}"`, excerpt: excerpt(t) });
    }
  }
  if (levels.length === 0 && problems.length === 0) {
    problems.push({ part: 'levels', vi: 'Không có cấp thực hiện', en: 'No level is given', excerpt: excerpt(text) });
  }
  return { levels, problems };
}

/** Longest phrases first: "Doanh nghiệp có vốn đầu tư nước ngoài" before "Doanh nghiệp". */
const APPLICANTS: Array<[RegExp, ImportApplicantType]> = [
  [/tổ chức\s*\(không bao gồm doanh nghiệp,?\s*htx\)/giu, 'organisation'],
  [/doanh nghiệp có vốn đầu tư nước ngoài/giu, 'foreign_invested_business'],
  [/người việt nam định cư ở nước ngoài/giu, 'overseas_vietnamese'],
  [/người nước ngoài cư trú tại việt nam/giu, 'foreigner'],
  [/tổ chức đảng|\bparty_organisation\b/giu, 'party_organisation'],
  [/đảng viên|\bparty_member\b/giu, 'party_member'],
  [/cán bộ,?\s*công chức,?\s*viên chức/giu, 'civil_servant'],
  [/công dân việt nam|(?<![\p{L}])cá nhân(?![\p{L}])|(?<![\p{L}])công dân(?![\p{L}])|\bcitizen\b/giu, 'citizen'],
  [/doanh nghiệp(?: việt nam)?|\bbusiness\b/giu, 'business'],
  [/hợp tác xã|(?<![\p{L}])htx(?![\p{L}])|\bcooperative\b/giu, 'cooperative'],
  [/tổ chức nước ngoài|\bforeign_organisation\b/giu, 'foreign_organisation'],
  [/người nước ngoài|\bforeigner\b/giu, 'foreigner'],
  [/(?<![\p{L}])tổ chức(?![\p{L}])|\borganisation\b/giu, 'organisation'],
  [/\bforeign_invested_business\b/giu, 'foreign_invested_business'],
  [/\boverseas_vietnamese\b/giu, 'overseas_vietnamese'],
  [/\bcivil_servant\b/giu, 'civil_servant'],
];

export function parseApplicants(text: string): { applicantTypes: ImportApplicantType[]; problems: PartProblem[] } {
  const found: Array<{ at: number; type: ImportApplicantType }> = [];
  let rest = clean(text);
  for (const [re, type] of APPLICANTS) {
    rest = rest.replace(re, (m: string, ...args: unknown[]) => {
      const at = args.find((a) => typeof a === 'number') as number;
      found.push({ at, type });
      return ' '.repeat(m.length);
    });
  }
  const applicantTypes: ImportApplicantType[] = [];
  for (const f of found.sort((a, b) => a.at - b.at)) if (!applicantTypes.includes(f.type)) applicantTypes.push(f.type);
  const problems: PartProblem[] = [];
  const left = clean(rest.replace(/[,;/]|\s(?:và|hoặc)\s/gu, ' '));
  if (left !== '') {
    problems.push({ part: 'applicants', vi: `Đối tượng thực hiện không rõ: "${left}"`, en: `Unknown applicant type: "${left}"`, excerpt: excerpt(text) });
  } else if (applicantTypes.length === 0) {
    problems.push({ part: 'applicants', vi: 'Không có đối tượng thực hiện', en: 'No applicant type is given', excerpt: excerpt(text) });
  }
  return { applicantTypes, problems };
}

const LEGAL_HEADER_RE = /^\s*Tên văn bản pháp lý\s*Mã văn bản/u;

/**
 * The legal basis table ("Tên văn bản pháp lýMã văn bản" then title + number
 * per row). A number ends a row when the next title is glued to it or follows
 * a space and a capital; numbers cited inside a title ("… Nghị định số
 * 35/2016/NĐ-CP ngày …") are not rows of their own.
 */
export function parseLegalBasis(text: string): { legalBasis: LegalDocument[]; problems: PartProblem[]; absent: boolean } {
  const src = typeof text === 'string' ? text : '';
  if (isNoInformation(src)) return { legalBasis: [], problems: [], absent: true };
  const problems: PartProblem[] = [];
  const body = src.replace(LEGAL_HEADER_RE, '');
  const matches = findLegalNumbers(body);
  const out: LegalDocument[] = [];
  let from = 0;
  matches.forEach((m, i) => {
    const next = matches[i + 1];
    const after = body.slice(m.end);
    const gluedToSame = next !== undefined && next.index === m.end && next.number === m.number;
    const rowEnd =
      !gluedToSame &&
      (after.trim() === '' || /^[^\s,;.)/–-]/u.test(after) || /^[.;]?\s*\n/u.test(after) || /^[.;]?\s+\p{Lu}/u.test(after));
    if (!rowEnd) return;
    let title = clean(body.slice(from, m.index));
    // The number cell may start with a word glued to the title: "Luật Thú yLuật 79/2015/QH13".
    title = title
      .replace(/(?<=\p{Ll}|[.;)])(?:Luật|Nghị định|NĐ|Thông tư|Nghị quyết|Quyết định)(?:\s+số)?\s*$/u, '')
      .replace(/\s+số\s*$/u, '')
      .replace(/^[;,.\s]+|[;,\s]+$/gu, '');
    from = m.end;
    const existing = out.find((o) => o.number === m.number);
    if (existing) {
      if (!existing.title && title) existing.title = title;
      return;
    }
    const doc: LegalDocument = { number: m.number };
    if (title) doc.title = title;
    out.push(doc);
  });
  const tail = clean(body.slice(from));
  if (out.length === 0) {
    // No number closes a row (every one is followed by "ngày …"): keep every number, without titles.
    for (const m of matches) if (!out.some((o) => o.number === m.number)) out.push({ number: m.number });
  }
  if (out.length === 0) {
    problems.push({ part: 'legalBasis', vi: 'Không tìm thấy số hiệu văn bản pháp lý', en: 'No legal document number was found', excerpt: excerpt(src) });
  } else if (tail !== '' && findLegalNumbers(tail).length === 0) {
    problems.push({
      part: 'legalBasis',
      vi: 'Văn bản cuối cùng không có số hiệu; giữ nguyên văn bản',
      en: 'The last legal document has no number; kept as text',
      excerpt: excerpt(tail),
    });
  }
  return { legalBasis: out, problems, absent: false };
}

const RESULT_CODE_RE = /^(KQ\.[A-Z]\d{1,3}\.\d{3,8})/u;

/** Result documents: "<name>Mã: KQ.G15.000031<name>Mã: …Từ khóa…Mô tả…" (the page furniture after "Từ khóa" is dropped). */
export function parseResults(text: string): { results: ResultDocument[]; problems: PartProblem[] } {
  const src = typeof text === 'string' ? text : '';
  const problems: PartProblem[] = [];
  const cutAt = src.search(/Từ khóa|Chọn cơ quan thực hiện/u);
  const body = cutAt >= 0 ? src.slice(0, cutAt) : src;
  if (isNoInformation(body)) {
    problems.push({ part: 'result', vi: 'Không có kết quả thực hiện', en: 'No result document is given', excerpt: excerpt(src) });
    return { results: [], problems };
  }
  const pieces = body.split(/Mã\s*:\s*/u);
  const results: ResultDocument[] = [];
  let name = pieces[0] ?? '';
  for (let i = 1; i < pieces.length; i++) {
    const piece = pieces[i] ?? '';
    const m = RESULT_CODE_RE.exec(piece);
    let code: string;
    let rest: string;
    if (m) {
      code = m[1] ?? '';
      rest = piece.slice(code.length);
    } else {
      const loose = /^[A-Za-z0-9._-]*?(?=\p{Lu}\p{Ll}|[^A-Za-z0-9._-]|$)/u.exec(piece)?.[0] ?? '';
      code = loose;
      rest = piece.slice(loose.length);
      problems.push({
        part: 'result',
        vi: `Mã kết quả không đúng dạng KQ.Gxx.xxxxxx: "${excerpt(loose || piece, 40)}"`,
        en: `Result code not in the national form KQ.Gxx.xxxxxx: "${excerpt(loose || piece, 40)}"`,
        excerpt: excerpt(`${name}Mã: ${piece}`),
      });
    }
    const n = stripListMarker(name).replace(/[.;,]+$/u, '');
    const r: ResultDocument = { name: n || clean(name) };
    if (code) r.code = code;
    if (r.name) results.push(r);
    name = rest;
  }
  const last = stripListMarker(name).replace(/[.;,]+$/u, '');
  if (last !== '') {
    results.push({ name: last });
    if (pieces.length > 1) {
      problems.push({ part: 'result', vi: 'Một kết quả không có mã', en: 'A result document has no code', excerpt: excerpt(last) });
    }
  }
  if (results.length === 0) {
    problems.push({ part: 'result', vi: 'Không đọc được kết quả thực hiện', en: 'No result document could be read', excerpt: excerpt(src) });
  }
  return { results, problems };
}
