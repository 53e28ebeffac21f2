/**
 * The eForm as HTML: a pure renderer (schema + values + errors + language -> SafeHtml).
 * Every input is named by the JSON pointer of its value and has the id `fieldId(pointer)`;
 * its error is printed beside it (and linked from the error summary by the page).
 * No script needed: dates are typed dd/mm/yyyy, choices are radios or a select,
 * documents are file inputs (the step's form is then multipart).
 */
import { html, type SafeHtml } from './html.ts';
import { tr, type Lang, type Text } from './i18n.ts';
import { loadVnUnits } from '../../modules/organisation/index.ts';
import {
  conditionallyRequired,
  escapePointer,
  fieldId,
  kindOf,
  requiredOf,
  resolve,
  titleOf,
  valueAt,
  type Schema,
} from './form-model.ts';

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

export interface RenderError {
  field: string;
  message: Text;
}

/** What the renderer knows about an uploaded file already in the draft (for "uploaded: name"). */
export interface FileInfo {
  id: string;
  fileName: string | null;
  size: number;
  mediaType: string;
}

/** A document of the person's records warehouse that a file field may reuse. */
export interface ReuseOption {
  documentId: string;
  label: string;
}

export interface RenderOptions {
  lang: Lang;
  root: Schema;
  values: unknown;
  errors: readonly RenderError[];
  files?: ReadonlyMap<string, FileInfo>;
  /** By file field pointer: documents of "My documents" that fit it. */
  reuse?: ReadonlyMap<string, readonly ReuseOption[]>;
}

const OPTIONAL: Text = { vi: '(không bắt buộc)', en: '(optional)' };

function describedBy(id: string, hint: boolean, error: boolean): string | undefined {
  const ids = [hint ? `${id}-hint` : '', error ? `${id}-error` : ''].filter((x) => x !== '');
  return ids.length > 0 ? ids.join(' ') : undefined;
}

function errorText(lang: Lang, id: string, errors: readonly RenderError[]): SafeHtml {
  if (errors.length === 0) return html``;
  return html`<p class="field-error" id="${id}-error"><span class="visually-hidden">${tr(lang, { vi: 'Lỗi:', en: 'Error:' })}</span> ${errors.map((e, i) => html`${i > 0 ? html`<br>` : ''}${tr(lang, e.message)}`)}</p>`;
}

function hintOf(s: Schema, kind: string): Text | undefined {
  const desc = typeof s.description === 'string' ? s.description : undefined;
  const descEn = typeof s['x-description-en'] === 'string' ? s['x-description-en'] : desc;
  const parts: Text[] = [];
  if (desc !== undefined) parts.push({ vi: desc, en: descEn ?? desc });
  if (kind === 'date') parts.push({ vi: 'Nhập theo dạng ngày/tháng/năm, ví dụ 08/11/2026', en: 'Type it as day/month/year, for example 08/11/2026' });
  if (s.format === 'personal-id') parts.push({ vi: '12 chữ số, in trên căn cước', en: '12 digits, as printed on the identity card' });
  if (s.format === 'vn-phone') parts.push({ vi: 'Ví dụ 0912 345 678', en: 'For example 0912 345 678' });
  if (kind === 'file') {
    const max = typeof s['x-max-file-bytes'] === 'number' ? Math.round(s['x-max-file-bytes'] / 1048576) : undefined;
    parts.push({
      vi: `Tệp PDF, JPG hoặc PNG${max !== undefined ? `, tối đa ${max} MB` : ''}`,
      en: `A PDF, JPG or PNG file${max !== undefined ? `, at most ${max} MB` : ''}`,
    });
  }
  if (parts.length === 0) return undefined;
  return { vi: parts.map((p) => p.vi).join('. '), en: parts.map((p) => p.en).join('. ') };
}

function inputAttrs(s: Schema, kind: string): { type: string; inputmode?: string; autocomplete?: string; spellcheck?: string } {
  if (kind === 'integer' || kind === 'number') return { type: 'text', inputmode: kind === 'integer' ? 'numeric' : 'decimal' };
  if (kind === 'date') return { type: 'text', inputmode: 'numeric', autocomplete: 'off' };
  if (s.format === 'personal-id' || s.format === 'tax-code') return { type: 'text', inputmode: 'numeric', spellcheck: 'false' };
  if (s.format === 'vn-phone') return { type: 'tel', autocomplete: 'tel' };
  if (s.format === 'email') return { type: 'email', autocomplete: 'email', spellcheck: 'false' };
  return { type: 'text' };
}

