import { promisify } from 'node:util';
import { constants, inflate } from 'node:zlib';

const inflateAsync = promisify(inflate);
import { PDFArray, PDFDict, PDFDocument, PDFName, PDFRawStream, PDFStream, type PDFObject } from 'pdf-lib';
import type { Message } from '../../shared/errors.ts';

/** Why a PDF is refused: a stable code and a message in Vietnamese and English. */
export interface PdfProblem {
  code: 'pdf_malformed' | 'pdf_encrypted' | 'pdf_javascript' | 'pdf_embedded_file' | 'pdf_too_large_inflated';
  message: Message;
}

/**
 * What the streams a PDF reader must inflate to read the document's structure (object
 * streams, cross-reference streams) may inflate to, in all. Real documents use a few MB; a
 * "PDF bomb" of 1 MB inflating to 1 GiB would block the server and take its memory.
 */
export const MAX_STRUCTURE_INFLATED_BYTES = 64 * 1024 * 1024;

const tooLargeInflated = (limit: number): PdfProblem => ({
  code: 'pdf_too_large_inflated',
  message: {
    vi: `Tệp PDF có phần nén giải nén ra quá lớn (hơn ${Math.round(limit / 1048576)} MB); hãy lưu lại tệp bằng phần mềm khác rồi gửi lại`,
    en: `The PDF has compressed parts that inflate to too much (over ${Math.round(limit / 1048576)} MB); save it again with other software and resend it`,
  },
});

/**
 * Before the parser sees the file: every object stream and cross-reference stream (the ones
 * a parser inflates while loading) is inflated here with a cap on the total, in native zlib
 * on libuv's thread pool (fast, bounded memory, off the request thread). Only FlateDecode (or no filter) is taken for them, the filter every
 * writer uses; another filter on such a stream is refused as it cannot be bounded here.
 */
