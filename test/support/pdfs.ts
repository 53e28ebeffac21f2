/** Crafted PDFs for the upload checks: clean ones and ones that must be refused. */
import { deflateSync } from 'node:zlib';
import { PDFDocument, PDFName, PDFString } from 'pdf-lib';

/** A minimal valid one-page PDF, written by hand (no xref table: readers and pdf-lib rebuild it). */
export function handPdf(extraCatalog = '', trailerExtra = '', extraObjects = ''): Buffer {
  return Buffer.from(
    `%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R${extraCatalog}>>endobj\n2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n` +
      `3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>endobj\n${extraObjects}trailer<</Root 1 0 R${trailerExtra}>>\n%%EOF\n`,
    'latin1',
  );
}

/** A PDF made by pdf-lib; `useObjectStreams` packs the objects into compressed object streams. */
export async function libPdf(opts: { js?: boolean; attach?: boolean; objectStreams?: boolean; note?: string } = {}): Promise<Buffer> {
  const doc = await PDFDocument.create({ updateMetadata: false });
  doc.addPage([595, 842]).drawText(opts.note ?? 'Motcua');
  if (opts.js) {
    const action = doc.context.obj({ S: PDFName.of('JavaScript'), JS: PDFString.of('app.alert("hi")') });
    doc.catalog.set(PDFName.of('OpenAction'), doc.context.register(action));
  }
  if (opts.attach) await doc.attach(Buffer.from('hello'), 'note.txt', { mimeType: 'text/plain' });
  return Buffer.from(await doc.save({ useObjectStreams: opts.objectStreams ?? false }));
}

/**
 * A "PDF bomb": a valid page whose objects sit in an object stream of `inflated` zero bytes,
 * compressed to about a thousandth of that. `escaped` writes its type as /Obj#53tm.
 */
export function bombPdf(inflated: number, opts: { escaped?: boolean } = {}): Buffer {
  const data = deflateSync(Buffer.alloc(inflated), { level: 9 });
  const head = Buffer.from(
    '%PDF-1.5\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n' +
      '3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>endobj\n' +
      `4 0 obj<</Type/${opts.escaped ? 'Obj#53tm' : 'ObjStm'}/N 1/First 4/Filter/FlateDecode/Length ${data.length}>>stream\n`,
    'latin1',
  );
  return Buffer.concat([head, data, Buffer.from('\nendstream\nendobj\ntrailer<</Root 1 0 R>>\n%%EOF\n', 'latin1')]);
}

export const CRAFTED = {
  clean: () => handPdf(),
  /** Not even a document: a header and some text. */
  malformed: () => Buffer.from('%PDF-1.7\nthis is not really a PDF\n%%EOF\n'),
  /** Objects but no catalog. */
  noCatalog: () => Buffer.from('%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n'),
  encrypted: () => handPdf('', '/Encrypt 4 0 R', '4 0 obj<</Filter/Standard/V 1/R 2/O(0123456789abcdef0123456789abcdef)/U(0123456789abcdef0123456789abcdef)/P -4>>endobj\n'),
  openActionJs: () => handPdf('/OpenAction 4 0 R', '', '4 0 obj<</S/JavaScript/JS(app.alert\\(1\\))>>endobj\n'),
  /** The name written with an escape, as malware does to dodge naive scanners. */
  escapedJs: () => handPdf('/OpenAction<</S/J#61vaScript/J#53(app.alert\\(1\\))>>'),
  namesJs: () => handPdf('/Names<</JavaScript 4 0 R>>', '', '4 0 obj<</Names[(a) 5 0 R]>>endobj\n5 0 obj<</S/JavaScript/JS(1)>>endobj\n'),
  pageAaJs: () =>
    Buffer.from(
      '%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n' +
        '3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]/AA<</O<</S/JavaScript/JS(1)>>>>>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n',
    ),
  embedded: () => handPdf('/Names<</EmbeddedFiles 4 0 R>>', '', '4 0 obj<</Names[(a.txt) 5 0 R]>>endobj\n5 0 obj<</Type/Filespec/F(a.txt)>>endobj\n'),
};