const str = (v: unknown): string => (v === undefined || v === null ? '' : typeof v === 'object' ? JSON.stringify(v) : String(v));

function enumLabels(s: Schema, lang: Lang): { value: string; label: string }[] {
  const values = (s.enum as unknown[]).map(String);
  const en = Array.isArray(s['x-enum-en']) ? (s['x-enum-en'] as unknown[]).map(String) : undefined;
  return values.map((v, i) => ({ value: v, label: lang === 'en' && en?.[i] ? en[i]! : v }));
}

const formatSize = (n: number): string => (n >= 1048576 ? `${(n / 1048576).toFixed(1)} MB` : `${Math.max(1, Math.round(n / 1024))} KB`);

interface FieldCtx extends RenderOptions {
  /** Heading level of fieldset legends at this depth. */
  depth: number;
}

/** One field (or a group of them) at `pointer`; `required` says whether its parent always requires it. */
export function renderField(o: FieldCtx, s0: unknown, pointer: string, required: 'always' | 'sometimes' | 'never'): SafeHtml {
  const { lang } = o;
  const s = resolve(o.root, s0);
  const kind = kindOf(s);
  const id = fieldId(pointer);
  const name = pointer;
  const title = titleOf(s, pointer.split('/').pop() ?? pointer);
  const own = o.errors.filter((e) => e.field === pointer);
  const hasError = own.length > 0;
  const hint = hintOf(s, kind);
  const label = html`${tr(lang, title)}${required === 'never' && kind !== 'object' ? html` <span class="muted">${tr(lang, OPTIONAL)}</span>` : ''}`;
  const value = valueAt(o.values, pointer);
  const cls = `field${hasError ? ' field-invalid' : ''}`;
  const hintHtml = hint ? html`<p class="hint" id="${id}-hint">${tr(lang, hint)}</p>` : html``;
  const aria = describedBy(id, hint !== undefined, hasError);

  switch (kind) {
    case 'object': {
      const props = isObj(s.properties) ? s.properties : {};
      const req = new Set(requiredOf(s));
      const sometimes = conditionallyRequired(s, o.root);
      const children = Object.entries(props).map(([k, c]) =>
        renderField({ ...o, depth: o.depth + 1 }, c, `${pointer}/${escapePointer(k)}`, req.has(k) ? 'always' : sometimes.has(k) ? 'sometimes' : 'never'),
      );
      const optional = required === 'never' ? html` <span class="muted">${tr(lang, OPTIONAL)}</span>` : '';
      return html`<fieldset class="group${hasError ? ' field-invalid' : ''}" id="${id}"${aria ? html` aria-describedby="${aria}"` : ''}>
<legend class="legend">${tr(lang, title)}${optional}</legend>
${hintHtml}${errorText(lang, id, own)}
${children}
</fieldset>`;
    }
    case 'array': {
      const items = Array.isArray(value) ? value : [];
      const max = typeof s.maxItems === 'number' ? s.maxItems : 50;
      const count = Math.min(max, items.length + 1);
      const itemSchema = resolve(o.root, s.items);
      const itemTitle = titleOf(itemSchema, tr(lang, title));
      const rows = Array.from({ length: count }, (_, i) => {
        const p = `${pointer}/${i}`;
        const blank = i >= items.length;
        const legend: Text = {
          vi: `${itemTitle.vi} ${i + 1}${blank && i > 0 ? ' (nếu có thêm)' : ''}`,
          en: `${itemTitle.en} ${i + 1}${blank && i > 0 ? ' (if there is another)' : ''}`,
        };
        const inner = renderField({ ...o, depth: o.depth + 1 }, { ...itemSchema, title: legend.vi, 'x-title-en': legend.en }, p, blank ? 'never' : 'always');
        return inner;
      });
      return html`<fieldset class="group${hasError ? ' field-invalid' : ''}" id="${id}"${aria ? html` aria-describedby="${aria}"` : ''}>
<legend class="legend">${tr(lang, title)}</legend>
${hint ? hintHtml : html`<p class="hint" id="${id}-hint">${tr(lang, { vi: 'Điền từng dòng; cần thêm dòng thì bấm "Lưu và thêm dòng".', en: 'Fill in one item at a time; for another, press "Save and add a row".' })}</p>`}
${errorText(lang, id, own)}
${rows}
<button type="submit" name="_action" value="more" class="button button-secondary">${tr(lang, { vi: 'Lưu và thêm dòng', en: 'Save and add a row' })}</button>
</fieldset>`;
    }
    case 'radio': {
      const opts = enumLabels(s, lang);
      return html`<div class="${cls}"><fieldset class="group" id="${id}"${aria ? html` aria-describedby="${aria}"` : ''}>
<legend class="label">${label}</legend>
${hintHtml}${errorText(lang, id, own)}
<div class="radios">${opts.map(
        (opt, i) => html`<div class="choice"><input type="radio" id="${id}-${i}" name="${name}" value="${opt.value}"${str(value) === opt.value ? html` checked` : ''}><label for="${id}-${i}">${opt.label}</label></div>`,
      )}</div>
</fieldset></div>`;
    }
    case 'checkboxes': {
      const items = resolve(o.root, s.items);
      const opts = enumLabels(items, lang);
      const chosen = Array.isArray(value) ? value.map(String) : [];
      return html`<div class="${cls}"><fieldset class="group" id="${id}"${aria ? html` aria-describedby="${aria}"` : ''}>
<legend class="label">${label}</legend>
${hintHtml}${errorText(lang, id, own)}
<div class="checkboxes">${opts.map(
        (opt, i) => html`<div class="choice"><input type="checkbox" id="${id}-${i}" name="${name}" value="${opt.value}"${chosen.includes(opt.value) ? html` checked` : ''}><label for="${id}-${i}">${opt.label}</label></div>`,
      )}</div>
</fieldset></div>`;
    }
    case 'select':
    case 'province':
    case 'commune': {
      let opts: { value: string; label: string }[];
      let extraHint: Text | undefined;
      if (kind === 'select') opts = enumLabels(s, lang);
      else if (kind === 'province') {
        opts = loadVnUnits().map((p) => ({ value: p.code, label: lang === 'en' ? p.fullNameEn : p.fullName }));
      } else {
        // The communes of the province chosen beside it (a sibling `provinceCode`).
        const parent = pointer.slice(0, pointer.lastIndexOf('/'));
        const provinceCode = str(valueAt(o.values, `${parent}/provinceCode`));
        const province = loadVnUnits().find((p) => p.code === provinceCode);
        opts = (province?.units ?? []).map((u) => ({ value: u.code, label: lang === 'en' ? u.fullNameEn : u.fullName }));
        if (province === undefined) {
          extraHint = { vi: 'Chọn tỉnh, thành phố rồi bấm "Hiện danh sách xã, phường".', en: 'Choose the province, then press "Show the communes".' };
        }
        if (str(value) !== '' && !opts.some((x) => x.value === str(value))) opts.unshift({ value: str(value), label: str(value) });
      }
      const hintAll = hint ?? extraHint;
      const ariaAll = describedBy(id, hintAll !== undefined, hasError);
      const refresh =
        kind === 'province'
          ? html` <button type="submit" name="_action" value="more" class="button button-secondary">${tr(lang, { vi: 'Hiện danh sách xã, phường', en: 'Show the communes' })}</button>`
          : '';
      return html`<div class="${cls}">
<label class="label" for="${id}">${label}</label>
${hintAll ? html`<p class="hint" id="${id}-hint">${tr(lang, hintAll)}</p>` : ''}${errorText(lang, id, own)}
<select id="${id}" name="${name}"${ariaAll ? html` aria-describedby="${ariaAll}"` : ''}${hasError ? html` aria-invalid="true"` : ''}>
<option value="">${tr(lang, { vi: '— Chọn —', en: '— Choose —' })}</option>
${opts.map((opt) => html`<option value="${opt.value}"${str(value) === opt.value ? html` selected` : ''}>${opt.label}</option>`)}
</select>${refresh}
</div>`;
    }
    case 'boolean':
    case 'declaration':
      return html`<div class="${cls}">
${errorText(lang, id, own)}
<div class="choice"><input type="checkbox" id="${id}" name="${name}" value="true"${value === true ? html` checked` : ''}${aria ? html` aria-describedby="${aria}"` : ''}><label for="${id}">${tr(lang, title)}</label></div>
${hintHtml}
</div>`;
    case 'file': {
      const current = typeof value === 'string' ? o.files?.get(value.toLowerCase()) : undefined;
      const accept = Array.isArray(s['x-accept']) ? (s['x-accept'] as string[]).join(',') : 'application/pdf,image/jpeg,image/png';
      const uploaded =
        typeof value === 'string' && value !== ''
          ? html`<p class="file-current" id="${id}-current">${tr(lang, { vi: 'Đã tải lên:', en: 'Uploaded:' })} <strong>${current?.fileName ?? tr(lang, { vi: 'tệp', en: 'file' })}</strong>${current ? ` (${formatSize(current.size)})` : ''}</p>
<div class="choice"><input type="checkbox" id="${id}-remove" name="_remove" value="${pointer}"><label for="${id}-remove">${tr(lang, { vi: 'Xóa tệp này', en: 'Remove this file' })}</label></div>`
          : '';
      const ariaFile = [aria ?? '', uploaded ? `${id}-current` : ''].filter((x) => x !== '').join(' ');
      return html`<div class="${cls}">
<label class="label" for="${id}">${label}${uploaded ? html` <span class="muted">${tr(lang, { vi: '(chọn tệp khác để thay)', en: '(choose another file to replace it)' })}</span>` : ''}</label>
${hintHtml}${errorText(lang, id, own)}
${uploaded}
<input type="file" id="${id}" name="${name}" accept="${accept}"${ariaFile ? html` aria-describedby="${ariaFile}"` : ''}${hasError ? html` aria-invalid="true"` : ''}>
${reuseChoice(o, id, pointer)}
</div>`;
    }
    case 'textarea':
      return html`<div class="${cls}">
<label class="label" for="${id}">${label}</label>
${hintHtml}${errorText(lang, id, own)}
<textarea id="${id}" name="${name}" rows="4"${aria ? html` aria-describedby="${aria}"` : ''}${hasError ? html` aria-invalid="true"` : ''}>${str(value)}</textarea>
</div>`;
    default: {
      const a = inputAttrs(s, kind);
      // The schema's default (nationality "Việt Nam", 0 copies) until the person answers.
      const shown = value === undefined && (typeof s.default === 'string' || typeof s.default === 'number') ? s.default : value;
      const width = kind === 'date' ? ' input--date' : kind === 'integer' || kind === 'number' ? ' input--short' : '';
      return html`<div class="${cls}">
<label class="label" for="${id}">${label}</label>
${hintHtml}${errorText(lang, id, own)}
<input class="input${width}" type="${a.type}" id="${id}" name="${name}" value="${str(shown)}"${a.inputmode ? html` inputmode="${a.inputmode}"` : ''}${a.autocomplete ? html` autocomplete="${a.autocomplete}"` : ''}${a.spellcheck ? html` spellcheck="${a.spellcheck}"` : ''}${aria ? html` aria-describedby="${aria}"` : ''}${hasError ? html` aria-invalid="true"` : ''}>
</div>`;
    }
  }
}

