import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { foldWord, normaliseVietnamese, removeAllMarks, removeToneMarks, searchWords, SEPARATOR, soundKey, wordsWithOffsets } from './normalise.ts';

const VI_LETTERS = [...'aăâbcdđeêghiklmnoôơpqrstuưvxyAĂÂBCDĐEÊGHIKLMNOÔƠPQRSTUƯVXY'];
const TONES = ['', '\u0300', '\u0301', '\u0303', '\u0309', '\u0323'];
/** Vietnamese-looking text: letters with random tones, digits, spaces and punctuation. */
const viText = fc
  .array(
    fc.oneof(
      { weight: 8, arbitrary: fc.tuple(fc.constantFrom(...VI_LETTERS), fc.constantFrom(...TONES)).map(([l, t]) => `${l}${t}`.normalize('NFC')) },
      { weight: 2, arbitrary: fc.constantFrom(' ', ' ', ', ', '(', ')', '-', '.', '/', '0', '7', '\u200B', '\u00A0') },
    ),
    { maxLength: 40 },
  )
  .map((a) => a.join(''));
/** Any text at all, lone surrogates included. */
const anyText = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 60 }),
  fc.string({ unit: fc.integer({ min: 0, max: 0xffff }).map((c) => String.fromCharCode(c)), maxLength: 60 }),
  viText,
);

test('examples: tone marks, đ, case, punctuation and the i/y variants', () => {
  assert.equal(normaliseVietnamese('Thủ tục Đăng kí khai sinh!'), 'thu tuc dang ki khai sinh');
  assert.equal(normaliseVietnamese('đăng ký'), normaliseVietnamese('đăng kí'));
  assert.equal(normaliseVietnamese('lý lịch tư pháp'), normaliseVietnamese('lí lịch tư pháp'));
  assert.equal(normaliseVietnamese('Mỹ thuật'), normaliseVietnamese('mĩ thuật'));
  assert.equal(normaliseVietnamese('quy định'), normaliseVietnamese('qui định'));
  assert.equal(normaliseVietnamese('công ty'), 'cong ti');
  // Other rhymes stay apart: tuy ≠ tui, tay ≠ tai.
  assert.notEqual(normaliseVietnamese('tuy'), normaliseVietnamese('tui'));
  assert.notEqual(normaliseVietnamese('tay'), normaliseVietnamese('tai'));
  assert.equal(normaliseVietnamese('  Giấy   phép\tlái\nxe  '), 'giay phep lai xe');
  assert.equal(normaliseVietnamese('1.001193'), '1 001193');
  assert.equal(normaliseVietnamese(''), '');
  assert.equal(normaliseVietnamese(undefined as unknown as string), '');
});

test('odd Unicode: NFD, zero-width, bidi marks, control characters, emoji, full-width', () => {
  const nfc = 'Đăng ký khai sinh';
  assert.equal(normaliseVietnamese(nfc.normalize('NFD')), normaliseVietnamese(nfc));
  assert.equal(normaliseVietnamese('kha\u200Bi si\u200Dnh'), 'khai sinh');
  assert.equal(normaliseVietnamese('\u202Bkhai sinh\u202C\u200F'), 'khai sinh');
  assert.equal(normaliseVietnamese('khai\u0000sinh\u0007'), 'khai sinh');
  assert.equal(normaliseVietnamese('👶 khai sinh 🎉'), 'khai sinh');
  assert.equal(normaliseVietnamese('ｋｈａｉ　ｓｉｎｈ'), 'khai sinh');
  assert.equal(normaliseVietnamese('\uD800khai\uDFFF'), 'khai');
  assert.equal(normaliseVietnamese('e\u0301\u0301\u0301'), 'e');
});

test('property: idempotent, and the output is lower-case words separated by single spaces', () => {
  fc.assert(
    fc.property(anyText, (s) => {
      const n = normaliseVietnamese(s);
      assert.equal(normaliseVietnamese(n), n);
      assert.match(n, /^(?:[\p{L}\p{N}]+(?: [\p{L}\p{N}]+)*)?$/u);
      assert.doesNotMatch(n, /\p{M}|đ/u);
    }),
    { numRuns: 3000 },
  );
});

