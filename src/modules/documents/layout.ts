/**
 * A small page-layout layer over pdf-lib: Vietnamese text in an embedded DejaVu Serif
 * (subset, from the `dejavu-fonts-ttf` npm package: a fresh checkout needs nothing by hand),
 * the national heading, wrapped paragraphs, tables and a vector QR code.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { deflateSync } from 'node:zlib';
import fontkit from '@pdf-lib/fontkit';
import { fill, PDFDocument, popGraphicsState, pushGraphicsState, rectangle, rgb, setFillingGrayscaleColor, type PDFFont, type PDFOperator, type PDFPage } from 'pdf-lib';
import QRCode from 'qrcode';

const require = createRequire(import.meta.url);

// pdf-lib compresses streams with pako (JavaScript); Node's zlib writes the same zlib format
// several times faster. Patched on the pako instance pdf-lib loads (only pdf-lib's helpers share it).
{
  const pako = createRequire(require.resolve('pdf-lib'))('pako') as { deflate: (d: Uint8Array, o?: unknown) => Uint8Array; __native?: boolean };
  if (!pako.__native) {
    pako.deflate = (d: Uint8Array) => {
      const out = deflateSync(d, { level: 4 });
      return new Uint8Array(out.buffer, out.byteOffset, out.byteLength);
    };
    pako.__native = true;
  }
}
const fontBytes = (file: string): Uint8Array => readFileSync(require.resolve(`dejavu-fonts-ttf/ttf/${file}`));
let fonts: { regular: Uint8Array; bold: Uint8Array; italic: Uint8Array } | undefined;
/** The font files, read once per process. */
function fontFiles() {
  fonts ??= { regular: fontBytes('DejaVuSerif.ttf'), bold: fontBytes('DejaVuSerif-Bold.ttf'), italic: fontBytes('DejaVuSerif-Italic.ttf') };
  return fonts;
}

/**
 * pdf-lib parses the font file again for every document; the parsed font (tables, glyphs,
 * layout caches) does not change, so one parse per font file serves every document.
 */
const parsed = new WeakMap<Uint8Array, ReturnType<typeof fontkit.create>>();
const cachedFontkit: typeof fontkit = {
  ...fontkit,
  create(data: Uint8Array, postscriptName?: string) {
    let f = parsed.get(data);
    if (f === undefined) {
      f = fontkit.create(data, postscriptName);
      // fontkit's subsetter rewrites the component ids of composite glyphs (Ô, Ư…) in the
      // buffer it read them from, and its stream hands out views of the font data: with the
      // parsed font shared, the next document would get broken glyphs. Reads return copies.
      // (fontkit's bundle has its own Buffer class: the copy is made with it.)
      type FkBuffer = Uint8Array & { slice(a: number, b: number): FkBuffer };
      const stream = (f as unknown as { stream: { buffer: FkBuffer; pos: number } }).stream;
      const proto = Object.getPrototypeOf(stream) as { readBuffer(this: { buffer: FkBuffer; pos: number }, n: number): FkBuffer; __copies?: boolean };
      if (!proto.__copies) {
        proto.readBuffer = function (n) {
          const view = this.buffer.slice(this.pos, (this.pos += n));
          return (view.constructor as unknown as { from(b: FkBuffer): FkBuffer }).from(view);
        };
        proto.__copies = true;
      }
      // A glyph first met as a component of a composite (O inside Ô) is cached without its
      // characters; a later document's text must still map it back to them (ToUnicode).
      const font = f as unknown as { getGlyph(id: number, chars?: number[]): { codePoints: number[] } };
      const getGlyph = font.getGlyph.bind(font);
      font.getGlyph = (id, chars) => {
        const g = getGlyph(id, chars);
        if (chars !== undefined && chars.length > 0 && g.codePoints.length === 0) g.codePoints = chars;
        return g;
      };
      // Shaping (GSUB/GPOS) of a string gives the same glyph run every time: remembered per text.
      const shaped = f as unknown as { layout(text: string, features?: unknown): unknown };
      const layout = shaped.layout.bind(shaped);
      const runs = new Map<string, unknown>();
      shaped.layout = (text, features) => {
        if (features !== undefined) return layout(text, features);
        let run = runs.get(text);
        if (run === undefined) {
          run = layout(text);
          if (runs.size > 50_000) runs.clear();
          runs.set(text, run);
        }
        return run;
      };
      parsed.set(data, f);
    }
    return f;
  },
};

export const PAGE_SIZES = {
  A4: [595.28, 841.89],
  A4_LANDSCAPE: [841.89, 595.28],
  A5: [419.53, 595.28],
} as const satisfies Record<string, readonly [number, number]>;
export type PageSize = keyof typeof PAGE_SIZES;

