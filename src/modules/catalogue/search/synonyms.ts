/**
 * Citizens' words as data: the synonym list (synonyms.json beside this file, kept by
 * the province) and its compiled form used by the search index.
 */
import { readFileSync } from 'node:fs';
import { searchWords } from './normalise.ts';

/** `words` found in a query also find procedures named with any of `means`. */
export interface SynonymMeaning {
  words: string[];
  means: string[];
}

/** Each form stands for all the others (abbreviations: "bhxh" = "bảo hiểm xã hội"). */
export interface SynonymSame {
  same: string[];
}

export type SynonymEntry = SynonymMeaning | SynonymSame;

export interface SynonymList {
  entries: SynonymEntry[];
  /** Words of a question that say little about the procedure; they weigh one tenth. */
  stopWords?: string[];
}

export class SynonymListError extends Error {
  readonly problems: string[];
  constructor(source: string, problems: string[]) {
    super(`Invalid synonym list ${source}:\n  ${problems.join('\n  ')}`);
    this.name = 'SynonymListError';
    this.problems = problems;
  }
}

const isStringList = (v: unknown): v is string[] => Array.isArray(v) && v.every((x) => typeof x === 'string');

/** Checks a parsed synonym file; throws SynonymListError naming every bad entry. */
export function parseSynonymList(data: unknown, source = '(given list)'): SynonymList {
  const problems: string[] = [];
  if (typeof data !== 'object' || data === null || Array.isArray(data)) throw new SynonymListError(source, ['the list must be a JSON object with "entries"']);
  const o = data as Record<string, unknown>;
  for (const k of Object.keys(o)) if (k !== 'entries' && k !== 'stopWords' && !k.startsWith('$')) problems.push(`unknown member "${k}" (expected "entries", "stopWords")`);
  const entries: SynonymEntry[] = [];
  if (!Array.isArray(o.entries)) problems.push('"entries" must be an array');
  else
    o.entries.forEach((e: unknown, i: number) => {
      const at = `entries[${i}]`;
      if (typeof e !== 'object' || e === null || Array.isArray(e)) return void problems.push(`${at}: must be an object`);
      const r = e as Record<string, unknown>;
      const keys = Object.keys(r).filter((k) => !k.startsWith('$'));
      if ('same' in r) {
        if (keys.length !== 1) problems.push(`${at}: "same" stands alone (found ${keys.join(', ')})`);
        else if (!isStringList(r.same) || r.same.length < 2) problems.push(`${at}: "same" must list at least two phrases`);
        else if (r.same.some((w) => searchWords(w).length === 0)) problems.push(`${at}: "same" has an empty phrase`);
        else entries.push({ same: r.same });
      } else if ('words' in r || 'means' in r) {
        if (keys.some((k) => k !== 'words' && k !== 'means')) problems.push(`${at}: unknown member (expected "words" and "means")`);
        else if (!isStringList(r.words) || r.words.length === 0) problems.push(`${at}: "words" must list at least one phrase`);
        else if (!isStringList(r.means) || r.means.length === 0) problems.push(`${at}: "means" must list at least one phrase`);
        else if ([...r.words, ...r.means].some((w) => searchWords(w).length === 0)) problems.push(`${at}: has an empty phrase`);
        else entries.push({ words: r.words, means: r.means });
      } else problems.push(`${at}: needs "words" and "means", or "same"`);
    });
  let stopWords: string[] | undefined;
  if (o.stopWords !== undefined) {
    if (!isStringList(o.stopWords)) problems.push('"stopWords" must be an array of strings');
    else stopWords = o.stopWords;
  }
  if (problems.length > 0) throw new SynonymListError(source, problems);
  return stopWords ? { entries, stopWords } : { entries };
}

/** Reads and checks a synonym file (JSON). */
export function loadSynonymFile(path: string | URL): SynonymList {
  const source = String(path);
  let data: unknown;
  try {
    data = JSON.parse(readFileSync(path, 'utf8'));
  } catch (err) {
    throw new SynonymListError(source, [(err as Error).message]);
  }
  return parseSynonymList(data, source);
}

let bundled: SynonymList | undefined;
/** The list shipped in this folder (synonyms.json), read once. */
export function defaultSynonyms(): SynonymList {
  bundled ??= loadSynonymFile(new URL('./synonyms.json', import.meta.url));
  return bundled;
}

/** Match quality of a meaning found through a "words → means" entry (the citizen's own words count 1). */
export const MEANING_QUALITY = 0.95;

export interface Alternative {
  words: string[];
  /** 1 for "same" forms, MEANING_QUALITY for meanings. */
  quality: number;
}

/** Compiled: normalised phrase (words joined by a space) → its alternatives (none: a phrase read as one, such as a meaning). */
export interface CompiledSynonyms {
  phrases: Map<string, Alternative[]>;
  stop: Set<string>;
  /** Longest phrase (in words) among phrases and stop words. */
  maxWords: number;
}

export function compileSynonyms(list: SynonymList): CompiledSynonyms {
  const phrases = new Map<string, Map<string, Alternative>>();
  let maxWords = 1;
  const add = (from: string, to: string, quality: number): void => {
    const f = searchWords(from);
    const t = searchWords(to);
    if (f.length === 0 || t.length === 0) return;
    const fk = f.join(' ');
    const tk = t.join(' ');
    if (fk === tk) return;
    maxWords = Math.max(maxWords, f.length);
    let alts = phrases.get(fk);
    if (!alts) phrases.set(fk, (alts = new Map()));
    const prev = alts.get(tk);
    if (!prev || prev.quality < quality) alts.set(tk, { words: t, quality });
  };
  for (const e of list.entries) {
    if ('same' in e) for (const a of e.same) for (const b of e.same) add(a, b, 1);
    else for (const w of e.words) for (const m of e.means) add(w, m, MEANING_QUALITY);
  }
  // A meaning typed as such is read as one phrase too, as it is when a citizen's word stands for it.
  for (const e of list.entries)
    for (const m of 'same' in e ? e.same : e.means) {
      const words = searchWords(m);
      const key = words.join(' ');
      if (words.length > 1 && !phrases.has(key)) {
        phrases.set(key, new Map());
        maxWords = Math.max(maxWords, words.length);
      }
    }
  const stop = new Set<string>();
  for (const s of list.stopWords ?? []) {
    const w = searchWords(s);
    if (w.length === 0) continue;
    stop.add(w.join(' '));
    maxWords = Math.max(maxWords, w.length);
  }
  const out = new Map<string, Alternative[]>();
  for (const [k, alts] of phrases) out.set(k, [...alts.values()]);
  return { phrases: out, stop, maxWords };
}