/** "Or use a document you already have": a list of the warehouse's documents for this field. */
function reuseChoice(o: FieldCtx, id: string, pointer: string): SafeHtml {
  const options = o.reuse?.get(pointer) ?? [];
  if (options.length === 0) return html``;
  const { lang } = o;
  return html`<div class="reuse"><label class="label" for="${id}-reuse">${tr(lang, { vi: 'Hoặc dùng lại giấy tờ trong Kho giấy tờ của bạn', en: 'Or reuse a document from My documents' })}</label>
<p class="hint" id="${id}-reuse-hint">${tr(lang, { vi: 'Khi chọn, bạn đồng ý cho cơ quan dùng lại giấy tờ này cho hồ sơ mới.', en: 'By choosing one you agree that the office may reuse it for this application.' })}</p>
<select id="${id}-reuse" name="_reuse:${pointer}" aria-describedby="${id}-reuse-hint">
<option value="">${tr(lang, { vi: '— Không dùng lại —', en: '— Do not reuse —' })}</option>
${options.map((d) => html`<option value="${d.documentId}">${d.label}</option>`)}
</select></div>`;
}

/** The fields of one step: each top-level property it asks for. */
export function renderStepFields(o: RenderOptions, properties: readonly string[]): SafeHtml {
  const props = isObj(o.root.properties) ? o.root.properties : {};
  const req = new Set(requiredOf(o.root));
  const sometimes = conditionallyRequired(o.root, o.root);
  return html`${properties.map((k) => renderField({ ...o, depth: 1 }, props[k], `/${escapePointer(k)}`, req.has(k) ? 'always' : sometimes.has(k) ? 'sometimes' : 'never'))}`;
}

