/**
 * eForms validator: JSON Schema 2020-12 (Ajv) with Vietnamese formats, bilingual
 * field errors and normalisation of typed values (dates to ISO, phone numbers to
 * 0xxxxxxxxx, …) in the returned copy. The caller's data is never modified.
 */
import { Ajv2020 } from 'ajv/dist/2020.js';
import type { AnySchemaObject, ErrorObject, ValidateFunction } from 'ajv/dist/2020.js';
import addFormatsImport from 'ajv-formats';
import type { FormatsPlugin } from 'ajv-formats';
import type { FieldError } from '../../shared/errors.ts';
import {
  NORMALIZED_FORMATS,
  VN_FORMATS,
  explainFormat,
  normalizeFormat,
  parseDateVn,
  todayInVietnam,
} from './formats.ts';
import { escapePointer, resolveLocalRef, toFieldErrors } from './messages.ts';

// ajv-formats is CommonJS: under NodeNext its default import is `module.exports`,
// which is the plugin function itself and also carries it as `.default`.
const addFormats: FormatsPlugin =
  (addFormatsImport as unknown as { default?: FormatsPlugin }).default ?? (addFormatsImport as unknown as FormatsPlugin);

/** A JSON Schema (2020-12) object as stored in the catalogue. */
export type FormSchema = Record<string, unknown>;

export type ValidationResult<T = unknown> = { ok: true; value: T } | { ok: false; errors: FieldError[] };

export interface FormValidator {
  /** Validates `data` against `schema`; on success returns a normalised deep copy of `data`. */
  validate<T = unknown>(schema: FormSchema, data: unknown): ValidationResult<T>;
  /** Compiles (and caches) the schema; returns the problems, empty when it compiles. */
  check(schema: FormSchema): string[];
}

export interface FormValidatorOptions {
  /** Clock used for "not in the future" checks and personal-id birth years (default: real time). */
  now?: () => Date;
}

/** Annotation keywords allowed in form schemas besides the standard ones. */
export const ANNOTATION_KEYWORDS = [
  'x-title-en', // English title (the standard `title` is Vietnamese)
  'x-description-en',
  'x-placeholder',
  'x-placeholder-en',
  'x-enum-en', // English labels of `enum` values, same order
  'x-widget', // rendering hint: textarea, radio, select, file, checkbox, …
  'x-prefill', // where to prefill from: e.g. `identity.personalId`
  'x-accept', // file-id: accepted media types
  'x-max-file-bytes', // file-id: maximum size
  'x-document', // file-id: which required document (procedure requiredDocuments name) it carries
] as const;

const NORMALIZE = 'x-normalize';
const NOT_FUTURE = 'x-not-future';

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Keys whose values are data, not subschemas: never rewritten or walked. */
const DATA_KEYS = new Set(['enum', 'const', 'default', 'examples', 'x-enum-en']);

/**
 * Copy of the schema in which every subschema with a normalising format also carries
 * the internal `x-normalize` keyword (which rewrites the value after it is validated).
 */
function prepareSchema(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(prepareSchema);
  if (!isObj(schema)) return schema;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(schema)) {
    if (k === NORMALIZE) continue; // reserved
    out[k] = DATA_KEYS.has(k) ? v : prepareSchema(v);
  }
  if (typeof schema.format === 'string' && NORMALIZED_FORMATS.has(schema.format)) out[NORMALIZE] = schema.format;
  return out;
}

interface Compiled {
  fn: ValidateFunction;
  prepared: FormSchema;
}

export function createFormValidator(options: FormValidatorOptions = {}): FormValidator {
  const now = options.now ?? (() => new Date());
  const ajv = new Ajv2020({
    allErrors: true,
    verbose: true, // errors carry parentSchema and data: titles and reasons for the messages
    strict: true,
    strictTypes: false,
    strictTuples: false,
    strictRequired: false,
    allowUnionTypes: true,
    coerceTypes: false,
    useDefaults: false,
  });
  addFormats(ajv);

  for (const name of VN_FORMATS) {
    ajv.addFormat(name, {
      type: 'string',
      validate: (v: string) => explainFormat(name, v, now()) === null,
    });
  }
  ajv.addVocabulary([...ANNOTATION_KEYWORDS]);
  ajv.addKeyword({
    keyword: NORMALIZE,
    type: 'string',
    schemaType: 'string',
    modifying: true,
    errors: false,
    validate(format: string, data: string, _parent?: AnySchemaObject, cxt?: { parentData: unknown; parentDataProperty: string | number }) {
      if (cxt === undefined || cxt.parentData === undefined || cxt.parentData === null) return true;
      const normalised = normalizeFormat(format, data);
      if (normalised !== undefined && normalised !== data) {
        (cxt.parentData as Record<string | number, unknown>)[cxt.parentDataProperty] = normalised;
      }
      return true;
    },
  });
  ajv.addKeyword({
    keyword: NOT_FUTURE,
    type: 'string',
    schemaType: 'boolean',
    errors: true,
    validate: function notFuture(enabled: boolean, data: string) {
      if (!enabled) return true;
      const r = parseDateVn(data);
      if ('reason' in r) return true; // the format keyword reports it
      return r.iso <= todayInVietnam(now());
    },
  });

  const byIdentity = new WeakMap<object, Compiled>();
  const byId = new Map<string, { json: string; compiled: Compiled }>();

  function compile(schema: FormSchema): Compiled {
    const cached = byIdentity.get(schema);
    if (cached !== undefined) return cached;
    const id = typeof schema.$id === 'string' ? schema.$id : undefined;
    const json = id !== undefined ? JSON.stringify(schema) : '';
    if (id !== undefined) {
      const hit = byId.get(id);
      if (hit !== undefined && hit.json === json) {
        byIdentity.set(schema, hit.compiled);
        return hit.compiled;
      }
      if (hit !== undefined) {
        ajv.removeSchema(id); // same $id, new content: a new version of the form replaces the old one
        byId.delete(id);
      }
    }
    const prepared = prepareSchema(schema) as FormSchema;
    const compiled: Compiled = { fn: ajv.compile(prepared), prepared };
    byIdentity.set(schema, compiled);
    if (id !== undefined) byId.set(id, { json, compiled });
    return compiled;
  }

  return {
    validate<T>(schema: FormSchema, data: unknown): ValidationResult<T> {
      const { fn, prepared } = compile(schema);
      let copy: unknown = structuredClone(data);
      const valid = fn(copy);
      if (!valid) return { ok: false, errors: toFieldErrors((fn.errors ?? []) as ErrorObject[], prepared, now()) };
      // A normalising format on the root schema has no parent to write into.
      if (typeof copy === 'string' && typeof schema.format === 'string' && NORMALIZED_FORMATS.has(schema.format)) {
        copy = normalizeFormat(schema.format, copy) ?? copy;
      }
      return { ok: true, value: copy as T };
    },
    check(schema: FormSchema): string[] {
      try {
        compile(schema);
        return [];
      } catch (err) {
        return [err instanceof Error ? err.message : String(err)];
      }
    },
  };
}

