import assert from 'node:assert/strict';
import { test } from 'node:test';
import { bombPdf, CRAFTED, handPdf, libPdf } from '../../../test/support/pdfs.ts';
import fc from 'fast-check';
import { inspectPdf, structureStreamsProblem } from './pdf-check.ts';

test('clean PDFs pass: hand-written, pdf-lib with and without object streams, a comment after %%EOF', async () => {
  assert.equal(await inspectPdf(CRAFTED.clean()), undefined);
  assert.equal(await inspectPdf(await libPdf()), undefined);
  assert.equal(await inspectPdf(await libPdf({ objectStreams: true })), undefined);
  assert.equal(await inspectPdf(Buffer.concat([handPdf(), Buffer.from('% ghi chú\n')])), undefined);
});

test('malformed PDFs are refused: no document inside, no catalog, cut short', async () => {
  assert.equal((await inspectPdf(CRAFTED.malformed()))?.code, 'pdf_malformed');
  assert.equal((await inspectPdf(CRAFTED.noCatalog()))?.code, 'pdf_malformed');
  const whole = await libPdf();
  assert.equal((await inspectPdf(whole.subarray(0, 40)))?.code, 'pdf_malformed');
});

test('an encrypted PDF (/Encrypt in the trailer) is refused', async () => {
  const p = await inspectPdf(CRAFTED.encrypted());
  assert.equal(p?.code, 'pdf_encrypted');
  assert.match(p!.message.vi, /mã hóa/);
});

test('JavaScript is found wherever it is: open action, name tree, page additional actions, escaped names, inside object streams', async () => {
  for (const [name, pdf] of [
    ['openAction', CRAFTED.openActionJs()],
    ['escaped', CRAFTED.escapedJs()],
    ['names', CRAFTED.namesJs()],
    ['page AA', CRAFTED.pageAaJs()],
    ['pdf-lib', await libPdf({ js: true })],
  ] as const) {
    assert.equal((await inspectPdf(pdf))?.code, 'pdf_javascript', name);
  }
  const packed = await libPdf({ js: true, objectStreams: true });
  assert.equal(packed.includes(Buffer.from('JavaScript')), false, 'the action is compressed: a byte scan would miss it');
  assert.equal((await inspectPdf(packed))?.code, 'pdf_javascript');
});

test('embedded files are refused, also inside object streams', async () => {
  assert.equal((await inspectPdf(CRAFTED.embedded()))?.code, 'pdf_embedded_file');
  assert.equal((await inspectPdf(await libPdf({ attach: true })))?.code, 'pdf_embedded_file');
  const packed = await libPdf({ attach: true, objectStreams: true });
  assert.equal((await inspectPdf(packed))?.code, 'pdf_embedded_file');
});

test('a PDF bomb (an object stream inflating far beyond its size) is refused before the parser inflates it, however its type is spelled', async () => {
  const MiB = 1024 * 1024;
  for (const escaped of [false, true]) {
    const bomb = bombPdf(8 * MiB, { escaped });
    assert.ok(bomb.length < 64 * 1024, `compressed to ${bomb.length} bytes`);
    const p = await inspectPdf(bomb, { maxInflatedBytes: 4 * MiB });
    assert.equal(p?.code, 'pdf_too_large_inflated', `escaped: ${escaped}`);
    assert.match(p!.message.vi, /quá lớn/);
    assert.equal(await structureStreamsProblem(bomb, 16 * MiB), undefined, 'under the cap it is left to the parser');
  }
  // Real documents with object streams pass the default cap.
  assert.equal(await structureStreamsProblem(await libPdf({ objectStreams: true })), undefined);
  assert.equal(await inspectPdf(await libPdf({ objectStreams: true })), undefined);
});

test('property: the cap is on the sum of the structure streams, whatever the split', async () => {
  await fc.assert(
    fc.asyncProperty(fc.array(fc.integer({ min: 1, max: 4096 }), { minLength: 1, maxLength: 6 }), fc.integer({ min: 1, max: 20_000 }), async (sizes, limit) => {
      const parts = sizes.map((n) => bombPdf(n));
      const joined = Buffer.concat(parts);
      const total = sizes.reduce((a, b) => a + b, 0);
      assert.equal((await structureStreamsProblem(joined, limit)) === undefined, total < limit);
    }),
  );
});
