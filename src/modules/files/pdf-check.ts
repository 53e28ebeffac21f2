import { PDFArray, PDFDict, PDFDocument, PDFName, PDFRawStream, PDFStream, type PDFObject } from 'pdf-lib';
import type { Message } from '../../shared/errors.ts';

/** Why a PDF is refused: a stable code and a message in Vietnamese and English. */
export interface PdfProblem {
  code: 'pdf_malformed' | 'pdf_encrypted' | 'pdf_javascript' | 'pdf_embedded_file';
  message: Message;
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
export async function inspectPdf(bytes: Uint8Array): Promise<PdfProblem | undefined> {
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