export async function structureStreamsProblem(bytes: Uint8Array, limit = MAX_STRUCTURE_INFLATED_BYTES): Promise<PdfProblem | undefined> {
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const text = buf.toString('latin1');
  const keyword = /stream\r?\n/g;
  let budget = limit;
  let m: RegExpExecArray | null;
  while ((m = keyword.exec(text)) !== null) {
    if (text.startsWith('end', m.index - 3)) continue;
    const dataStart = m.index + m[0].length;
    const end = text.indexOf('endstream', dataStart);
    const dataEnd = end < 0 ? text.length : end;
    keyword.lastIndex = dataEnd; // the data is binary: no keyword is looked for inside it
    // The stream's dictionary, names decoded as a parser decodes them (`/Obj#53tm` is /ObjStm).
    const headerAt = text.lastIndexOf('obj', m.index);
    const dict = text.slice(headerAt < 0 ? 0 : headerAt, m.index).replace(/#([0-9A-Fa-f]{2})/g, (_x, h: string) => String.fromCharCode(parseInt(h, 16)));
    if (!/\/Type\s*\/(ObjStm|XRef)(?![A-Za-z0-9])/.test(dict)) continue;
    const filter = /\/Filter\s*(\[[^\]]*\]|\/[A-Za-z0-9]+)/.exec(dict)?.[1]?.replace(/[[\]\s]/g, '');
    if (filter === undefined || filter === '') continue; // not compressed: its size is the file's
    if (filter !== '/FlateDecode' && filter !== '/Fl') return tooLargeInflated(limit);
    try {
      const out = await inflateAsync(buf.subarray(dataStart, dataEnd), { maxOutputLength: Math.max(1, budget), finishFlush: constants.Z_SYNC_FLUSH });
      budget -= out.length;
    } catch (err) {
      if ((err as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE') return tooLargeInflated(limit);
      // Damaged data: the parser reports it.
    }
    if (budget <= 0) return tooLargeInflated(limit);
  }
  return undefined;
}

/** Names whose presence means the document can run code (JavaScript actions, also as the open action). */
const SCRIPT_NAMES = new Set(['JS', 'JavaScript']);
/** Names whose presence means the document carries other files inside it. */
const EMBEDDED_NAMES = new Set(['EmbeddedFile', 'EmbeddedFiles']);

/** A name as written may escape characters (`/J#61vaScript`): compare the decoded name. */
const nameText = (n: PDFName): string => {
  const raw = n.asString().replace(/^\//, '');
  return raw.replace(/#([0-9A-Fa-f]{2})/g, (_m, h: string) => String.fromCharCode(parseInt(h, 16)));
};

/**
 * Checks an uploaded PDF before it is kept: it must load (pdf-lib: a catalog, parseable
 * objects), not be encrypted (an /Encrypt entry in the trailer), carry no JavaScript
 * (/JS, /JavaScript, an /OpenAction or /AA of type JavaScript) and no embedded files
 * (/EmbeddedFile, /EmbeddedFiles). Every indirect object is inspected, including those
 * packed inside object streams (pdf-lib unpacks them when it parses), and the
 * dictionaries of streams. Returns the first problem, or undefined when the PDF is clean.
 */
export async function inspectPdf(bytes: Uint8Array, opts: { maxInflatedBytes?: number } = {}): Promise<PdfProblem | undefined> {
  const bomb = await structureStreamsProblem(bytes, opts.maxInflatedBytes);
  if (bomb) return bomb;
  let doc: PDFDocument;
  try {
    doc = await PDFDocument.load(bytes, { ignoreEncryption: true, updateMetadata: false, throwOnInvalidObject: true });
    doc.catalog.Pages(); // a document without a page tree is not a PDF a reader can show
  } catch {
    return {
      code: 'pdf_malformed',
      message: { vi: 'Tệp PDF bị hỏng hoặc không đúng cấu trúc, không đọc được', en: 'The PDF is damaged or malformed and cannot be read' },
    };
  }
  if (doc.context.trailerInfo.Encrypt !== undefined) {
    return {
      code: 'pdf_encrypted',
      message: { vi: 'Tệp PDF được mã hóa hoặc đặt mật khẩu; hãy gửi bản không mã hóa', en: 'The PDF is encrypted or password-protected; send an unencrypted copy' },
    };
  }
  const roots: PDFObject[] = doc.context.enumerateIndirectObjects().map(([, o]) => o);
  const { Root, Info } = doc.context.trailerInfo;
  for (const t of [Root, Info]) if (t !== undefined) roots.push(t);
  const found = scan(roots);
  if (found === 'script') {
    return {
      code: 'pdf_javascript',
      message: { vi: 'Tệp PDF có chứa mã JavaScript, không được chấp nhận', en: 'The PDF contains JavaScript, which is not accepted' },
    };
  }
  if (found === 'embedded') {
    return {
      code: 'pdf_embedded_file',
      message: { vi: 'Tệp PDF có đính kèm tệp khác bên trong, không được chấp nhận', en: 'The PDF has files embedded in it, which is not accepted' },
    };
  }
  return undefined;
}

/** Walks dictionaries, arrays and stream dictionaries (references are separate indirect objects, visited on their own). */
function scan(roots: PDFObject[]): 'script' | 'embedded' | undefined {
  const stack = [...roots];
  const seen = new Set<PDFObject>();
  let embedded = false;
  while (stack.length > 0) {
    const o = stack.pop()!;
    if (seen.has(o)) continue;
    seen.add(o);
    if (o instanceof PDFName) {
      const n = nameText(o);
      if (SCRIPT_NAMES.has(n)) return 'script';
      if (EMBEDDED_NAMES.has(n)) embedded = true;
    } else if (o instanceof PDFDict) {
      for (const [k, v] of o.entries()) {
        stack.push(k, v);
      }
    } else if (o instanceof PDFArray) {
      for (let i = 0; i < o.size(); i++) stack.push(o.get(i));
    } else if (o instanceof PDFStream || o instanceof PDFRawStream) {
      stack.push(o.dict);
    }
  }
  return embedded ? 'embedded' : undefined;
}
