import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { formatDossierCode, localDay, parseDossierCode } from './dossier-code.ts';

test('the example of the circular', () => {
  assert.equal(formatDossierCode('000.00.04.H12', '2026-11-23', 1), '000.00.04.H12-261123-0001');
  assert.deepEqual(parseDossierCode('000.00.04.H12-261123-0001'), { agencyCode: '000.00.04.H12', day: '2026-11-23', seq: 1 });
});

test('the date is the local day in Vietnam (UTC+7)', () => {
  assert.equal(localDay(new Date('2026-11-22T16:59:59Z')), '2026-11-22');
  assert.equal(localDay(new Date('2026-11-22T17:00:00Z')), '2026-11-23');
});

test('sequences past 9999 keep every digit', () => {
  assert.equal(formatDossierCode('000.00.04.H12', '2026-11-23', 12345), '000.00.04.H12-261123-12345');
});

test('malformed codes are not codes', () => {
  for (const bad of ['', 'abc', '000.00.04.H12-261323-0001', '000.00.04.H12-260230-0001', '000.00.04.H12-261123-001', "x'; DROP TABLE--261123-0001"]) {
    assert.equal(parseDossierCode(bad), undefined, bad);
  }
});

test('property: format then parse gives back agency, day and sequence', () => {
  const agency = fc.tuple(fc.stringMatching(/^[0-9A-Z]{3}$/), fc.stringMatching(/^[0-9A-Z]{2}$/), fc.stringMatching(/^[0-9A-Z]{2}$/), fc.stringMatching(/^[0-9A-Z]{3}$/)).map((p) => p.join('.'));
  const day = fc.date({ min: new Date('2000-01-01T00:00:00Z'), max: new Date('2099-12-31T00:00:00Z'), noInvalidDate: true }).map((d) => d.toISOString().slice(0, 10));
  fc.assert(
    fc.property(agency, day, fc.integer({ min: 1, max: 999_999 }), (a, d, s) => {
      assert.deepEqual(parseDossierCode(formatDossierCode(a, d, s)), { agencyCode: a, day: d, seq: s });
    }),
  );
});
