/**
 * What arrives without a schema (a posted page form, a query string) read as fields: an
 * object stays as it is, anything else is no fields. Values are still checked one by one.
 */
export const isRecord = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);

export const fieldsOf = (v: unknown): Record<string, unknown> => (isRecord(v) ? v : {});

/** The text fields only (urlencoded values are strings; a repeated name, a list, is left out). */
export function textFields(v: unknown): Record<string, string | undefined> {
  const out: Record<string, string | undefined> = {};
  for (const [k, x] of Object.entries(fieldsOf(v))) if (typeof x === 'string') out[k] = x;
  return out;
}
