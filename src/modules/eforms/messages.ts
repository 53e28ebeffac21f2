/**
 * Turns Ajv errors into `FieldError`s: one per failing field, pointing at the field
 * itself (a missing property at its own path), with a message in Vietnamese and in
 * English that names the field by its human title.
 */
import type { ErrorObject } from 'ajv/dist/2020.js';
import type { FieldError, Message } from '../../shared/errors.ts';
import { explainFormat, type FormatReason } from './formats.ts';

type Json = unknown;
type SchemaObj = Record<string, unknown>;

const isObj = (v: unknown): v is SchemaObj => typeof v === 'object' && v !== null && !Array.isArray(v);

export const escapePointer = (s: string): string => s.replace(/~/g, '~0').replace(/\//g, '~1');
export const unescapePointer = (s: string): string => s.replace(/~1/g, '/').replace(/~0/g, '~');

export function splitPointer(pointer: string): string[] {
  if (pointer === '' || pointer === '/') return [];
  return pointer.slice(1).split('/').map(unescapePointer);
}

/** Resolves a local `$ref` (`#`, `#/$defs/x`, `#/properties/y`) against the root schema. */
export function resolveLocalRef(root: Json, ref: string): SchemaObj | undefined {
  if (!ref.startsWith('#')) return undefined;
  let cur: unknown = root;
  for (const seg of splitPointer(decodeURIComponent(ref.slice(1)))) {
    if (Array.isArray(cur)) cur = cur[Number(seg)];
    else if (isObj(cur)) cur = cur[seg];
    else return undefined;
  }
  return isObj(cur) ? cur : undefined;
}

/**
 * The schema itself, its local `$ref` target and its `allOf`/`anyOf`/`oneOf`/`then`/`else`
 * members, recursively: every subschema that applies to the same instance location.
 */
export function expandSchema(root: Json, s: unknown, seen: Set<unknown> = new Set()): SchemaObj[] {
  if (!isObj(s) || seen.has(s)) return [];
  seen.add(s);
  const out: SchemaObj[] = [s];
  if (typeof s.$ref === 'string') out.push(...expandSchema(root, resolveLocalRef(root, s.$ref), seen));
  for (const k of ['allOf', 'anyOf', 'oneOf'] as const) {
    const arr = s[k];
    if (Array.isArray(arr)) for (const sub of arr) out.push(...expandSchema(root, sub, seen));
  }
  for (const k of ['then', 'else'] as const) out.push(...expandSchema(root, s[k], seen));
  return out;
}

/** Every subschema that describes the instance at `pointer` (most specific first). */
export function schemasAt(root: Json, pointer: string): SchemaObj[] {
  let current = expandSchema(root, root);
  for (const seg of splitPointer(pointer)) {
    const next: SchemaObj[] = [];
    const fallback: SchemaObj[] = [];
    const isIndex = /^(0|[1-9]\d*)$/.test(seg);
    for (const s of current) {
      const props = s.properties;
      if (isObj(props) && isObj(props[seg])) next.push(...expandSchema(root, props[seg]));
      if (isIndex) {
        const prefix = s.prefixItems;
        const idx = Number(seg);
        if (Array.isArray(prefix) && idx < prefix.length) next.push(...expandSchema(root, prefix[idx]));
        else if (isObj(s.items)) next.push(...expandSchema(root, s.items));
      }
      if (isObj(s.additionalProperties)) fallback.push(...expandSchema(root, s.additionalProperties));
    }
    current = next.length > 0 ? next : fallback;
    if (current.length === 0) return [];
  }
  return current;
}

export interface FieldLabel {
  vi: string;
  en: string;
}

/**
 * Human label of the field at `pointer`: `title` (Vietnamese) and `x-title-en` (English)
 * from the schema, falling back to the property name; for a field inside a list the
 * position is added ("mục 2" / "item 2").
 */
export function labelAt(root: Json, pointer: string, extra?: SchemaObj): FieldLabel {
  const candidates = [...schemasAt(root, pointer), ...(extra !== undefined ? [extra] : [])];
  const segs = splitPointer(pointer);
  const titled = candidates.find((s) => typeof s.title === 'string' && s.title !== '');
  const vi = typeof titled?.title === 'string' ? titled.title : undefined;
  const enSchema = candidates.find((s) => typeof s['x-title-en'] === 'string' && s['x-title-en'] !== '');
  const en = typeof enSchema?.['x-title-en'] === 'string' ? enSchema['x-title-en'] : undefined;
  const lastName = segs.filter((s) => !/^\d+$/.test(s)).at(-1);
  let viLabel = vi ?? lastName ?? en ?? 'Tờ khai';
  let enLabel = en ?? lastName ?? vi ?? 'The form';
  const lastIndex = segs.filter((s) => /^\d+$/.test(s)).at(-1);
  if (lastIndex !== undefined) {
    viLabel += ` (mục ${Number(lastIndex) + 1})`;
    enLabel += ` (item ${Number(lastIndex) + 1})`;
  }
  return { vi: viLabel, en: enLabel };
}

// ---------------------------------------------------------------------------

const TYPE_NAMES: Record<string, Message> = {
  string: { vi: 'chuỗi ký tự', en: 'text' },
  number: { vi: 'một số', en: 'a number' },
  integer: { vi: 'một số nguyên', en: 'a whole number' },
  boolean: { vi: 'giá trị có/không', en: 'yes or no' },
  object: { vi: 'một nhóm thông tin', en: 'a group of fields' },
  array: { vi: 'một danh sách', en: 'a list' },
  null: { vi: 'để trống', en: 'empty' },
};

const num = (n: unknown, locale: string): string =>
  typeof n === 'number' ? n.toLocaleString(locale, { maximumFractionDigits: 20 }) : String(n);

const show = (v: unknown): string => (typeof v === 'string' ? `“${v}”` : JSON.stringify(v));

function listValues(values: unknown[], max = 8): string {
  const shown = values.slice(0, max).map(show).join(', ');
  return values.length > max ? `${shown}, …` : shown;
}

function formatMessage(format: string, reason: FormatReason | null, data: unknown, l: FieldLabel): Message {
  const len = typeof data === 'string' ? data.length : 0;
  switch (format) {
    case 'personal-id':
    case 'tax-code': {
      const isTaxShape = format === 'tax-code' && !(typeof data === 'string' && /^\d{12}$/.test(data));
      if (isTaxShape) {
        if (reason === 'check_digit')
          return {
            vi: `${l.vi} không hợp lệ: chữ số kiểm tra không khớp, vui lòng kiểm tra lại mã số thuế.`,
            en: `${l.en} is not valid: the check digit does not match; please check the tax code.`,
          };
        if (reason === 'branch_code')
          return {
            vi: `${l.vi} không hợp lệ: mã đơn vị phụ thuộc (3 số cuối) không được là 000.`,
            en: `${l.en} is not valid: the dependent-unit suffix (last 3 digits) cannot be 000.`,
          };
        return {
          vi: `${l.vi} phải gồm 10 chữ số, 13 chữ số (dạng 0100107518-001) hoặc là số định danh cá nhân 12 chữ số.`,
          en: `${l.en} must be 10 digits, 13 digits (as 0100107518-001) or a 12-digit personal identification number.`,
        };
      }
      switch (reason) {
        case 'not_digits':
          return { vi: `${l.vi} chỉ được gồm chữ số.`, en: `${l.en} must contain digits only.` };
        case 'length':
          return {
            vi: `${l.vi} phải gồm đúng 12 chữ số (đã nhập ${len}).`,
            en: `${l.en} must have exactly 12 digits (${len} entered).`,
          };
        case 'place_code': {
          const code = typeof data === 'string' ? data.slice(0, 3) : '';
          return {
            vi: `${l.vi} không hợp lệ: 3 số đầu (${code}) không phải mã tỉnh, thành phố nơi đăng ký khai sinh.`,
            en: `${l.en} is not valid: the first 3 digits (${code}) are not the code of a province where births are registered.`,
          };
        }
        case 'century_code':
          return {
            vi: `${l.vi} không hợp lệ: chữ số thứ 4 (mã thế kỷ và giới tính) phải từ 0 đến 3.`,
            en: `${l.en} is not valid: the 4th digit (century and sex code) must be 0 to 3.`,
          };
        case 'birth_year_future':
          return {
            vi: `${l.vi} không hợp lệ: năm sinh thể hiện trong số (chữ số 4–6) ở tương lai.`,
            en: `${l.en} is not valid: the year of birth it encodes (digits 4–6) is in the future.`,
          };
        default:
          return {
            vi: `${l.vi} phải là số định danh cá nhân gồm 12 chữ số.`,
            en: `${l.en} must be a 12-digit personal identification number.`,
          };
      }
    }
    case 'vn-phone':
      return {
        vi: `${l.vi} không hợp lệ: nhập số di động 10 chữ số (ví dụ 0912 345 678), số cố định 11 chữ số (ví dụ 0206 3852 123) hoặc dạng +84.`,
        en: `${l.en} is not a valid Vietnamese phone number: a 10-digit mobile (e.g. 0912 345 678), an 11-digit landline (e.g. 0206 3852 123) or the +84 form.`,
      };
    case 'date-vn':
      if (reason === 'calendar')
        return {
          vi: `${l.vi}: ngày ${show(data)} không có trên lịch.`,
          en: `${l.en}: ${show(data)} is not a real calendar date.`,
        };
      if (reason === 'year_range')
        return {
          vi: `${l.vi}: năm phải gồm 4 chữ số (ví dụ 25/12/1990).`,
          en: `${l.en}: the year must have 4 digits (e.g. 25/12/1990).`,
        };
      return {
        vi: `${l.vi} phải là ngày theo dạng ngày/tháng/năm, ví dụ 25/12/1990.`,
        en: `${l.en} must be a date as day/month/year, e.g. 25/12/1990.`,
      };
    case 'file-id':
      return {
        vi: `${l.vi}: tệp đính kèm không hợp lệ, vui lòng tải tệp lên lại.`,
        en: `${l.en}: the attached file reference is not valid; please upload the file again.`,
      };
    case 'email':
    case 'idn-email':
      return {
        vi: `${l.vi} không phải địa chỉ thư điện tử hợp lệ.`,
        en: `${l.en} is not a valid e-mail address.`,
      };
    case 'date':
      return {
        vi: `${l.vi} phải là ngày theo dạng năm-tháng-ngày (yyyy-mm-dd).`,
        en: `${l.en} must be a date as yyyy-mm-dd.`,
      };
    case 'date-time':
      return {
        vi: `${l.vi} phải là ngày giờ theo chuẩn ISO 8601.`,
        en: `${l.en} must be an ISO 8601 date and time.`,
      };
    case 'time':
      return { vi: `${l.vi} phải là giờ hợp lệ (hh:mm:ss).`, en: `${l.en} must be a valid time (hh:mm:ss).` };
    case 'uri':
    case 'url':
      return { vi: `${l.vi} phải là địa chỉ web hợp lệ.`, en: `${l.en} must be a valid web address.` };
    case 'uuid':
      return { vi: `${l.vi} phải là mã UUID hợp lệ.`, en: `${l.en} must be a valid UUID.` };
    default:
      return {
        vi: `${l.vi} không đúng định dạng ${format}.`,
        en: `${l.en} is not in the expected format (${format}).`,
      };
  }
}

/** Message for one Ajv error about the field labelled `l`. */
function messageFor(e: ErrorObject, l: FieldLabel, now: Date): Message {
  const p = e.params as Record<string, unknown>;
  switch (e.keyword) {
    case 'required':
    case 'dependentRequired':
      return { vi: `Vui lòng nhập ${l.vi}.`, en: `${l.en} is required.` };
    case 'type': {
      const types = String(p.type ?? '').split(',');
      const vi = types.map((t) => TYPE_NAMES[t]?.vi ?? t).join(' hoặc ');
      const en = types.map((t) => TYPE_NAMES[t]?.en ?? t).join(' or ');
      return { vi: `${l.vi} phải là ${vi}.`, en: `${l.en} must be ${en}.` };
    }
    case 'format': {
      const format = String(p.format ?? '');
      return formatMessage(format, explainFormat(format, e.data, now), e.data, l);
    }
    case 'minLength':
      if (p.limit === 1) return { vi: `Vui lòng nhập ${l.vi}.`, en: `${l.en} must not be empty.` };
      return {
        vi: `${l.vi} phải có ít nhất ${num(p.limit, 'vi-VN')} ký tự.`,
        en: `${l.en} must be at least ${num(p.limit, 'en-US')} characters long.`,
      };
    case 'maxLength':
      return {
        vi: `${l.vi} không được dài quá ${num(p.limit, 'vi-VN')} ký tự.`,
        en: `${l.en} must be at most ${num(p.limit, 'en-US')} characters long.`,
      };
    case 'pattern':
      return { vi: `${l.vi} không đúng định dạng quy định.`, en: `${l.en} is not in the required format.` };
    case 'enum': {
      const values = Array.isArray(p.allowedValues) ? p.allowedValues : [];
      return {
        vi: `${l.vi} phải là một trong các giá trị: ${listValues(values)}.`,
        en: `${l.en} must be one of: ${listValues(values)}.`,
      };
    }
    case 'const':
      if (p.allowedValue === true)
        return { vi: `Vui lòng xác nhận: ${l.vi}.`, en: `Please confirm: ${l.en}.` };
      return { vi: `${l.vi} phải là ${show(p.allowedValue)}.`, en: `${l.en} must be ${show(p.allowedValue)}.` };
    case 'minimum':
      return {
        vi: `${l.vi} phải từ ${num(p.limit, 'vi-VN')} trở lên.`,
        en: `${l.en} must be at least ${num(p.limit, 'en-US')}.`,
      };
    case 'exclusiveMinimum':
      return {
        vi: `${l.vi} phải lớn hơn ${num(p.limit, 'vi-VN')}.`,
        en: `${l.en} must be greater than ${num(p.limit, 'en-US')}.`,
      };
    case 'maximum':
    case 'exclusiveMaximum': {
      const strict = e.keyword === 'exclusiveMaximum';
      return {
        vi: `${l.vi} phải ${strict ? 'nhỏ hơn' : 'không quá'} ${num(p.limit, 'vi-VN')}.`,
        en: `${l.en} must be ${strict ? 'less than' : 'at most'} ${num(p.limit, 'en-US')}.`,
      };
    }
    case 'multipleOf':
      return {
        vi: `${l.vi} phải là bội số của ${num(p.multipleOf, 'vi-VN')}.`,
        en: `${l.en} must be a multiple of ${num(p.multipleOf, 'en-US')}.`,
      };
    case 'minItems':
      return {
        vi: `${l.vi} phải có ít nhất ${num(p.limit, 'vi-VN')} mục.`,
        en: `${l.en} must have at least ${num(p.limit, 'en-US')} item${p.limit === 1 ? '' : 's'}.`,
      };
    case 'maxItems':
      return {
        vi: `${l.vi} không được quá ${num(p.limit, 'vi-VN')} mục.`,
        en: `${l.en} must have at most ${num(p.limit, 'en-US')} item${p.limit === 1 ? '' : 's'}.`,
      };
    case 'uniqueItems':
      return {
        vi: `${l.vi} có mục bị trùng (mục ${Number(p.j) + 1} và ${Number(p.i) + 1}).`,
        en: `${l.en} has duplicate items (items ${Number(p.j) + 1} and ${Number(p.i) + 1}).`,
      };
    case 'minProperties':
      return {
        vi: `${l.vi} phải có ít nhất ${num(p.limit, 'vi-VN')} thông tin.`,
        en: `${l.en} must have at least ${num(p.limit, 'en-US')} fields.`,
      };
    case 'maxProperties':
      return {
        vi: `${l.vi} không được quá ${num(p.limit, 'vi-VN')} thông tin.`,
        en: `${l.en} must have at most ${num(p.limit, 'en-US')} fields.`,
      };
    case 'additionalProperties':
    case 'unevaluatedProperties': {
      const name = String(p.additionalProperty ?? p.unevaluatedProperty ?? '');
      return {
        vi: `Thông tin “${name}” không có trong biểu mẫu, vui lòng bỏ đi.`,
        en: `“${name}” is not a field of this form; please remove it.`,
      };
    }
    case 'unevaluatedItems':
    case 'additionalItems':
      return {
        vi: `${l.vi} có nhiều mục hơn biểu mẫu cho phép.`,
        en: `${l.en} has more items than the form allows.`,
      };
    case 'false schema':
      return { vi: `${l.vi} không được khai trong trường hợp này.`, en: `${l.en} must not be given here.` };
    case 'anyOf':
    case 'oneOf':
      return {
        vi: `${l.vi} không khớp với lựa chọn nào được phép.`,
        en: `${l.en} does not match any of the allowed options.`,
      };
    case 'not':
      return { vi: `${l.vi} có giá trị không được phép.`, en: `${l.en} has a value that is not allowed.` };
    case 'contains':
      return {
        vi: `${l.vi} chưa có mục nào đáp ứng yêu cầu.`,
        en: `${l.en} has no item that meets the requirement.`,
      };
    case 'propertyNames':
      return {
        vi: `${l.vi} có tên thông tin không hợp lệ (“${String(p.propertyName)}”).`,
        en: `${l.en} has an invalid field name (“${String(p.propertyName)}”).`,
      };
    case 'x-not-future':
      return { vi: `${l.vi} không được sau ngày hôm nay.`, en: `${l.en} cannot be later than today.` };
    default:
      return { vi: `${l.vi} không hợp lệ.`, en: `${l.en} is not valid.` };
  }
}

/** Keywords whose own error already says everything: their subschema errors are dropped. */
const SUMMARY_KEYWORDS = new Set(['anyOf', 'oneOf', 'contains', 'propertyNames', 'not']);

function fieldOf(e: ErrorObject): string {
  const p = e.params as Record<string, unknown>;
  switch (e.keyword) {
    case 'required':
    case 'dependentRequired':
      return `${e.instancePath}/${escapePointer(String(p.missingProperty))}`;
    case 'additionalProperties':
      return `${e.instancePath}/${escapePointer(String(p.additionalProperty))}`;
    case 'unevaluatedProperties':
      return `${e.instancePath}/${escapePointer(String(p.unevaluatedProperty))}`;
    default:
      return e.instancePath;
  }
}

function codeOf(e: ErrorObject): string {
  if (e.keyword === 'format') return `format.${String((e.params as Record<string, unknown>).format)}`;
  if (e.keyword === 'false schema') return 'not_allowed';
  return e.keyword;
}

const capitalise = (s: string): string => s.charAt(0).toLocaleUpperCase('vi-VN') + s.slice(1);

/** Maps Ajv's errors (from a validator compiled with `allErrors` and `verbose`) to FieldErrors. */
export function toFieldErrors(errors: readonly ErrorObject[], rootSchema: Json, now: Date): FieldError[] {
  const summaries = errors.filter((e) => SUMMARY_KEYWORDS.has(e.keyword)).map((e) => e.schemaPath + '/');
  const out: FieldError[] = [];
  const seen = new Set<string>();
  for (const e of errors) {
    if (e.keyword === 'if') continue; // the failing then/else errors are listed themselves
    if (summaries.some((prefix) => e.schemaPath.startsWith(prefix))) continue;
    const field = fieldOf(e);
    const parent = isObj(e.parentSchema) ? e.parentSchema : undefined;
    const ownSchema =
      e.keyword === 'required' || e.keyword === 'dependentRequired'
        ? (() => {
            const props = parent?.properties;
            const missing = String((e.params as Record<string, unknown>).missingProperty);
            return isObj(props) && isObj(props[missing]) ? props[missing] : undefined;
          })()
        : parent;
    const label = labelAt(rootSchema, field, ownSchema);
    const code = codeOf(e);
    const raw = messageFor(e, label, now);
    const message = { vi: capitalise(raw.vi), en: capitalise(raw.en) };
    const key = `${field}\u0000${code}\u0000${message.vi}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push({ field, code, message });
  }
  return out;
}
