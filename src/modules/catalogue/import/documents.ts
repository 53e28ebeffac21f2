/**
 * The document table of the national catalogue (thành phần hồ sơ), flattened:
 *
 *   <section title or "--">Tên giấy tờMẫu đơn, tờ khaiSố lượng
 *   <name><template file(s)><N bản chính[,N bản sao]> <name>… <next section title>Tên giấy tờ…
 *
 * A row ends at its quantity; the template file names (".doc", ".docx", ".pdf")
 * are glued to the end of the name; text after the last row of a section is
 * the title of the next one.
 */
import type { PartProblem } from './channels.ts';
import { clean, excerpt, findLegalNumbers, stripListMarker } from './text.ts';
import type { DocumentEntry, DocumentQuantity } from './types.ts';

const HEADER_RE = /Tên giấy tờ\s*Mẫu đơn,?\s*tờ khai\s*Số lượng/gu;
const QTY_RE = /(\d+)\s*bản\s*(chính|sao)(?:\s*,\s*(\d+)\s*bản\s*(chính|sao))?/gu;
const FILE_END_RE = /\.(?:docx|doc|pdf|xlsx|xls|rar|zip|DOCX|DOC|PDF)\s*$/u;
const FILE_RE = /[^]*?\.(?:docx|doc|pdf|xlsx|xls|rar|zip|DOCX|DOC|PDF)(?:\s*\(\d+\)\.(?:docx|doc|pdf))?(?![a-z])/gu;
const FILE_START_WORD = /^(?:Mẫu|Mau|MẪU|MAU|Mus|Ms\d|Phụ lục|PHỤ LỤC|Phlc|PL\d)/u;

export interface DocumentSection {
  /** Section title as published ("* Giấy tờ phải nộp:", "Trường hợp …"), undefined for "--" or none. */
  title?: string;
  documents: DocumentEntry[];
}

export interface DocumentParse {
  sections: DocumentSection[];
  documents: DocumentEntry[];
  problems: PartProblem[];
  hadTable: boolean;
}

/**
 * Splits "name + attached file names" at the glue point before the first file
 * name: a lower-case letter or punctuation directly followed by a capital or a
 * digit ("Bộ Công an.NA5.doc"), or any character followed by "Mẫu"/"Mau"/"Phụ lục"
 * ("NĐ-CPMẫu số 09.docx").
 */
export function splitTemplateFiles(text: string): { name: string; files: string[] } {
  const s = text.trimEnd();
  const ext = FILE_END_RE.exec(s);
  if (!ext) return { name: s, files: [] };
  const from = Math.max(1, ext.index - 220);
  let cut = -1;
  for (let i = from; i < ext.index; i++) {
    const prev = s[i - 1] ?? '';
    const cur = s[i] ?? '';
    if (/\s/u.test(prev) || /\s/u.test(cur)) continue;
    const glue =
      (/[\p{Ll}.;:)\]”"’]/u.test(prev) && /[\p{Lu}\d]/u.test(cur) && !(prev === '.' && /\d/u.test(s[i - 2] ?? ''))) ||
      (FILE_START_WORD.test(s.slice(i)) && !/[\p{Ll}]/u.test(prev));
    if (glue) {
      cut = i;
      break;
    }
  }
  if (cut < 0) {
    // No glue point: the file name is the last run without spaces.
    const sp = s.lastIndexOf(' ', ext.index);
    cut = sp + 1;
    if (cut === 0) return { name: '', files: splitFileList(s) };
  }
  return { name: s.slice(0, cut).trim(), files: splitFileList(s.slice(cut)) };
}

function splitFileList(s: string): string[] {
  const out: string[] = [];
  for (const m of s.matchAll(FILE_RE)) {
    const f = clean(m[0]);
    if (f) out.push(f);
  }
  return out.length > 0 ? out : [clean(s)];
}