test('property: removing tone marks (or all marks and đ) before normalising changes nothing', () => {
  fc.assert(
    fc.property(viText, (s) => {
      const n = normaliseVietnamese(s);
      assert.equal(normaliseVietnamese(removeToneMarks(s)), n);
      assert.equal(normaliseVietnamese(removeAllMarks(s)), n);
    }),
    { numRuns: 3000 },
  );
});

test('property: NFC and NFD give the same; đ is d; case does not matter', () => {
  fc.assert(
    fc.property(viText, (s) => {
      const n = normaliseVietnamese(s);
      assert.equal(normaliseVietnamese(s.normalize('NFD')), n);
      assert.equal(normaliseVietnamese(s.normalize('NFC')), n);
      assert.equal(normaliseVietnamese(s.replace(/đ/g, 'd').replace(/Đ/g, 'D')), n);
      assert.equal(normaliseVietnamese(s.toUpperCase()), n);
    }),
    { numRuns: 2000 },
  );
});

test('property: a syllable ending in a lone i or y is the same either way', () => {
  const initial = fc.constantFrom('', 'b', 'c', 'ch', 'd', 'đ', 'g', 'h', 'k', 'kh', 'l', 'm', 'n', 'ng', 'nh', 'p', 'ph', 'qu', 'r', 's', 't', 'th', 'tr', 'v', 'x');
  const tone = fc.constantFrom(...TONES);
  fc.assert(
    fc.property(initial, tone, (c, t) => {
      assert.equal(normaliseVietnamese(`${c}i${t}`), normaliseVietnamese(`${c}y${t}`));
    }),
  );
  assert.equal(foldWord('ky'), 'ki');
  assert.equal(foldWord('huy'), 'huy');
});

test('wordsWithOffsets: each word points at the piece of the original it comes from', () => {
  const name = 'Thủ tục đăng ký khai sinh (thực hiện tại cấp xã)';
  const words = wordsWithOffsets(name);
  assert.deepEqual(
    words.map((w) => w.word),
    searchWords(name),
  );
  for (const w of words) assert.equal(normaliseVietnamese(name.slice(w.start, w.end)), w.word);
  fc.assert(
    fc.property(anyText, (s) => {
      const ws = wordsWithOffsets(s);
      assert.deepEqual(
        ws.map((w) => w.word),
        searchWords(s),
      );
    }),
    { numRuns: 2000 },
  );
});

test('soundKey: spellings Vietnamese speakers confuse share a key', () => {
  assert.equal(soundKey('tru'), soundKey('chu'));
  assert.equal(soundKey('sinh'), soundKey('xin'));
  assert.equal(soundKey('gia'), soundKey('da'));
  assert.equal(soundKey('ra'), soundKey('da'));
  assert.equal(soundKey('lam'), soundKey('nam'));
  assert.equal(soundKey('bang'), soundKey('ban'));
  assert.equal(soundKey('mac'), soundKey('mat'));
  assert.notEqual(soundKey('khai'), soundKey('hai'));
});

test('every separator character separates words and nothing else does (so offsets agree with the whole text)', () => {
  for (let cp = 0; cp <= 0x10ffff; cp++) {
    if (cp >= 0xd800 && cp <= 0xdfff) continue;
    const c = String.fromCodePoint(cp);
    if (SEPARATOR.test(c)) {
      assert.equal(normaliseVietnamese(c), '', `U+${cp.toString(16)}`);
      assert.equal(normaliseVietnamese(`a${c}b`), 'a b', `U+${cp.toString(16)}`);
    } else assert.equal(wordsWithOffsets(`a${c}b`).length, searchWords(`a${c}b`).length, `U+${cp.toString(16)}`);
  }
  assert.equal(normaliseVietnamese('kha\uFEFFi'), 'khai');
  assert.deepEqual(
    wordsWithOffsets('\u2F00\uFEFF\u2C00').map((w) => w.word),
    searchWords('\u2F00\uFEFF\u2C00'),
  );
});