/** Text widths at size 1, per font file and text: shaping a string is the costliest part of layout. */
const widths = new Map<string, number>();
export function textWidth(font: PDFFont, text: string, size: number): number {
  const key = `${font.name}\u0000${text}`;
  let w = widths.get(key);
  if (w === undefined) {
    w = font.widthOfTextAtSize(text, 1);
    if (widths.size > 100_000) widths.clear();
    widths.set(key, w);
  }
  return w * size;
}

export interface Fonts {
  regular: PDFFont;
  bold: PDFFont;
  italic: PDFFont;
}

const BLACK = rgb(0, 0, 0);
const round = (v: number): number => Math.round(v * 100) / 100;

/** Writes top to bottom on pages of one size; adds a page when the current one is full. */
export class PageWriter {
  readonly doc: PDFDocument;
  readonly fonts: Fonts;
  readonly size: readonly [number, number];
  readonly margin = { left: 56, right: 42, top: 42, bottom: 48 };
  page: PDFPage;
  y: number;

  constructor(doc: PDFDocument, fonts: Fonts, size: PageSize) {
    this.doc = doc;
    this.fonts = fonts;
    this.size = PAGE_SIZES[size];
    this.page = doc.addPage([...this.size]);
    this.y = this.size[1] - this.margin.top;
  }

  get width(): number {
    return this.size[0] - this.margin.left - this.margin.right;
  }

  ensure(height: number): void {
    if (this.y - height < this.margin.bottom) {
      this.page = this.doc.addPage([...this.size]);
      this.y = this.size[1] - this.margin.top;
    }
  }

  /** Lines of `text` no wider than `width` (words kept whole unless one alone is too wide). */
  wrap(text: string, font: PDFFont, fontSize: number, width: number): string[] {
    const out: string[] = [];
    for (const para of text.split('\n')) {
      let line = '';
      for (const word of para.split(/\s+/).filter(Boolean)) {
        const tryLine = line === '' ? word : `${line} ${word}`;
        if (textWidth(font, tryLine, fontSize) <= width) {
          line = tryLine;
          continue;
        }
        if (line !== '') out.push(line);
        line = word;
        while (textWidth(font, line, fontSize) > width && line.length > 1) {
          let cut = line.length - 1;
          while (cut > 1 && textWidth(font, line.slice(0, cut), fontSize) > width) cut--;
          out.push(line.slice(0, cut));
          line = line.slice(cut);
        }
      }
      out.push(line);
    }
    return out;
  }

  /** A paragraph: `align` within [x, x + width]. */
  text(
    text: string,
    opts: { font?: PDFFont; size?: number; align?: 'left' | 'center' | 'right'; x?: number; width?: number; indent?: number; gapAfter?: number; lineHeight?: number } = {},
  ): void {
    const font = opts.font ?? this.fonts.regular;
    const size = opts.size ?? 12;
    const x0 = opts.x ?? this.margin.left;
    const width = opts.width ?? this.width;
    const indent = opts.indent ?? 0;
    const lh = opts.lineHeight ?? size * 1.35;
    for (const line of this.wrap(text, font, size, width - indent)) {
      this.ensure(lh);
      const w = textWidth(font, line, size);
      const x = opts.align === 'center' ? x0 + (width - w) / 2 : opts.align === 'right' ? x0 + width - w : x0 + indent;
      this.page.drawText(line, { x, y: this.y - size, size, font, color: BLACK });
      this.y -= lh;
    }
    this.y -= opts.gapAfter ?? 0;
  }

  /** "Label: value" with the label in bold, wrapped. */
  field(label: string, value: string, size = 12): void {
    const font = this.fonts.regular;
    const lead = `${label}: `;
    const leadW = textWidth(this.fonts.bold, lead, size);
    const lines = this.wrap(value === '' ? '…' : value, font, size, this.width - leadW);
    const lh = size * 1.35;
    lines.forEach((line, i) => {
      this.ensure(lh);
      if (i === 0) this.page.drawText(lead, { x: this.margin.left, y: this.y - size, size, font: this.fonts.bold, color: BLACK });
      this.page.drawText(line, { x: this.margin.left + leadW, y: this.y - size, size, font, color: BLACK });
      this.y -= lh;
    });
  }