const TEMPLATE_RE = /(?<![\p{L}])([Mm](?:ẫu|au|ẪU))\s+(số\s+)?([\p{Lu}\d][\p{L}\d./_-]*[\p{L}\d]|[\p{Lu}\d])/gu;

/** Form templates named in a document's name: "Mẫu CT01 (53/2025/TT-BCA)", "Mẫu số 14.QLT". */
export function formTemplatesIn(name: string): string[] {
  const out: string[] = [];
  for (const m of name.matchAll(TEMPLATE_RE)) {
    const code = (m[3] ?? '').replace(/[.]+$/u, '');
    if (/^\d{4}$/u.test(code) && !m[2]) continue; // "mẫu 2025" is a year
    let t = `Mẫu ${m[2] ? 'số ' : ''}${code}`;
    const after = name.slice((m.index ?? 0) + m[0].length, (m.index ?? 0) + m[0].length + 160);
    const law = findLegalNumbers(after)[0];
    if (law) t += ` (${law.number})`;
    if (!out.includes(t)) out.push(t);
  }
  return out;
}

function isOptional(name: string, group: string | undefined, q: DocumentQuantity): boolean {
  const t = name.replace(/trừ (?:các |một số )?trường hợp[^,;.]*/giu, '');
  if (/nếu có|trường hợp|(?:^|\s)nếu\s|(?:^|\s)khi có yêu cầu/iu.test(t)) return true;
  if (group && (/lưu ý|ghi chú/iu.test(group) || isAuthorisationTitle(group))) return true;
  if ((q.original ?? 0) === 0 && (q.copy ?? 0) === 0) return true;
  return false;
}

function quantityOf(m: RegExpMatchArray): DocumentQuantity {
  const q: DocumentQuantity = {};
  const put = (n: string | undefined, kind: string | undefined) => {
    if (n === undefined || kind === undefined) return;
    if (kind === 'chính') q.original = Number(n);
    else q.copy = Number(n);
  };
  put(m[1], m[2]);
  put(m[3], m[4]);
  return q;
}

export function makeDocument(rowText: string, q: DocumentQuantity, group: string | undefined): DocumentEntry {
  const { name: withMarkers, files } = splitTemplateFiles(rowText);
  const name = stripListMarker(withMarkers).replace(/[;,]+$/u, '').trim() || clean(rowText);
  const formTemplates = formTemplatesIn(name);
  const doc: DocumentEntry = {
    name,
    quantity: q,
    required: !isOptional(name, group, q),
    formTemplates,
    usesForm: formTemplates.length > 0 || files.length > 0 || /theo mẫu|tờ khai|(?<![\p{L}])mẫu(?![\p{L}])/iu.test(name),
    templateFiles: files,
    text: clean(rowText),
  };
  if (group) doc.group = group;
  return doc;
}

function sectionTitle(raw: string): string | undefined {
  const t = clean(raw).replace(/^[-\s]+$/u, '');
  return t === '' ? undefined : t;
}

