import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { canonicalize } from './canonical-json.ts';

test('keys are sorted at every level, no whitespace, undefined members left out', () => {
  assert.equal(canonicalize({ b: 1, a: { d: [3, { z: true, y: null }], c: 'x' }, u: undefined }), '{"a":{"c":"x","d":[3,{"y":null,"z":true}]},"b":1}');
});

test('dates become ISO strings; key order is by UTF-16 code unit', () => {
  assert.equal(canonicalize({ at: new Date(Date.UTC(2026, 1, 17, 1, 2, 3, 4)) }), '{"at":"2026-02-17T01:02:03.004Z"}');
  assert.equal(canonicalize({ é: 1, z: 2, Z: 3, a: 4 }), '{"Z":3,"a":4,"z":2,"é":1}');
  assert.equal(canonicalize(['Tiếng Việt', 'a"b\n']), '["Tiếng Việt","a\\"b\\n"]');
});

test('values JSON cannot carry faithfully are refused', () => {
  assert.throws(() => canonicalize(Number.NaN), TypeError);
  assert.throws(() => canonicalize({ x: Number.POSITIVE_INFINITY }), TypeError);
  assert.throws(() => canonicalize(1n), TypeError);
  assert.throws(() => canonicalize(new Date(Number.NaN)), TypeError);
  const loop: Record<string, unknown> = {};
  loop.self = loop;
  assert.throws(() => canonicalize(loop), /circular/);
  // A shared (non-circular) reference is fine.
  const shared = { k: 1 };
  assert.equal(canonicalize([shared, shared]), '[{"k":1},{"k":1}]');
});

test('property: canonical text parses back to the same JSON value and ignores key order', () => {
  fc.assert(
    fc.property(fc.jsonValue(), (v) => {
      const text = canonicalize(v);
      assert.deepEqual(JSON.parse(text), JSON.parse(JSON.stringify(v)));
      const reordered = JSON.parse(JSON.stringify(v), (_k, val: unknown) =>
        val !== null && typeof val === 'object' && !Array.isArray(val)
          ? Object.fromEntries(Object.entries(val as Record<string, unknown>).reverse())
          : val,
      ) as unknown;
      assert.equal(canonicalize(reordered), text);
    }),
  );
});
