import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Message } from '../../shared/errors.ts';

/** How long a document is kept: for ever, or a number of years from when it was recorded. */
export type Retention = { permanent: true } | { years: number };

export interface DocumentType {
  code: string;
  name: Message;
  /** Names of required documents (an eForm file field's `x-document`) that carry this type. */
  documents: string[];
  /** Result codes of the national catalogue (procedure.result.code) that produce it. */
  resultCodes: string[];
  /** How long the document may be reused after it was issued; unlimited when absent. */
  validityMonths?: number;
  retention: Retention;
}

export interface DocumentTypes {
  types: Map<string, DocumentType>;
  defaultRetention: Retention;
  /** Uploads whose dossiers all ended withdrawn or refused: kept this long after the end (permanent types excepted). */
  withdrawnOrRefusedUploads: Retention;
  /** Uploads never classified (never submitted under a known field). */
  unclassifiedRetention: Retention;
}

export const DOCUMENT_TYPES_FILE = join(import.meta.dirname, 'data', 'document-types.json');

const norm = (s: string): string => s.normalize('NFC').trim().toLowerCase().replace(/\s+/g, ' ');

function retention(v: unknown, where: string): Retention {
  const r = v as { permanent?: unknown; years?: unknown } | undefined;
  if (r && r.permanent === true && r.years === undefined) return { permanent: true };
  if (r && r.permanent === undefined && typeof r.years === 'number' && Number.isInteger(r.years) && r.years >= 0 && r.years <= 200) return { years: r.years };
  throw new Error(`${where}: retention must be {"permanent": true} or {"years": 0..200}`);
}

/** Reads and checks the rules (a mistake stops the start, naming where it is). */
export function parseDocumentTypes(json: unknown, source = 'document-types.json'): DocumentTypes {
  const o = json as Record<string, unknown>;
  if (typeof o !== 'object' || o === null || typeof o.types !== 'object' || o.types === null) throw new Error(`${source}: needs "types"`);
  const types = new Map<string, DocumentType>();
  const byDocument = new Map<string, string>();
  for (const [code, raw] of Object.entries(o.types as Record<string, Record<string, unknown>>)) {
    const where = `${source}: types.${code}`;
    if (!/^[a-z][a-z0-9_]{0,63}$/.test(code)) throw new Error(`${where}: a code is lower-case letters, digits and _`);
    const name = raw.name as Message | undefined;
    if (!name || typeof name.vi !== 'string' || typeof name.en !== 'string') throw new Error(`${where}: name needs vi and en`);
    const documents = (raw.documents ?? []) as unknown[];
    const resultCodes = (raw.resultCodes ?? []) as unknown[];
    if (!Array.isArray(documents) || !documents.every((d) => typeof d === 'string')) throw new Error(`${where}: documents is a list of names`);
    if (!Array.isArray(resultCodes) || !resultCodes.every((d) => typeof d === 'string')) throw new Error(`${where}: resultCodes is a list of codes`);
    for (const d of documents as string[]) {
      const prev = byDocument.get(norm(d));
      if (prev !== undefined) throw new Error(`${where}: document "${d}" is already given to ${prev}`);
      byDocument.set(norm(d), code);
    }
    const validityMonths = raw.validityMonths;
    if (validityMonths !== undefined && (typeof validityMonths !== 'number' || !Number.isInteger(validityMonths) || validityMonths < 1)) throw new Error(`${where}: validityMonths is a whole number of months`);
    types.set(code, {
      code,
      name,
      documents: documents as string[],
      resultCodes: resultCodes as string[],
      ...(validityMonths !== undefined ? { validityMonths: validityMonths as number } : {}),
      retention: retention(raw.retention, where),
    });
  }
  return {
    types,
    defaultRetention: retention(o.defaultRetention, `${source}: defaultRetention`),
    withdrawnOrRefusedUploads: retention(o.withdrawnOrRefusedUploads, `${source}: withdrawnOrRefusedUploads`),
    unclassifiedRetention: retention(o.unclassifiedRetention, `${source}: unclassifiedRetention`),
  };
}

