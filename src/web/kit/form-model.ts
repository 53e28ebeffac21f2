/**
 * The eForm as the apply pages see it: pure functions over a procedure's JSON Schema
 * (2020-12, as src/modules/eforms validates it). Splits the form into steps, names
 * every input after the JSON pointer of its value, and turns what a browser posts
 * (every value a string) back into form data of the schema's types.
 *
 * The values kept in a draft are what the person typed (dates as dd/mm/yyyy, phone
 * numbers with their spaces); the dossier service validates and normalises them.
 */

export type Schema = Record<string, unknown>;
export type Values = Record<string, unknown>;

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

export const escapePointer = (s: string): string => s.replace(/~/g, '~0').replace(/\//g, '~1');
export const unescapePointer = (s: string): string => s.replace(/~1/g, '/').replace(/~0/g, '~');
export const splitPointer = (p: string): string[] => (p === '' ? [] : p.slice(1).split('/').map(unescapePointer));
export const joinPointer = (segs: readonly (string | number)[]): string => segs.map((s) => `/${escapePointer(String(s))}`).join('');

/** A local `$ref` (`#/$defs/address`) resolved against the root schema, or undefined. */
function resolveRef(root: Schema, ref: string): Schema | undefined {
  if (!ref.startsWith('#')) return undefined;
  let cur: unknown = root;
  for (const seg of splitPointer(ref.slice(1))) {
    if (!isObj(cur)) return undefined;
    cur = cur[seg];
  }
  return isObj(cur) ? cur : undefined;
}

/** The subschema with its `$ref` merged in (the referring schema's own keywords win: titles). */
export function resolve(root: Schema, s: unknown, depth = 0): Schema {
  if (!isObj(s)) return {};
  if (typeof s.$ref !== 'string' || depth > 20) return s;
  const target = resolveRef(root, s.$ref);
  const { $ref: _ignored, ...own } = s;
  return { ...resolve(root, target, depth + 1), ...own };
}

export type FieldKind = 'object' | 'array' | 'text' | 'textarea' | 'integer' | 'number' | 'date' | 'boolean' | 'declaration' | 'radio' | 'select' | 'checkboxes' | 'file' | 'province' | 'commune';

/** How a (resolved) subschema is shown. */
export function kindOf(s: Schema): FieldKind {
  const widget = s['x-widget'];
  const type = s.type;
  if (type === 'object' || isObj(s.properties)) return 'object';
  if (type === 'array') {
    const items = isObj(s.items) ? s.items : {};
    if (Array.isArray(items.enum)) return 'checkboxes';
    return 'array';
  }
  if (s.format === 'file-id' || widget === 'file') return 'file';
  if (type === 'boolean') return s.const === true ? 'declaration' : 'boolean';
  if (Array.isArray(s.enum)) {
    if (widget === 'radio') return 'radio';
    if (widget === 'select') return 'select';
    return s.enum.length <= 5 ? 'radio' : 'select';
  }
  if (widget === 'vn-province') return 'province';
  if (widget === 'vn-commune') return 'commune';
  if (type === 'integer') return 'integer';
  if (type === 'number') return 'number';
  if (s.format === 'date-vn' || s.format === 'date') return 'date';
  if (widget === 'textarea' || (typeof s.maxLength === 'number' && s.maxLength > 300)) return 'textarea';
  return 'text';
}

/** Bilingual title of a subschema (the standard title is Vietnamese; `x-title-en` English). */
export function titleOf(s: Schema, fallback: string): { vi: string; en: string } {
  const vi = typeof s.title === 'string' && s.title !== '' ? s.title : fallback;
  const en = typeof s['x-title-en'] === 'string' && s['x-title-en'] !== '' ? s['x-title-en'] : vi;
  return { vi, en };
}

/** Top-level properties in the order the form should show them. */
export function orderedProperties(schema: Schema, uiOrder: readonly string[] | undefined): string[] {
  const props = isObj(schema.properties) ? Object.keys(schema.properties) : [];
  const ordered = (uiOrder ?? []).filter((k) => props.includes(k));
  return [...ordered, ...props.filter((k) => !ordered.includes(k))];
}

export interface Step {
  /** 1-based position. */
  n: number;
  /** The top-level properties this step asks for. */
  properties: string[];
  title: { vi: string; en: string };
  /** True when one of its fields is a file (the step's form is sent as multipart). */
  hasFile: boolean;
}

function containsFile(root: Schema, s: Schema, depth = 0): boolean {
  if (depth > 10) return false;
  const k = kindOf(s);
  if (k === 'file') return true;
  if (k === 'object') return Object.values(isObj(s.properties) ? s.properties : {}).some((c) => containsFile(root, resolve(root, c), depth + 1));
  if (k === 'array') return containsFile(root, resolve(root, s.items), depth + 1);
  return false;
}

/**
 * Steps of the form: each object property is a step of its own; simple questions just
 * before an object are asked with it ("the father is known" with the father); simple
 * questions at the end form the last step. A top-level `const: true` checkbox is the
 * declaration: it is asked on the check-your-answers page, not in a step.
 */
export function planSteps(schema: Schema, uiOrder: readonly string[] | undefined): { steps: Step[]; declaration: string | undefined } {
  const props = isObj(schema.properties) ? schema.properties : {};
  const steps: Step[] = [];
  let pending: string[] = [];
  let declaration: string | undefined;
  const push = (properties: string[], title: { vi: string; en: string }): void => {
    const hasFile = properties.some((p) => containsFile(schema, resolve(schema, props[p])));
    steps.push({ n: steps.length + 1, properties, title, hasFile });
  };
  for (const name of orderedProperties(schema, uiOrder)) {
    const s = resolve(schema, props[name]);
    const kind = kindOf(s);
    if (kind === 'declaration' && declaration === undefined) {
      declaration = name;
      continue;
    }
    if (kind === 'object' || kind === 'array') {
      push([...pending, name], titleOf(s, name));
      pending = [];
    } else {
      pending.push(name);
    }
  }
  if (pending.length > 0) push(pending, { vi: 'Thông tin khác', en: 'Other details' });
  return { steps, declaration };
}

/** Element id of the input holding the value at `pointer` (ASCII, stable, unique within a page). */
export function fieldId(pointer: string): string {
  return 'f' + pointer.replace(/[^A-Za-z0-9_-]/g, (c) => (c === '/' ? '-' : `_${c.codePointAt(0)!.toString(16)}_`));
}

/** Property names always required by an object (not only in an if/then branch). */
export function requiredOf(s: Schema): string[] {
  return Array.isArray(s.required) ? (s.required as string[]) : [];
}

/** Property names required only in some cases (if/then/else, allOf branches). */
export function conditionallyRequired(s: Schema, root: Schema): Set<string> {
  const out = new Set<string>();
  const visit = (x: unknown, depth: number): void => {
    if (!isObj(x) || depth > 6) return;
    for (const k of ['then', 'else'] as const) if (isObj(x[k])) for (const r of requiredOf(x[k] as Schema)) out.add(r);
    for (const k of ['allOf', 'anyOf', 'oneOf'] as const) if (Array.isArray(x[k])) for (const b of x[k] as unknown[]) visit(b, depth + 1);
  };
  visit(s, 0);
  void root;
  return out;
}

/** Values at a pointer (undefined when absent). */
export function valueAt(values: unknown, pointer: string): unknown {
  let cur = values;
  for (const seg of splitPointer(pointer)) {
    if (Array.isArray(cur)) cur = cur[Number(seg)];
    else if (isObj(cur)) cur = cur[seg];
    else return undefined;
  }
  return cur;
}

/** A copy of `values` with the value at `pointer` set (undefined removes it); creates objects on the way. */
export function setAt(values: Values, pointer: string, v: unknown): Values {
  const segs = splitPointer(pointer);
  if (segs.length === 0) return isObj(v) ? v : {};
  const out: Values = structuredClone(values);
  let cur: Record<string, unknown> | unknown[] = out;
  for (let i = 0; i < segs.length - 1; i++) {
    const seg = segs[i]!;
    const nextIsIndex = /^\d+$/.test(segs[i + 1]!);
    const key: string | number = Array.isArray(cur) ? Number(seg) : seg;
    let child = (cur as Record<string | number, unknown>)[key];
    if (!isObj(child) && !Array.isArray(child)) {
      child = nextIsIndex ? [] : {};
      (cur as Record<string | number, unknown>)[key] = child;
    }
    cur = child as Record<string, unknown> | unknown[];
  }
  const last = segs[segs.length - 1]!;
  if (Array.isArray(cur)) {
    if (v === undefined) cur.splice(Number(last), 1);
    else cur[Number(last)] = v;
  } else if (v === undefined) delete cur[last];
  else cur[last] = v;
  return out;
}

export type Posted = Record<string, string | string[] | undefined>;

const first = (v: string | string[] | undefined): string | undefined => (Array.isArray(v) ? v[0] : v);

/** Largest array length named by posted keys under `pointer/N/...` (or `pointer/N`). */
function postedLength(posted: Posted, pointer: string): number {
  let n = 0;
  const prefix = `${pointer}/`;
  for (const key of Object.keys(posted)) {
    if (!key.startsWith(prefix)) continue;
    const m = /^(\d+)(?:\/|$)/.exec(key.slice(prefix.length));
    if (m) n = Math.max(n, Number(m[1]) + 1);
  }
  return n;
}

/** Nothing the person typed: absent, an unticked box, the default shown, a group of such. */
function isBlank(root: Schema, s0: unknown, v: unknown): boolean {
  if (v === undefined) return true;
  const s = resolve(root, s0);
  if (kindOf(s) === 'boolean' && v === false) return true;
  if (s.default !== undefined && v === s.default) return true;
  if (isObj(v)) {
    const props = isObj(s.properties) ? s.properties : {};
    return Object.entries(v).every(([k, x]) => isBlank(root, props[k], x));
  }
  return false;
}

/**
 * The value of one field from what the browser posted: strings as typed (trimmed),
 * whole numbers as numbers when they read as such (else the text, for the validator to
 * name), checkboxes as booleans, empty answers left out. File fields keep `previous`
 * (uploads are handled by the caller). Objects with nothing filled in are left out
 * unless `keepEmpty` (the object is always required: its own fields are then named).
 */
export function decodeValue(root: Schema, s0: unknown, pointer: string, posted: Posted, previous: unknown, keepEmpty = false): unknown {
  const s = resolve(root, s0);
  const kind = kindOf(s);
  switch (kind) {
    case 'object': {
      const props = isObj(s.properties) ? s.properties : {};
      const required = new Set(requiredOf(s));
      const out: Values = {};
      for (const [name, child] of Object.entries(props)) {
        const p = `${pointer}/${escapePointer(name)}`;
        const v = decodeValue(root, child, p, posted, isObj(previous) ? previous[name] : undefined, required.has(name));
        if (v !== undefined) out[name] = v;
      }
      // A group left blank stays out, even though its inputs show defaults ("Việt Nam") and unticked boxes.
      const meaningful = Object.entries(out).some(([k, v]) => !isBlank(root, props[k], v));
      return meaningful || keepEmpty ? out : undefined;
    }
    case 'array': {
      const n = postedLength(posted, pointer);
      const prev = Array.isArray(previous) ? previous : [];
      const items: unknown[] = [];
      for (let i = 0; i < n; i++) {
        const v = decodeValue(root, s.items, `${pointer}/${i}`, posted, prev[i]);
        if (v !== undefined) items.push(v);
      }
      return items.length > 0 ? items : undefined;
    }
    case 'checkboxes': {
      const raw = posted[pointer];
      const list = (Array.isArray(raw) ? raw : raw !== undefined ? [raw] : []).filter((x) => x !== '');
      return list.length > 0 ? list : undefined;
    }
    case 'file':
      return typeof previous === 'string' && previous !== '' ? previous : undefined;
    case 'boolean':
    case 'declaration': {
      const raw = first(posted[pointer]);
      if (raw === undefined) return kind === 'declaration' ? undefined : false;
      return raw === 'true' || raw === 'on' || raw === '1';
    }
    case 'integer':
    case 'number': {
      const raw = first(posted[pointer])?.trim() ?? '';
      if (raw === '') return undefined;
      const text = raw.replace(/\s/g, '');
      const ok = kind === 'integer' ? /^-?\d{1,15}$/.test(text) : /^-?\d{1,15}([.,]\d+)?$/.test(text);
      return ok ? Number(text.replace(',', '.')) : raw;
    }
    default: {
      const raw = first(posted[pointer]);
      if (raw === undefined) return undefined;
      const text = raw.replace(/\r\n/g, '\n').trim();
      return text === '' ? undefined : text;
    }
  }
}

/**
 * The draft's values with the answers of one step replaced by what was posted. Top-level
 * properties not in the step are kept as they were.
 */
export function applyStep(schema: Schema, values: Values, step: Pick<Step, 'properties'>, posted: Posted): Values {
  const props = isObj(schema.properties) ? schema.properties : {};
  const required = new Set(requiredOf(schema));
  const out: Values = { ...values };
  for (const name of step.properties) {
    const v = decodeValue(schema, props[name], `/${escapePointer(name)}`, posted, values[name], required.has(name));
    if (v === undefined) delete out[name];
    else out[name] = v;
  }
  return out;
}

/** Every pointer of a file field in the step's part of the schema (array items by the given values plus one blank). */
export function filePointers(root: Schema, s0: unknown, pointer: string, values: unknown, depth = 0): string[] {
  const s = resolve(root, s0);
  if (depth > 10) return [];
  const kind = kindOf(s);
  if (kind === 'file') return [pointer];
  if (kind === 'object') {
    const props = isObj(s.properties) ? s.properties : {};
    return Object.entries(props).flatMap(([k, c]) => filePointers(root, c, `${pointer}/${escapePointer(k)}`, isObj(values) ? values[k] : undefined, depth + 1));
  }
  if (kind === 'array') {
    const n = (Array.isArray(values) ? values.length : 0) + 1;
    return Array.from({ length: n }, (_, i) => filePointers(root, s.items, `${pointer}/${i}`, Array.isArray(values) ? values[i] : undefined, depth + 1)).flat();
  }
  return [];
}

/** The subschema at a value pointer (following properties and items), resolved. */
export function schemaAt(root: Schema, pointer: string): Schema | undefined {
  let cur: Schema = resolve(root, root);
  for (const seg of splitPointer(pointer)) {
    if (/^\d+$/.test(seg) && cur.type === 'array') cur = resolve(root, cur.items);
    else if (isObj(cur.properties) && isObj(cur.properties[seg])) cur = resolve(root, cur.properties[seg]);
    else return undefined;
  }
  return cur;
}

/** The step holding the field at `pointer` (its first segment), or undefined. */
export function stepOf(steps: readonly Step[], pointer: string): Step | undefined {
  const top = splitPointer(pointer)[0];
  return top === undefined ? undefined : steps.find((s) => s.properties.includes(top));
}

/**
 * The id of the element an error should lead to: the field's own input; for an object
 * or a list (a whole group missing), its first input; for a radio group, its first option.
 */
export function targetId(root: Schema, pointer: string, values: unknown): string {
  const s = schemaAt(root, pointer);
  if (s === undefined) return fieldId(pointer);
  const kind = kindOf(s);
  if (kind === 'object') {
    const props = isObj(s.properties) ? Object.keys(s.properties) : [];
    const firstProp = props[0];
    return firstProp === undefined ? fieldId(pointer) : targetId(root, `${pointer}/${escapePointer(firstProp)}`, values);
  }
  if (kind === 'array') return targetId(root, `${pointer}/0`, values);
  if (kind === 'radio' || kind === 'checkboxes') return `${fieldId(pointer)}-0`;
  return fieldId(pointer);
}

/** Is the field (or anything under it) in error? Errors of a group missing as a whole count for its first field. */
export function errorsFor<E extends { field: string }>(errors: readonly E[], pointer: string): E[] {
  return errors.filter((e) => e.field === pointer);
}

/**
 * Answers known from the verified identity (`x-prefill: identity.personalId`, …), for a
 * new draft: the person checks them instead of typing them.
 */
export function prefillValues(root: Schema, identity: Record<string, string | undefined>): Values {
  let out: Values = {};
  const walk = (s0: unknown, pointer: string, depth: number): void => {
    const s = resolve(root, s0);
    if (depth > 6) return;
    const from = s['x-prefill'];
    if (typeof from === 'string' && from.startsWith('identity.')) {
      const v = identity[from.slice('identity.'.length)];
      if (v !== undefined && v !== '') out = setAt(out, pointer, v);
    }
    if (kindOf(s) === 'object' && isObj(s.properties)) for (const [k, c] of Object.entries(s.properties)) walk(c, `${pointer}/${escapePointer(k)}`, depth + 1);
  };
  walk(root, '', 0);
  return out;
}