  /** Two columns side by side, each a list of centred lines; the cursor moves below the taller one. */
  columns(left: { text: string; font?: PDFFont; size?: number }[], right: { text: string; font?: PDFFont; size?: number }[], split = 0.42): void {
    const top = this.y;
    const leftW = this.width * split;
    this.text('', { size: 1 });
    this.y = top;
    for (const l of left) this.text(l.text, { font: l.font ?? this.fonts.regular, size: l.size ?? 12, align: 'center', width: leftW, lineHeight: (l.size ?? 12) * 1.3 });
    const leftBottom = this.y;
    this.y = top;
    for (const r of right) this.text(r.text, { font: r.font ?? this.fonts.regular, size: r.size ?? 12, align: 'center', x: this.margin.left + leftW, width: this.width - leftW, lineHeight: (r.size ?? 12) * 1.3 });
    this.y = Math.min(this.y, leftBottom);
  }

  /** A short centred rule under the line just written, as under the motto. */
  rule(xCenter: number, width: number): void {
    this.page.drawLine({ start: { x: xCenter - width / 2, y: this.y + 2 }, end: { x: xCenter + width / 2, y: this.y + 2 }, thickness: 0.6, color: BLACK });
    this.y -= 6;
  }

  /** A ruled table; `widths` are shares of the text width. */
  table(headers: string[], rows: string[][], widths: number[], size = 9): void {
    const total = widths.reduce((a, b) => a + b, 0);
    const cols = widths.map((w) => (w / total) * this.width);
    const pad = 3;
    const lh = size * 1.25;
    const drawRow = (cells: string[], font: PDFFont) => {
      const wrapped = cells.map((c, i) => this.wrap(c, font, size, cols[i]! - 2 * pad));
      const h = Math.max(...wrapped.map((l) => l.length)) * lh + 2 * pad;
      this.ensure(h);
      let x = this.margin.left;
      wrapped.forEach((lines, i) => {
        this.page.drawRectangle({ x, y: this.y - h, width: cols[i]!, height: h, borderColor: BLACK, borderWidth: 0.5 });
        lines.forEach((line, j) => this.page.drawText(line, { x: x + pad, y: this.y - pad - size - j * lh, size, font, color: BLACK }));
        x += cols[i]!;
      });
      this.y -= h;
    };
    drawRow(headers, this.fonts.bold);
    for (const r of rows) drawRow(r, this.fonts.regular);
    this.y -= 8;
  }

  /** A QR code drawn as vector squares with its lower-left corner at (x, y). */
  qr(payload: string, x: number, y: number, side: number): void {
    // A fixed mask: any of the eight is valid, and choosing the best by penalty scoring costs more than the rest of the code.
    const code = QRCode.create(payload, { errorCorrectionLevel: 'M', maskPattern: 0 });
    const n = code.modules.size;
    const cell = side / (n + 8);
    const data = code.modules.data;
    // One path of rectangles filled once: far fewer operators than a drawRectangle per run.
    const ops: PDFOperator[] = [pushGraphicsState(), setFillingGrayscaleColor(0)];
    for (let r = 0; r < n; r++) {
      // Runs of dark modules in a row become one rectangle: fewer drawing operators.
      let c = 0;
      while (c < n) {
        if (!data[r * n + c]) {
          c++;
          continue;
        }
        const start = c;
        while (c < n && data[r * n + c]) c++;
        ops.push(rectangle(round(x + (start + 4) * cell), round(y + side - (r + 5) * cell), round((c - start) * cell), round(cell)));
      }
    }
    ops.push(fill(), popGraphicsState());
    this.page.pushOperators(...ops);
  }
}

/** A new document with the three fonts embedded as subsets. */
export async function newDocument(meta: { title: string; subject?: string; author: string; createdAt: Date }): Promise<{ doc: PDFDocument; fonts: Fonts }> {
  const doc = await PDFDocument.create({ updateMetadata: false });
  doc.registerFontkit(cachedFontkit);
  const f = fontFiles();
  const [regular, bold, italic] = await Promise.all([
    doc.embedFont(f.regular, { subset: true }),
    doc.embedFont(f.bold, { subset: true }),
    doc.embedFont(f.italic, { subset: true }),
  ]);
  doc.setTitle(meta.title);
  if (meta.subject !== undefined) doc.setSubject(meta.subject);
  doc.setAuthor(meta.author);
  doc.setProducer('Motcua');
  doc.setCreator('Motcua');
  doc.setCreationDate(meta.createdAt);
  doc.setModificationDate(meta.createdAt);
  doc.setLanguage('vi-VN');
  return { doc, fonts: { regular, bold, italic } };
}

/** Saved in the classic form (no object streams, a plain xref table): incremental signatures append to it. */
export async function saveDocument(doc: PDFDocument): Promise<Uint8Array> {
  // objectsPerTick: pdf-lib otherwise yields to the event loop (a timer) every 50 objects.
  return doc.save({ useObjectStreams: false, objectsPerTick: Number.POSITIVE_INFINITY });
}
