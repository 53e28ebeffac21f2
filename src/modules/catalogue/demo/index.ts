/**
 * The demo catalogue: five real procedures (texts from the national procedures
 * database) with complete eForms, and demo agencies of Cao Bằng province.
 * Data lives in JSON beside this file; this module only reads and checks it.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { createFormValidator, type FormValidator } from '../../eforms/index.ts';
import { resolveLocalRef } from '../../eforms/index.ts';
import type { Agency, Procedure } from '../types.ts';

const DIR = import.meta.dirname;

const readJson = (path: string): unknown => JSON.parse(readFileSync(path, 'utf8'));

export interface DemoCatalogue {
  agencies: Agency[];
  procedures: Procedure[];
}

/** Reads `agencies.json` and `procedures/*.json` (sorted by file name). Throws on an invalid procedure. */
export function loadDemoCatalogue(): DemoCatalogue {
  const agencies = readJson(join(DIR, 'agencies.json')) as Agency[];
  const codes = new Set(agencies.map((a) => a.code));
  const procedures: Procedure[] = [];
  for (const file of readdirSync(join(DIR, 'procedures')).filter((f) => f.endsWith('.json')).sort()) {
    const p = readJson(join(DIR, 'procedures', file));
    const problems = validateProcedure(p, { agencyCodes: codes });
    if (problems.length > 0) throw new Error(`demo procedure ${file}: ${problems.join('; ')}`);
    procedures.push(p as Procedure);
  }
  return { agencies, procedures };
}

/** The sample filled form kept for a demo procedure (`examples/<code>.json`), as typed by a citizen. */
export function loadDemoExample(code: string): unknown {
  if (!/^\d{1,2}\.\d{6}$/.test(code)) throw new Error(`not a procedure code: ${code}`);
  return readJson(join(DIR, 'examples', `${code}.json`));
}

// ---------------------------------------------------------------------------

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isText = (v: unknown): v is string => typeof v === 'string' && v.trim().length > 0;
const isInt = (v: unknown, min = 0): v is number => typeof v === 'number' && Number.isInteger(v) && v >= min;

const PROCEDURE_KEYS = new Set([
  'code', 'version', 'name', 'field', 'level', 'competentAgency', 'receivingAgencyCodes', 'legalProcessingDays', 'fees',
  'requiredDocuments', 'onlineLevel', 'onlineLevelReason', 'form', 'workflow', 'legalBasis', 'result', 'applicantTypes',
]);
export const PROCEDURE_CODE = /^\d{1,2}\.\d{6}$/;
export const AGENCY_CODE = /^[A-Z0-9]{1,3}(\.[A-Z0-9]{2,3}){3}$/;
/** Formats whose values have a bounded length, so a string field using them needs no maxLength. */
const BOUNDED_FORMATS = new Set(['personal-id', 'tax-code', 'vn-phone', 'date-vn', 'file-id', 'date', 'time', 'date-time', 'uuid']);

export interface ValidateProcedureOptions {
  /** Compiles the form schema with it (default: a fresh eForms validator). */
  validator?: FormValidator;
  /** When given, every receiving agency code must be one of these. */
  agencyCodes?: ReadonlySet<string>;
}

/** Problems with a catalogue procedure, in plain words (empty when it is valid). */
export function validateProcedure(p: unknown, opts: ValidateProcedureOptions = {}): string[] {
  const out: string[] = [];
  if (!isObj(p)) return ['procedure must be an object'];
  for (const k of Object.keys(p)) if (!PROCEDURE_KEYS.has(k)) out.push(`unknown property "${k}"`);
  if (typeof p.code !== 'string' || !PROCEDURE_CODE.test(p.code)) out.push('code must look like 1.001193');
  if (!isInt(p.version, 1)) out.push('version must be an integer ≥ 1');
  for (const k of ['name', 'field', 'competentAgency'] as const) if (!isText(p[k])) out.push(`${k} must be a non-empty text`);
  if (p.level !== 'province' && p.level !== 'commune') out.push('level must be "province" or "commune"');
  if (p.receivingAgencyCodes !== undefined) {
    if (!Array.isArray(p.receivingAgencyCodes) || p.receivingAgencyCodes.length === 0) out.push('receivingAgencyCodes must be a non-empty list when given');
    else
      for (const c of p.receivingAgencyCodes) {
        if (typeof c !== 'string' || !AGENCY_CODE.test(c)) out.push(`receiving agency code "${String(c)}" is not an agency identifier code`);
        else if (opts.agencyCodes !== undefined && !opts.agencyCodes.has(c)) out.push(`receiving agency ${c} is not a known agency`);
      }
  }
  if (!isInt(p.legalProcessingDays, 0)) out.push('legalProcessingDays must be a whole number of working days');
  if (!Array.isArray(p.fees)) out.push('fees must be a list');
  else
    p.fees.forEach((f, i) => {
      if (!isObj(f) || !isText(f.label)) out.push(`fees[${i}].label must be a non-empty text`);
      else {
        if (!isInt(f.amountVnd, 0)) out.push(`fees[${i}].amountVnd must be a whole number of đồng ≥ 0`);
        if (f.condition !== undefined && !isText(f.condition)) out.push(`fees[${i}].condition must be a text`);
      }
    });
  if (!Array.isArray(p.requiredDocuments) || p.requiredDocuments.length === 0) out.push('requiredDocuments must be a non-empty list');
  else
    p.requiredDocuments.forEach((d, i) => {
      if (!isObj(d) || !isText(d.name)) return void out.push(`requiredDocuments[${i}].name must be a non-empty text`);
      const q = d.quantity;
      if (!isObj(q) || (q.original === undefined && q.copy === undefined)) out.push(`requiredDocuments[${i}].quantity needs original and/or copy`);
      else for (const k of ['original', 'copy'] as const) if (q[k] !== undefined && !isInt(q[k], 0)) out.push(`requiredDocuments[${i}].quantity.${k} must be a whole number`);
      if (typeof d.required !== 'boolean') out.push(`requiredDocuments[${i}].required must be true or false`);
      if (d.formTemplate !== undefined && !isText(d.formTemplate)) out.push(`requiredDocuments[${i}].formTemplate must be a text`);
    });
  if (p.onlineLevel !== 'full' && p.onlineLevel !== 'partial') out.push('onlineLevel must be "full" or "partial"');
  if (p.onlineLevel === 'partial' && !isText(p.onlineLevelReason)) out.push('a partial online procedure must give onlineLevelReason');
  if (!isObj(p.workflow) || !isText(p.workflow.id) || !isInt(p.workflow.version, 1)) out.push('workflow must be {id, version ≥ 1}');
  if (!Array.isArray(p.legalBasis) || p.legalBasis.length === 0 || !p.legalBasis.every(isText)) out.push('legalBasis must be a non-empty list of texts');
  if (!isObj(p.result) || !isText(p.result.name)) out.push('result.name must be a non-empty text');
  else if (p.result.code !== undefined && !isText(p.result.code)) out.push('result.code must be a text');
  const types = p.applicantTypes;
  if (!Array.isArray(types) || types.length === 0 || !types.every((t) => t === 'citizen' || t === 'business') || new Set(types).size !== types.length) {
    out.push('applicantTypes must be a non-empty list of "citizen" / "business"');
  }
  out.push(...checkForm(p.form, opts.validator ?? createFormValidator()));
  try {
    if (JSON.stringify(JSON.parse(JSON.stringify(p))) !== JSON.stringify(p)) out.push('procedure is not plain JSON');
  } catch {
    out.push('procedure is not plain JSON');
  }
  return out;
}

