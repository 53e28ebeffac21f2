import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { sniffMediaType } from './media-type.ts';

const bytes = (...b: number[]): Uint8Array => Uint8Array.from(b);

test('PDF, JPEG and PNG are recognised by their first bytes', () => {
  assert.equal(sniffMediaType(new TextEncoder().encode('%PDF-1.7\n')), 'application/pdf');
  assert.equal(sniffMediaType(bytes(0xff, 0xd8, 0xff, 0xe0, 0, 0x10)), 'image/jpeg');
  assert.equal(sniffMediaType(bytes(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0)), 'image/png');
});

test('anything else is refused, whatever it is named', () => {
  for (const s of ['GIF89a', 'PK\u0003\u0004', '<html>', 'MZ', '%PD', '']) {
    assert.equal(sniffMediaType(new TextEncoder().encode(s)), undefined, s);
  }
  assert.equal(sniffMediaType(bytes(0x89, 0x50, 0x4e, 0x47)), undefined, 'a truncated PNG signature');
});

test('property: bytes that do not start with a known signature are never accepted', () => {
  fc.assert(
    fc.property(fc.uint8Array({ minLength: 0, maxLength: 32 }), (b) => {
      const known = (b[0] === 0x25 && b[1] === 0x50) || (b[0] === 0xff && b[1] === 0xd8) || b[0] === 0x89;
      fc.pre(!known);
      assert.equal(sniffMediaType(b), undefined);
    }),
  );
});
