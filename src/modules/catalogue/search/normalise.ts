/**
 * Vietnamese text normalisation for search: what a citizen types and what the
 * catalogue says are compared as lower-case ASCII-like syllables, without tone
 * marks, with đ → d and the i/y spelling variants folded ("kí" = "ký", "lí" = "lý").
 * Never throws, whatever the input (lone surrogates, control characters, emoji…).
 */

/**
 * Characters dropped before anything else: zero-width (U+200B–U+200D, U+2060, U+FEFF),
 * bidirectional marks and embeddings (U+200E, U+200F, U+202A–U+202E, U+2066–U+2069,
 * U+061C), soft hyphen, combining grapheme joiner, variation selectors. They never
 * separate words ("kha\u200Bi" is "khai").
 */
// eslint-disable-next-line no-misleading-character-class -- these are the invisible marks to strip, one by one
const IGNORABLE = /[\u00AD\u034F\u061C\u180E\u200B-\u200F\u202A-\u202E\u2060-\u2064\u2066-\u2069\uFE00-\uFE0F\uFEFF]|\uDB40[\uDD00-\uDDEF]/g;
/** Every combining mark (tone marks, breve, circumflex, horn, and any other script's). */
const MARKS = /\p{M}+/gu;
/** Runs of anything that is not a letter or a digit separate words. */
const SEPARATORS = /[^\p{L}\p{N}]+/gu;
/**
 * Characters that only ever separate words: white space, punctuation, controls. Every
 * other run of characters is a piece of a word (letters, digits, marks, symbols whose
 * compatibility form holds letters such as "™"), normalised on its own for offsets.
 */
export const SEPARATOR = /(?!\uFEFF)[\s\p{P}\p{Cc}\p{Z}]/u;
const WORD_PIECE = /(?:[^\s\p{P}\p{Cc}\p{Z}]|\uFEFF)+/gu; // U+FEFF is white space to \s but ignorable here

/**
 * Syllables whose vowel is a lone i or y after an initial consonant (or nothing):
 * "ky"/"ki", "ly"/"li", "my"/"mi", "sy"/"si", "quy"/"qui", "hy"/"hi", "ty"/"ti", "y"/"i".
 * Both spellings are in use, so both become the i form. "uy" (tuy, huy) and "ay"
 * (tay) are other rhymes and are left alone.
 */
const IY_SYLLABLE = /^(b|c|ch|d|g|gh|h|k|kh|l|m|n|ng|ngh|nh|p|ph|qu|r|s|t|th|tr|v|x)?y$/;

/** Folds one lower-case, mark-free word: the i/y variants ("ky" → "ki"). */
export function foldWord(w: string): string {
  return IY_SYLLABLE.test(w) ? `${w.slice(0, -1)}i` : w;
}

/** Lower-case, mark-free, đ → d; separators kept as they are. */
function strip(text: string): string {
  return text
    .replace(IGNORABLE, '')
    .normalize('NFKD')
    .toLowerCase()
    .normalize('NFKD')
    .replace(MARKS, '')
    .replace(/đ/g, 'd')
    .replace(/ð/g, 'd');
}

/**
 * The search form of a text: lower case, no tone or other marks, đ → d, compatibility
 * forms folded (full-width letters, ligatures), i/y variants folded, words made of
 * letters and digits separated by single spaces. Idempotent.
 *
 *   normaliseVietnamese('Thủ tục Đăng kí khai sinh!') === 'thu tuc dang ki khai sinh'
 */
export function normaliseVietnamese(text: string): string {
  if (typeof text !== 'string' || text.length === 0) return '';
  const words = strip(text).split(SEPARATORS);
  let out = '';
  for (const w of words) {
    if (w.length === 0) continue;
    out += out.length === 0 ? foldWord(w) : ` ${foldWord(w)}`;
  }
  return out;
}

/** The words of `normaliseVietnamese(text)`. */
export function searchWords(text: string): string[] {
  const n = normaliseVietnamese(text);
  return n.length === 0 ? [] : n.split(' ');
}

export interface WordAt {
  /** Normalised word. */
  word: string;
  /** UTF-16 offsets of the piece of the original text it comes from. */
  start: number;
  end: number;
}

/**
 * The normalised words of a text with where each comes from in the original, for
 * highlighting. A piece that normalises to several words (e.g. "½" → "1 2") gives them
 * all the piece's offsets. `cache` (piece → words) speeds up indexing many names.
 */
export function wordsWithOffsets(text: string, cache?: Map<string, string[]>): WordAt[] {
  const out: WordAt[] = [];
  if (typeof text !== 'string') return out;
  for (const m of text.matchAll(WORD_PIECE)) {
    const start = m.index;
    const end = start + m[0].length;
    let words = cache?.get(m[0]);
    if (!words) {
      words = searchWords(m[0]);
      cache?.set(m[0], words);
    }
    for (const w of words) out.push({ word: w, start, end });
  }
  return out;
}

/** The text as typed without the five tone marks (huyền, sắc, ngã, hỏi, nặng); other marks and đ stay. */
export function removeToneMarks(text: string): string {
  return text.normalize('NFD').replace(/[\u0300\u0301\u0303\u0309\u0323]/g, '').normalize('NFC');
}

/** The text as typed on a keyboard without Vietnamese: no marks at all, đ → d. */
export function removeAllMarks(text: string): string {
  return text.normalize('NFD').replace(/\p{M}/gu, '').replace(/đ/g, 'd').replace(/Đ/g, 'D');
}

const INITIAL_SOUND: Array<[RegExp, string]> = [
  [/^tr/, 'ch'],
  [/^gi(?=[aeiouy])/, 'd'],
  [/^gi/, 'di'],
  [/^r/, 'd'],
  [/^s/, 'x'],
  [/^l/, 'n'],
];
const FINAL_SOUND: Array<[RegExp, string]> = [
  [/ng$/, 'n'],
  [/nh$/, 'n'],
  [/ch$/, 't'],
  [/c$/, 't'],
];

/**
 * A coarse "sounds like" key for the spellings Vietnamese speakers confuse: tr/ch,
 * s/x, d/gi/r, l/n at the start; n/ng/nh and c/t/ch at the end. "thuong chu" and
 * "thuong tru" share keys. Used only as a weak alternative when matching.
 */
export function soundKey(word: string): string {
  let k = word;
  for (const [re, to] of INITIAL_SOUND) {
    if (re.test(k)) {
      k = k.replace(re, to);
      break;
    }
  }
  for (const [re, to] of FINAL_SOUND) {
    if (re.test(k)) {
      k = k.replace(re, to);
      break;
    }
  }
  return k;
}
