/**
 * Canonical JSON for hashing: object keys sorted by code unit (as JSON Canonicalization
 * Scheme, RFC 8785, orders them), no whitespace, Dates as ISO-8601 UTC strings,
 * `undefined` object members left out (as JSON.stringify does). Numbers use
 * JavaScript's shortest round-trip form, which is what RFC 8785 prescribes too.
 * Non-finite numbers, bigints, functions and symbols are refused rather than silently
 * changed, so two different values never canonicalise to the same text by accident.
 */
export function canonicalize(value: unknown): string {
  return write(value, new Set());
}

function write(value: unknown, seen: Set<object>): string {
  if (value === null) return 'null';
  switch (typeof value) {
    case 'string':
      return JSON.stringify(value);
    case 'boolean':
      return value ? 'true' : 'false';
    case 'number':
      if (!Number.isFinite(value)) throw new TypeError(`canonicalize: non-finite number ${value}`);
      return JSON.stringify(value);
    case 'object':
      break;
    default:
      throw new TypeError(`canonicalize: cannot encode a ${typeof value}`);
  }
  if (value instanceof Date) {
    if (Number.isNaN(value.getTime())) throw new TypeError('canonicalize: invalid Date');
    return JSON.stringify(value.toISOString());
  }
  if (seen.has(value)) throw new TypeError('canonicalize: circular structure');
  seen.add(value);
  try {
    if (Array.isArray(value)) {
      // Holes and undefined become null, as in JSON.stringify.
      const parts: string[] = [];
      for (let i = 0; i < value.length; i++) {
        const item: unknown = value[i];
        parts.push(item === undefined ? 'null' : write(item, seen));
      }
      return `[${parts.join(',')}]`;
    }
    const obj = value as Record<string, unknown>;
    const keys = Object.keys(obj).sort(); // default sort compares UTF-16 code units, as RFC 8785
    const parts: string[] = [];
    for (const k of keys) {
      const v = obj[k];
      if (v === undefined) continue;
      parts.push(`${JSON.stringify(k)}:${write(v, seen)}`);
    }
    return `{${parts.join(',')}}`;
  } finally {
    seen.delete(value);
  }
}
