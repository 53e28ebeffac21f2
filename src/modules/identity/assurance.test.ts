import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { meetsAssurance } from './assurance.ts';

test('a login meets the minimum at its level and above, never below or when unknown', () => {
  const levels = ['level1', 'level2'];
  assert.equal(meetsAssurance('level2', levels, 'level2'), true);
  assert.equal(meetsAssurance('level1', levels, 'level2'), false);
  assert.equal(meetsAssurance('level2', levels, 'level1'), true);
  assert.equal(meetsAssurance(undefined, levels, 'level1'), false);
  assert.equal(meetsAssurance('LEVEL2', levels, 'level2'), false, 'acr values compare exactly');
  assert.equal(meetsAssurance('level2', levels, 'level3'), false, 'an unknown minimum admits nobody');
});

test('property: raising the minimum never admits more logins; raising the login never admits fewer', () => {
  fc.assert(
    fc.property(fc.uniqueArray(fc.string({ minLength: 1, maxLength: 6 }), { minLength: 1, maxLength: 6 }), fc.nat(), fc.nat(), fc.nat(), (levels, a, b, m) => {
      const lo = levels[a % levels.length]!;
      const hi = levels[Math.max(a % levels.length, b % levels.length)]!;
      const min = levels[m % levels.length]!;
      if (meetsAssurance(lo, levels, min)) assert.equal(meetsAssurance(hi, levels, min), true);
      const higherMin = levels[Math.max(m % levels.length, b % levels.length)]!;
      if (meetsAssurance(lo, levels, higherMin)) assert.equal(meetsAssurance(lo, levels, min), true);
    }),
  );
});
