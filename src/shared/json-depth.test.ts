import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { MAX_JSON_DEPTH, tooDeepAt } from './json-depth.ts';

const nest = (levels: number): unknown => {
  let v: unknown = 'x';
  for (let i = 0; i < levels; i++) v = i % 2 === 0 ? { a: v } : [v];
  return v;
};

test('a value nested up to the limit passes; one level more is named by its pointer', () => {
  assert.equal(tooDeepAt(nest(MAX_JSON_DEPTH)), undefined);
  const at = tooDeepAt(nest(MAX_JSON_DEPTH + 1));
  assert.ok(at !== undefined);
  assert.equal(at.split('/').length - 1, MAX_JSON_DEPTH);
  assert.equal(tooDeepAt(nest(100_000)) !== undefined, true, 'no stack overflow, however deep');
  assert.equal(tooDeepAt({ 'a/b': { '~': {} } }, 1), '/a~1b', 'keys are escaped as in a JSON Pointer');
});

test('property: the depth found matches the depth built', () => {
  fc.assert(
    fc.property(fc.integer({ min: 0, max: 200 }), fc.integer({ min: 1, max: 100 }), (levels, max) => {
      assert.equal(tooDeepAt(nest(levels), max) === undefined, levels <= max);
    }),
  );
});