let loaded: DocumentTypes | undefined;
/** The shipped rules (src/modules/warehouse/data/document-types.json), read once. */
export function documentTypes(): DocumentTypes {
  loaded ??= parseDocumentTypes(JSON.parse(readFileSync(DOCUMENT_TYPES_FILE, 'utf8')), DOCUMENT_TYPES_FILE);
  return loaded;
}

/** The type of a required document, by the name the procedure gives it (`x-document`). */
export function typeForDocumentName(name: string | undefined, t: DocumentTypes = documentTypes()): string | undefined {
  if (name === undefined) return undefined;
  const n = norm(name);
  for (const type of t.types.values()) if (type.documents.some((d) => norm(d) === n)) return type.code;
  return undefined;
}

/** The type of a procedure's result, by its code in the national catalogue. */
export function typeForResultCode(code: string | undefined, t: DocumentTypes = documentTypes()): string | undefined {
  if (code === undefined) return undefined;
  for (const type of t.types.values()) if (type.resultCodes.includes(code)) return type.code;
  return undefined;
}

export function retentionOf(type: string, t: DocumentTypes = documentTypes()): Retention {
  return t.types.get(type)?.retention ?? (type === 'unclassified' ? t.unclassifiedRetention : t.defaultRetention);
}

/** The last day a document may be reused: its own valid-until, or issue day + the type's validity; null = no end. */
export function effectiveValidUntil(d: { documentType: string; validFrom: string | null; validUntil: string | null; createdAt: Date }, t: DocumentTypes = documentTypes()): string | null {
  if (d.validUntil !== null) return d.validUntil;
  const months = t.types.get(d.documentType)?.validityMonths;
  if (months === undefined) return null;
  const start = d.validFrom !== null ? new Date(`${d.validFrom}T00:00:00Z`) : d.createdAt;
  const end = new Date(Date.UTC(start.getUTCFullYear(), start.getUTCMonth() + months, start.getUTCDate()));
  end.setUTCDate(end.getUTCDate() - 1);
  return end.toISOString().slice(0, 10);
}

export interface FileField {
  /** JSON Pointer inside the form, array items as `-`: `/attachments/residenceProof`. */
  pointer: string;
  title: Message;
  /** The required document it carries, as the procedure names it. */
  document: string | undefined;
  documentType: string | undefined;
}

/** Every file field (format `file-id`) of an eForm schema, wherever it is (nested objects, arrays, conditional parts). */
export function fileFieldsOf(schema: unknown, t: DocumentTypes = documentTypes()): FileField[] {
  const out = new Map<string, FileField>();
  const walk = (s: unknown, ptr: string, depth: number): void => {
    if (depth > 32 || s === null || typeof s !== 'object') return;
    const o = s as Record<string, unknown>;
    if (o.format === 'file-id' && !out.has(ptr)) {
      const document = typeof o['x-document'] === 'string' ? (o['x-document'] as string) : undefined;
      out.set(ptr, {
        pointer: ptr,
        title: { vi: typeof o.title === 'string' ? o.title : ptr, en: typeof o['x-title-en'] === 'string' ? (o['x-title-en'] as string) : typeof o.title === 'string' ? o.title : ptr },
        document,
        documentType: typeForDocumentName(document, t),
      });
    }
    for (const [k, v] of Object.entries((o.properties ?? {}) as Record<string, unknown>)) walk(v, `${ptr}/${k.replace(/~/g, '~0').replace(/\//g, '~1')}`, depth + 1);
    if (o.items !== undefined) walk(o.items, `${ptr}/-`, depth + 1);
    for (const key of ['oneOf', 'anyOf', 'allOf'] as const) for (const x of (Array.isArray(o[key]) ? o[key] : []) as unknown[]) walk(x, ptr, depth + 1);
    for (const key of ['if', 'then', 'else'] as const) walk(o[key], ptr, depth + 1);
  };
  walk(schema, '', 0);
  return [...out.values()];
}

/** The file field a concrete pointer of a form value falls under (`/documents/x/0` → `/documents/x/-`). */
export function fieldAt(fields: FileField[], pointer: string): FileField | undefined {
  const exact = fields.find((f) => f.pointer === pointer);
  if (exact) return exact;
  const general = pointer.replace(/\/\d+(?=\/|$)/g, '/-');
  return fields.find((f) => f.pointer === general);
}