/** A value as the check-your-answers page shows it. */
export function displayValue(o: Pick<RenderOptions, 'lang' | 'root' | 'files'>, s0: unknown, value: unknown): string {
  const s = resolve(o.root, s0);
  const kind = kindOf(s);
  if (value === undefined || value === null || value === '') return '';
  if (kind === 'boolean' || kind === 'declaration') return value === true ? tr(o.lang, { vi: 'Có', en: 'Yes' }) : tr(o.lang, { vi: 'Không', en: 'No' });
  if ((kind === 'radio' || kind === 'select') && o.lang === 'en') {
    const hit = enumLabels(s, 'en').find((x) => x.value === String(value));
    return hit?.label ?? String(value);
  }
  if (kind === 'province') {
    const p = loadVnUnits().find((x) => x.code === String(value));
    return p ? (o.lang === 'en' ? p.fullNameEn : p.fullName) : String(value);
  }
  if (kind === 'commune') {
    for (const p of loadVnUnits()) {
      const u = p.units.find((x) => x.code === String(value));
      if (u) return o.lang === 'en' ? u.fullNameEn : u.fullName;
    }
    return String(value);
  }
  if (kind === 'file') {
    const f = o.files?.get(String(value).toLowerCase());
    return f ? `${f.fileName ?? tr(o.lang, { vi: 'tệp', en: 'file' })} (${formatSize(f.size)})` : tr(o.lang, { vi: 'Đã tải lên', en: 'Uploaded' });
  }
  if (kind === 'checkboxes' && Array.isArray(value)) return value.map(String).join(', ');
  return str(value);
}