function checkForm(form: unknown, validator: FormValidator): string[] {
  if (!isObj(form) || !isObj(form.schema)) return ['form.schema must be a JSON Schema object'];
  const schema = form.schema;
  const out: string[] = [];
  if (schema.type !== 'object') out.push('form.schema must describe an object');
  out.push(...validator.check(schema).map((m) => `form.schema does not compile: ${m}`));
  const props = isObj(schema.properties) ? schema.properties : {};
  if (form.uiOrder !== undefined) {
    if (!Array.isArray(form.uiOrder)) out.push('form.uiOrder must be a list of property names');
    else {
      for (const k of form.uiOrder) if (typeof k !== 'string' || !(k in props)) out.push(`form.uiOrder names "${String(k)}", which is not a form property`);
      if (new Set(form.uiOrder).size !== form.uiOrder.length) out.push('form.uiOrder repeats a property');
      for (const k of Object.keys(props)) if (!form.uiOrder.includes(k)) out.push(`form.uiOrder misses "${k}"`);
    }
  }
  lintSchema(schema, schema, '#', out);
  return out;
}

const CONDITION_KEYS = new Set(['if', 'then', 'else', 'not', 'allOf', 'anyOf', 'oneOf', 'contains', 'dependentSchemas']);

/** Every form property has a Vietnamese and an English title; every free text has a maximum length. */
function lintSchema(root: Record<string, unknown>, s: unknown, at: string, out: string[], declaring = true): void {
  if (!isObj(s)) return;
  // Conditions (if/then/else, not, allOf, …) constrain fields declared elsewhere: they need no titles.
  if (declaring && isObj(s.properties)) {
    for (const [name, sub] of Object.entries(s.properties)) {
      if (!isObj(sub)) continue;
      const target = typeof sub.$ref === 'string' ? resolveLocalRef(root, sub.$ref) : undefined;
      if (typeof sub.$ref === 'string' && target === undefined) out.push(`${at}/properties/${name}: $ref ${sub.$ref} does not resolve`);
      if (!isText(sub.title) && !isText(target?.title)) out.push(`${at}/properties/${name} has no title (Vietnamese)`);
      if (!isText(sub['x-title-en']) && !isText(target?.['x-title-en'])) out.push(`${at}/properties/${name} has no x-title-en (English)`);
    }
  }
  if (s.type === 'string' && s.maxLength === undefined && s.enum === undefined && s.const === undefined) {
    const bounded = typeof s.format === 'string' && BOUNDED_FORMATS.has(s.format);
    const boundedPattern = typeof s.pattern === 'string' && /^\^[^*+]*\$$/.test(s.pattern);
    if (!bounded && !boundedPattern) out.push(`${at} is a text without maxLength`);
  }
  if (s['x-enum-en'] !== undefined && (!Array.isArray(s.enum) || !Array.isArray(s['x-enum-en']) || s.enum.length !== s['x-enum-en'].length)) {
    out.push(`${at}: x-enum-en must have one English label per enum value`);
  }
  for (const [k, v] of Object.entries(s)) {
    if (k === 'enum' || k === 'const' || k === 'default' || k === 'examples' || k === 'x-enum-en') continue;
    const decl = declaring && !CONDITION_KEYS.has(k);
    if (isObj(v)) lintSchema(root, v, `${at}/${k}`, out, decl);
    else if (Array.isArray(v)) v.forEach((item, i) => lintSchema(root, item, `${at}/${k}/${i}`, out, decl));
  }
}