export function parseDocuments(text: string): DocumentParse {
  const src = typeof text === 'string' ? text : '';
  const problems: PartProblem[] = [];
  const parts = src.split(HEADER_RE);
  if (parts.length < 2) {
    const empty = /^[\s-]*$/u.test(src);
    problems.push({
      part: 'documents',
      vi: empty ? 'Không có thành phần hồ sơ' : 'Không có bảng thành phần hồ sơ; giữ nguyên văn bản',
      en: empty ? 'No documents are listed' : 'No document table; the text is kept as is',
      excerpt: excerpt(src),
    });
    return { sections: [], documents: [], problems, hadTable: false };
  }
  const sections: DocumentSection[] = [];
  let title = sectionTitle(parts[0] ?? '');
  for (let p = 1; p < parts.length; p++) {
    const body = parts[p] ?? '';
    const section: DocumentSection = { documents: [] };
    if (title !== undefined) section.title = title;
    let pos = 0;
    const rows: Array<{ text: string; qty: DocumentQuantity; qtyText: string }> = [];
    for (const m of body.matchAll(QTY_RE)) {
      let start = m.index ?? 0;
      let qm: RegExpMatchArray = m;
      const run = m[1] ?? '';
      if (run.length > 1) {
        // Digits glued to the end of the name ("…năm 20251 bản chính"): the quantity is the last digit.
        const before = body[start - 1] ?? ' ';
        const keepWhole = run.length === 2 && /\s/u.test(before) && Number(run) <= 20;
        if (!keepWhole) {
          start += run.length - 1;
          qm = [...m] as RegExpMatchArray;
          qm[1] = run.slice(-1);
        }
      }
      const rowText = body.slice(pos, start);
      const qtyText = body.slice(start, (m.index ?? 0) + m[0].length);
      pos = (m.index ?? 0) + m[0].length;
      const prev = rows[rows.length - 1];
      const t = clean(rowText);
      // A quantity inside a name ("Hóa đơn: 01 bản chụp…", "…: 01 bản chính" before the quantity cell) cut
      // the row: what follows it (nothing, punctuation, or a lower-case continuation) belongs to the same row.
      const continuation = /^[;,.)]/u.test(t) || (/^\p{Ll}/u.test(t) && !/^(?:[a-zđ]|[ivx]{1,4})(?:\.\d{1,2})?\)/u.test(t));
      if (prev && (t === '' || !/\p{L}/u.test(t) || continuation)) {
        prev.text += prev.qtyText + rowText;
        prev.qty = quantityOf(qm);
        prev.qtyText = qtyText;
        continue;
      }
      if (t === '') {
        problems.push({
          part: 'documents',
          vi: 'Số lượng không kèm tên giấy tờ',
          en: 'A quantity without a document name',
          excerpt: excerpt(body.slice(Math.max(0, start - 40), pos)),
        });
        continue;
      }
      rows.push({ text: rowText, qty: quantityOf(qm), qtyText });
    }
    for (const r of rows) section.documents.push(makeDocument(r.text, r.qty, section.title));
    const tail = body.slice(pos);
    if (p < parts.length - 1) {
      title = sectionTitle(tail);
    } else if (clean(tail) !== '') {
      problems.push({
        part: 'documents',
        vi: 'Có nội dung sau giấy tờ cuối cùng không kèm số lượng; giữ nguyên văn bản',
        en: 'Text after the last document has no quantity; kept as text',
        excerpt: excerpt(tail),
      });
    }
    if (section.documents.length === 0 && body.trim() !== '') {
      problems.push({
        part: 'documents',
        vi: 'Một mục thành phần hồ sơ không có giấy tờ nào đọc được',
        en: 'A document section has no readable document',
        excerpt: excerpt(body),
      });
    }
    sections.push(section);
  }
  const documents = sections.flatMap((s) => s.documents);
  if (documents.length === 0) {
    problems.push({ part: 'documents', vi: 'Không đọc được giấy tờ nào', en: 'No document could be read', excerpt: excerpt(src) });
  }
  return { sections, documents, problems, hadTable: true };
}

/** A section title that names a case ("Trường hợp …", "Đối với …", "a) Đối với cấp mới"). */
export function isCaseTitle(title: string | undefined): boolean {
  if (!title) return false;
  if (isAuthorisationTitle(title)) return false;
  const t = stripListMarker(title);
  return /^(?:trường hợp|đối với|th\s?\d|hồ sơ (?:đề nghị )?(?:cấp|gia hạn|điều chỉnh|thay đổi))/iu.test(t) || /^(?:\d+|[IVX]+)\.\s*trường hợp/iu.test(title);
}

/** "Trường hợp ủy quyền …": extra documents when someone else files, common to every case and conditional. */
export function isAuthorisationTitle(title: string | undefined): boolean {
  return !!title && /(?:ủy|uỷ) quyền/iu.test(title);
}