/** Rows of the check-your-answers list for one step: every answered leaf, by its title path. */
export function answerRows(o: Pick<RenderOptions, 'lang' | 'root' | 'files' | 'values'>, properties: readonly string[]): { label: string; value: string; pointer: string }[] {
  const rows: { label: string; value: string; pointer: string }[] = [];
  const walk = (s0: unknown, pointer: string, prefix: string[], depth: number): void => {
    if (depth > 10) return;
    const s = resolve(o.root, s0);
    const kind = kindOf(s);
    const title = tr(o.lang, titleOf(s, pointer.split('/').pop() ?? ''));
    const v = valueAt(o.values, pointer);
    if (kind === 'object') {
      if (!isObj(v)) return;
      const props = isObj(s.properties) ? s.properties : {};
      for (const [k, c] of Object.entries(props)) walk(c, `${pointer}/${escapePointer(k)}`, [...prefix, title], depth + 1);
      return;
    }
    if (kind === 'array') {
      if (!Array.isArray(v)) return;
      v.forEach((_, i) => walk(s.items, `${pointer}/${i}`, [...prefix, `${title} ${i + 1}`], depth + 1));
      return;
    }
    const shown = displayValue(o, s, v);
    if (shown === '') return;
    rows.push({ label: [...prefix.slice(-1), title].join(' – '), value: shown, pointer });
  };
  const props = isObj(o.root.properties) ? o.root.properties : {};
  for (const k of properties) walk(props[k], `/${escapePointer(k)}`, [], 0);
  return rows;
}
