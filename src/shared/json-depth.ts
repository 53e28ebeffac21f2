/**
 * How deep a JSON value nests. Hashing, validating and storing walk it recursively, so a value
 * nested thousands of levels deep would overflow the stack: the edge refuses it first.
 */
export const MAX_JSON_DEPTH = 64;

/** The JSON Pointer of the first place deeper than `max` levels (iteratively, so it cannot overflow), or undefined. */
export function tooDeepAt(value: unknown, max = MAX_JSON_DEPTH): string | undefined {
  const stack: [unknown, string, number][] = [[value, '', 0]];
  while (stack.length > 0) {
    const [v, pointer, depth] = stack.pop()!;
    if (v === null || typeof v !== 'object') continue;
    if (depth >= max) return pointer === '' ? '/' : pointer;
    const entries = Array.isArray(v) ? v.map((x, i) => [String(i), x] as const) : Object.entries(v);
    for (const [k, x] of entries) stack.push([x, `${pointer}/${k.replace(/~/g, '~0').replace(/\//g, '~1')}`, depth + 1]);
  }
  return undefined;
}
