/**
 * HTML built by tagged templates: every interpolated value is escaped unless it is
 * SafeHtml (markup built by `html` itself or, for trusted constants only, `raw`).
 * Arrays are joined without separator, each element escaped or kept the same way.
 * null, undefined and false render as nothing (so `${cond && html`...`}` works).
 */
export class SafeHtml {
  readonly value: string;
  constructor(value: string) {
    this.value = value;
  }
  toString(): string {
    return this.value;
  }
}

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ESCAPES[c]!);
}

function render(v: unknown): string {
  if (v instanceof SafeHtml) return v.value;
  if (v === null || v === undefined || v === false) return '';
  if (Array.isArray(v)) return v.map(render).join('');
  return escapeHtml(String(v));
}

export function html(strings: TemplateStringsArray, ...values: unknown[]): SafeHtml {
  let out = strings[0] ?? '';
  for (let i = 0; i < values.length; i++) out += render(values[i]) + (strings[i + 1] ?? '');
  return new SafeHtml(out);
}

/** Trusted markup only (constants written in this code base), never user input. */
export function raw(s: string): SafeHtml {
  return new SafeHtml(s);
}