// ---------------------------------------------------------------------------

export interface FileReference {
  /** JSON pointer of the value in the form data, e.g. `/attachments/birthCertificate`. */
  pointer: string;
  fileId: string;
}

/**
 * Every uploaded-file id (format `file-id`) in a form value, with where it is, so the
 * dossier service can check that each file exists and belongs to the applicant.
 * Follows properties, additionalProperties, items, prefixItems, local `$ref`s and
 * allOf/anyOf/oneOf/if-then-else branches. Ids are returned in lower case, once per pointer.
 */
export function collectFileIds(schema: FormSchema, value: unknown): FileReference[] {
  const found = new Map<string, string>();
  const visiting = new Map<object, Set<string>>(); // schema → pointers being walked (cycle guard)
  const mayHold = fileHolders(schema);

  function walk(s: unknown, v: unknown, pointer: string): void {
    if (!isObj(s) || !mayHold(s)) return;
    const active = visiting.get(s) ?? new Set<string>();
    if (active.has(pointer)) return; // a $ref cycle at the same location
    active.add(pointer);
    visiting.set(s, active);
    if (s.format === 'file-id' && typeof v === 'string' && explainFormat('file-id', v, new Date()) === null) {
      found.set(pointer, v.toLowerCase());
    }
    if (typeof s.$ref === 'string') walk(resolveLocalRef(schema, s.$ref), v, pointer);
    for (const k of ['allOf', 'anyOf', 'oneOf'] as const) {
      const arr = s[k];
      if (Array.isArray(arr)) for (const sub of arr) walk(sub, v, pointer);
    }
    for (const k of ['if', 'then', 'else'] as const) walk(s[k], v, pointer);
    if (isObj(v)) {
      const props = isObj(s.properties) ? s.properties : {};
      const extra = isObj(s.additionalProperties) && mayHold(s.additionalProperties) ? s.additionalProperties : undefined;
      for (const [name, child] of Object.entries(v)) {
        const sub = name in props ? props[name] : extra;
        if (isObj(sub) && mayHold(sub)) walk(sub, child, `${pointer}/${escapePointer(name)}`);
      }
    } else if (Array.isArray(v)) {
      const prefix = Array.isArray(s.prefixItems) ? s.prefixItems : [];
      v.forEach((item, i) => {
        const p = `${pointer}/${i}`;
        if (i < prefix.length) walk(prefix[i], item, p);
        else if (isObj(s.items)) walk(s.items, item, p);
      });
    }
    active.delete(pointer);
  }

  walk(schema, value, '');
  return [...found].map(([pointer, fileId]) => ({ pointer, fileId }));
}

/** Per form schema: which of its subschemas can hold a file id anywhere below them. */
const fileHolderMemo = new WeakMap<object, (s: object) => boolean>();

/**
 * A test "can a value under this subschema contain a `file-id`?", remembered per schema,
 * so collecting a form's files skips the (usually many) parts that hold only text.
 * Inside a `$ref` cycle an answer is not remembered until the cycle is resolved.
 */
function fileHolders(root: FormSchema): (s: object) => boolean {
  const known = fileHolderMemo.get(root as object);
  if (known) return known;
  const memo = new WeakMap<object, boolean>();
  const onStack = new Set<object>();
  let cut = false;
  const holds = (s: unknown): boolean => {
    if (!isObj(s)) return false;
    const m = memo.get(s);
    if (m !== undefined) return m;
    if (onStack.has(s)) {
      cut = true;
      return false;
    }
    onStack.add(s);
    const cutBefore = cut;
    cut = false;
    const children: unknown[] = [s.additionalProperties, s.items, s.if, s.then, s.else];
    if (typeof s.$ref === 'string') children.push(resolveLocalRef(root, s.$ref));
    for (const k of ['allOf', 'anyOf', 'oneOf', 'prefixItems'] as const) if (Array.isArray(s[k])) children.push(...(s[k] as unknown[]));
    if (isObj(s.properties)) children.push(...Object.values(s.properties));
    const r = s.format === 'file-id' || children.some(holds);
    onStack.delete(s);
    if (r || !cut) memo.set(s, r);
    cut = cut || cutBefore;
    return r;
  };
  const test = (s: object): boolean => holds(s);
  fileHolderMemo.set(root as object, test);
  return test;
}
