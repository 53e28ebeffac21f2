/**
 * Procedure search: an in-process index over the offered procedures, built from what
 * the catalogue store loads and rebuilt when the catalogue changes (decision record
 * 0006). Pure TypeScript, no database: PGlite and PostgreSQL installations give the
 * same results by construction.
 *
 * Matching: words are compared in their search form (normalise.ts: no tone marks,
 * đ → d, i/y folded), in any order; a word the catalogue does not contain is matched
 * to catalogue words one edit away (two for long words), to words it begins (typing
 * in progress), to words that sound alike (tr/ch, s/x, d/gi/r, l/n, n/ng, c/t), or split
 * in two ("hochieu"). Citizens' phrases are expanded with the synonym list (data).
 *
 * Ranking (BM25-like): each query word or phrase weighs its rarity in the catalogue
 * (idf; stop words a tenth); a procedure's coverage is the weighted share of the query
 * it matches: where (name 1, other names 0.9, field 0.45) times how (exact 1, meaning
 * from the synonym list 0.95, prefix 0.75, one edit 0.7, sound-alike 0.55 — below the
 * 60 % cut, so never a result on its own when the word exists —, two edits 0.5; a
 * phrase counts the share of its words found, times 0.97 with a word inserted, 0.92
 * with a few, 0.85 when scattered). Procedures covering at least 60 % of what the best
 * one covers are the results (their number is `total`, the facets count them), ordered by
 *   coverage² × (1 + 0.1 × adjacency) / (1 + 0.05 × extra words) × (1 + 0.08 × popularity)
 * where adjacency is the share of matched name words standing next to each other, extra
 * words are the name's words the query did not ask for (half inside parentheses, none
 * for filler such as "Thủ tục", "cấp", "đăng ký", "thực hiện tại cấp tỉnh"), and
 * popularity is log-scaled to the most popular procedure. So "đăng ký khai sinh" gives
 * "Thủ tục đăng ký khai sinh" before "… lại …", "… lưu động", "… có yếu tố nước ngoài".
 */
import { AppError, type FieldError } from '../../../shared/errors.ts';
import { foldWord, normaliseVietnamese, searchWords, soundKey, wordsWithOffsets } from './normalise.ts';
import { compileSynonyms, defaultSynonyms, parseSynonymList, type CompiledSynonyms, type SynonymList } from './synonyms.ts';

/** What the index needs of a procedure. */
export interface SearchDoc {
  code: string;
  name: string;
  /** Lĩnh vực, e.g. "Hộ tịch". */
  field: string;
  /** 'province' | 'commune' (and, for national catalogues, 'ministry' | 'other'). */
  levels: readonly string[];
  /** 'citizen' | 'business' | 'organisation'. */
  applicantTypes: readonly string[];
  /** Receiving agency codes. */
  agencyCodes: readonly string[];
  /** 'full' | 'partial' (| 'none'). */
  onlineLevel: string;
  /** Other names the procedure is known by (former or local names); matched, not shown. */
  variantNames?: readonly string[] | undefined;
  /** Higher first among equals, e.g. dossiers in the last 12 months. */
  popularity?: number | undefined;
}

export const FACETS = ['level', 'field', 'agency', 'onlineLevel', 'applicantType'] as const;
export type FacetName = (typeof FACETS)[number];
export type SearchFilters = Partial<Record<FacetName, string | readonly string[] | undefined>>;

export interface SearchQuery {
  /** What the citizen typed (at most 200 characters); empty: every procedure. */
  q?: string | undefined;
  /** Values of one filter are alternatives (OR); filters combine with AND. */
  filters?: SearchFilters | undefined;
  /** 1–200, default 20. */
  limit?: number | undefined;
  /** 0–100,000, default 0. */
  offset?: number | undefined;
}

export interface SearchHit {
  code: string;
  /** Relevance, higher is better (0 when browsing without a query). Rounded to 4 decimals. */
  score: number;
  /** UTF-16 [start, end) ranges of the procedure name that matched the query. */
  highlights: Array<[number, number]>;
}

/** Value → number of results, most first. For each facet the counts ignore that facet's own filter. */
export type FacetCounts = Record<string, number>;

export interface SearchResult {
  total: number;
  items: SearchHit[];
  facets: Record<FacetName, FacetCounts>;
}

/** A problem with the query; `field` names the query parameter (`q`, `level`, `limit`…). */
export type SearchProblem = FieldError;

export interface SearchIndexOptions {
  /** Replaces the bundled synonyms.json (checked like the file: SynonymListError when malformed). */
  synonyms?: SynonymList | undefined;
}

export interface SearchIndex {
  readonly size: number;
  /** Milliseconds the build took. */
  readonly buildMs: number;
  /** Distinct words in the index. */
  readonly vocabularySize: number;
  /** Problems with the query (empty when it can run). Never throws. */
  validate(query: SearchQuery): SearchProblem[];
  /** Runs the query; throws AppError 400 `invalid_search` (with `details`) when validate finds problems. */
  search(query: SearchQuery): SearchResult;
  /** How a procedure scores for a query, for tuning and tests. */
  explain(q: string, code: string): ScoreParts | undefined;
}

export interface ScoreParts {
  /** Per query word or phrase: its weight and how well the procedure matches it (0–1). */
  clauses: Array<{ words: string; weight: number; value: number; stop: boolean }>;
  coverage: number;
  extraWords: number;
  adjacency: number;
  score: number;
  result: boolean;
}

export const MAX_QUERY_CHARS = 200;
export const DEFAULT_LIMIT = 20;
export const MAX_LIMIT = 200;
export const MAX_OFFSET = 100_000;
/** Values always accepted by the fixed-vocabulary filters (others present in the index are accepted too). */
export const KNOWN_FILTER_VALUES = {
  level: ['province', 'commune', 'ministry', 'other'],
  onlineLevel: ['full', 'partial', 'none'],
  applicantType: ['citizen', 'business', 'organisation'],
} as const;

// Field weights, match qualities and ranking constants (decision record 0006).
const W_NAME = 1;
const W_VARIANT = 0.9;
const W_FIELD = 0.45;
const Q_PREFIX = 0.75;
const Q_FUZZY1 = 0.7;
const Q_SOUND = 0.55;
const Q_FUZZY2 = 0.5;
const STOP_WEIGHT = 0.1;
const NEAR_PHRASE = 0.97;
const LOOSE_PHRASE = 0.92;
const SCATTERED_PHRASE = 0.85;
const ADJACENCY_BONUS = 0.1;
const EXTRA_WORD_PENALTY = 0.05;
const POPULARITY_BONUS = 0.08;
const KEEP_RATIO = 0.6;
const MAX_CLAUSES = 32;
const MAX_PREFIX_OPTIONS = 30;

/** Words of procedure names that do not make a name more specific. */
const FILLER = new Set(
  'co cua va cho tai cac ve doi voi trong duoc da la nhung theo den hoac khi bang o tren do nay thi ma hay vao cung nhu'.split(' '),
);

/**
 * Phrases of procedure names that say how or where it is done, or that it is a
 * procedure, not which one: "Thủ tục", "(thực hiện tại cấp tỉnh)", "bằng dịch vụ công
 * trực tuyến toàn trình", and the base actions "cấp" (issue) and "đăng ký" (register),
 * so that "Cấp giấy phép lái xe" is less specific than "Đổi giấy phép lái xe". They are
 * matched like any words but are not extra words.
 */
const FILLER_PHRASES = [
  'thu tuc hanh chinh', 'thu tuc', 'cap', 'cap moi', 'dang ki', 'thuc hien', 'tai cap', 'cap trung uong', 'trung uong', 'cap tinh', 'cap xa', 'cap huyen', 'cap bo',
  'dich vu cong', 'truc tuyen', 'toan trinh', 'mot phan', 'truc tiep',
].map((p) => p.split(' '));

const FLAG_FILLER = 1;
const FLAG_PAREN = 2;

interface Slot {
  /** term id → match quality. */
  opts: Map<number, number>;
  weight: number;
}
interface Clause {
  words: string;
  alts: number[][];
  weight: number;
  stop: boolean;
}
interface Plan {
  slots: Slot[];
  clauses: Clause[];
  totalWeight: number;
}
interface Expansion {
  opts: Map<number, number>;
  weight: number;
  split: [number, number] | undefined;
}

const collator = new Intl.Collator('vi', { sensitivity: 'base', numeric: true });

function problem(field: string, code: string, vi: string, en: string): SearchProblem {
  return { field, code, message: { vi, en } };
}

/** The 400 error for problems; `prefix` is put before field names (the HTTP layer uses `query.`). */
export function searchInputError(problems: SearchProblem[], prefix = ''): AppError {
  const details = problems.map((p) => ({ ...p, field: `${prefix}${p.field}` }));
  const first = details[0];
  return new AppError(
    'bad_request',
    'invalid_search',
    { vi: first ? first.message.vi : 'Yêu cầu tìm kiếm không hợp lệ', en: first ? first.message.en : 'Invalid search request' },
    { details, ...(first ? { field: first.field } : {}) },
  );
}

/** Optimal string alignment distance, giving up above `max`. */
function editDistance(a: string, b: string, max: number): number {
  const la = a.length;
  const lb = b.length;
  if (Math.abs(la - lb) > max) return max + 1;
  let prev2 = new Array<number>(lb + 1).fill(0);
  let prev = Array.from({ length: lb + 1 }, (_, j) => j);
  let cur = new Array<number>(lb + 1).fill(0);
  for (let i = 1; i <= la; i++) {
    cur[0] = i;
    let rowMin = i;
    for (let j = 1; j <= lb; j++) {
      const cost = a.charCodeAt(i - 1) === b.charCodeAt(j - 1) ? 0 : 1;
      let v = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + cost);
      if (i > 1 && j > 1 && a.charCodeAt(i - 1) === b.charCodeAt(j - 2) && a.charCodeAt(i - 2) === b.charCodeAt(j - 1)) v = Math.min(v, prev2[j - 2]! + 1);
      cur[j] = v;
      if (v < rowMin) rowMin = v;
    }
    if (rowMin > max) return max + 1;
    [prev2, prev, cur] = [prev, cur, prev2];
  }
  return prev[lb]!;
}

export function createSearchIndex(input: readonly SearchDoc[], opts: SearchIndexOptions = {}): SearchIndex {
  const t0 = performance.now();
  const syn: CompiledSynonyms = compileSynonyms(opts.synonyms ? parseSynonymList(opts.synonyms, '(synonyms option)') : defaultSynonyms());

  // Later duplicates of a code replace earlier ones; sorted by code, so that the same
  // procedures in any order build the same index.
  const byCode = new Map<string, SearchDoc>();
  for (const d of input) if (d && typeof d.code === 'string' && d.code.length > 0) byCode.set(d.code, d);
  const docs = [...byCode.values()].sort((a, b) => (a.code < b.code ? -1 : a.code > b.code ? 1 : 0));
  const N = docs.length;

  // --- words --------------------------------------------------------------------------
  const termIds = new Map<string, number>();
  const terms: string[] = [];
  const postingLists: number[][] = [];
  const postingWeights: number[][] = [];
  const termOf = (w: string): number => {
    let id = termIds.get(w);
    if (id === undefined) {
      id = terms.length;
      termIds.set(w, id);
      terms.push(w);
      postingLists.push([]);
      postingWeights.push([]);
    }
    return id;
  };
  const pieceCache = new Map<string, string[]>();
  const wordsOf = (text: string): string[] => {
    let w = pieceCache.get(text);
    if (!w) pieceCache.set(text, (w = searchWords(text)));
    return w;
  };

  const nameStart = new Int32Array(N + 1);
  const nameTerm: number[] = [];
  const nameFlag: number[] = [];
  const nameFrom: number[] = [];
  const nameTo: number[] = [];
  const otherStart = new Int32Array(N + 1);
  const otherTerm: number[] = [];
  const otherW: number[] = [];

  for (let d = 0; d < N; d++) {
    const doc = docs[d]!;
    const name = typeof doc.name === 'string' ? doc.name : '';
    nameStart[d] = nameTerm.length;
    const seen = new Map<number, number>(); // term → best field weight in this doc
    // Parenthesis depth at each offset.
    const paren = new Uint8Array(name.length);
    for (let i = 0, depth = 0; i < name.length; i++) {
      const c = name.charCodeAt(i);
      if (c === 40) depth++;
      paren[i] = depth > 0 ? 1 : 0;
      if (c === 41 && depth > 0) depth--;
    }
    for (const { word, start, end } of wordsWithOffsets(name, pieceCache)) {
      const t = termOf(word);
      nameTerm.push(t);
      nameFlag.push((FILLER.has(word) ? FLAG_FILLER : 0) | (paren[start] ? FLAG_PAREN : 0));
      nameFrom.push(start);
      nameTo.push(end);
      seen.set(t, W_NAME);
    }
    const other = new Map<number, number>();
    for (const v of doc.variantNames ?? []) if (typeof v === 'string') for (const w of wordsOf(v)) other.set(termOf(w), W_VARIANT);
    for (const w of wordsOf(typeof doc.field === 'string' ? doc.field : '')) {
      const t = termOf(w);
      if (!other.has(t)) other.set(t, W_FIELD);
    }
    otherStart[d] = otherTerm.length;
    for (const [t, w] of other) {
      otherTerm.push(t);
      otherW.push(w);
      if (!seen.has(t)) seen.set(t, w);
    }
    for (const [t, w] of seen) {
      postingLists[t]!.push(d);
      postingWeights[t]!.push(w);
    }
  }
  nameStart[N] = nameTerm.length;
  otherStart[N] = otherTerm.length;
  // Pairs of words that stand next to each other in some name (to split "hochieu").
  const bigrams = new Set<number>();
  const bigramKey = (a: number, b: number): number => a * terms.length + b;
  for (let d = 0; d < N; d++) for (let pos = nameStart[d]! + 1; pos < nameStart[d + 1]!; pos++) bigrams.add(bigramKey(nameTerm[pos - 1]!, nameTerm[pos]!));
  // Filler phrases, compared by word ids once every name is read.
  const fillerByFirst = new Map<number, number[][]>();
  for (const phrase of FILLER_PHRASES) {
    const ids = phrase.map((w) => termIds.get(w) ?? -1);
    if (ids.some((t) => t < 0)) continue;
    const l = fillerByFirst.get(ids[0]!);
    if (l) l.push(ids);
    else fillerByFirst.set(ids[0]!, [ids]);
  }
  for (let d = 0; d < N; d++) {
    const e = nameStart[d + 1]!;
    for (let pos = nameStart[d]!; pos < e; pos++) {
      const phrases = fillerByFirst.get(nameTerm[pos]!);
      if (!phrases) continue;
      for (const ids of phrases) {
        if (pos + ids.length > e) continue;
        let ok = true;
        for (let j = 1; j < ids.length && ok; j++) ok = nameTerm[pos + j] === ids[j];
        if (ok) for (let j = 0; j < ids.length; j++) nameFlag[pos + j]! |= FLAG_FILLER;
      }
    }
  }
  const nameTermA = Int32Array.from(nameTerm);
  const nameFlagA = Uint8Array.from(nameFlag);
  const nameFromA = Int32Array.from(nameFrom);
  const nameToA = Int32Array.from(nameTo);
  const otherTermA = Int32Array.from(otherTerm);
  const otherWA = Float32Array.from(otherW);
  const V = terms.length;
  const postings = postingLists.map((l) => Int32Array.from(l));
  /** Where the word is in each procedure of its postings: name 1, other names 0.9, field 0.45 (as float32, like otherW). */
  const postingW = postingWeights.map((l) => Float32Array.from(l));
  // Build-time lists captured by closures: emptied so the index does not keep them.
  postingLists.length = 0;
  postingWeights.length = 0;
  pieceCache.clear();
  const idf = new Float64Array(V);
  for (let t = 0; t < V; t++) {
    const df = postings[t]!.length;
    idf[t] = Math.log(1 + (N - df + 0.5) / (df + 0.5));
  }
  const rareIdf = Math.log(1 + (Math.max(N, 1) - 0.5) / 1.5);

  // Vocabulary lookups for words the catalogue does not contain.
  const sortedTerms = terms.map((w, id) => ({ w, id })).sort((a, b) => (a.w < b.w ? -1 : a.w > b.w ? 1 : 0));
  const byLength = new Map<number, number[]>();
  const bySound = new Map<string, number[]>();
  for (let t = 0; t < V; t++) {
    const w = terms[t]!;
    let l = byLength.get(w.length);
    if (!l) byLength.set(w.length, (l = []));
    l.push(t);
    const k = soundKey(w);
    let s = bySound.get(k);
    if (!s) bySound.set(k, (s = []));
    s.push(t);
  }

  // --- facets -------------------------------------------------------------------------
  const facetValues: Record<FacetName, string[]> = { level: [], field: [], agency: [], onlineLevel: [], applicantType: [] };
  const facetIndex: Record<FacetName, Map<string, number>> = { level: new Map(), field: new Map(), agency: new Map(), onlineLevel: new Map(), applicantType: new Map() };
  const valueId = (f: FacetName, v: string): number => {
    let id = facetIndex[f].get(v);
    if (id === undefined) {
      id = facetValues[f].length;
      facetIndex[f].set(v, id);
      facetValues[f].push(v);
    }
    return id;
  };
  // The fixed vocabularies have ids even when no procedure uses them, so a chosen one is listed (with 0).
  for (const f of ['level', 'onlineLevel', 'applicantType'] as const) for (const v of KNOWN_FILTER_VALUES[f]) valueId(f, v);
  const strings = (a: unknown): string[] => (Array.isArray(a) ? [...new Set(a.filter((x): x is string => typeof x === 'string' && x.length > 0))] : []);
  // Facet values of each procedure, flat: values of procedure d are facetVals[f][facetStart[f][d] .. facetStart[f][d+1]).
  const facetStart = {} as Record<FacetName, Int32Array>;
  const facetVals = {} as Record<FacetName, Int32Array>;
  {
    const vals: Record<FacetName, number[]> = { level: [], field: [], agency: [], onlineLevel: [], applicantType: [] };
    for (const f of FACETS) facetStart[f] = new Int32Array(N + 1);
    docs.forEach((doc, d) => {
      for (const f of FACETS) facetStart[f][d] = vals[f].length;
      for (const v of strings(doc.levels)) vals.level.push(valueId('level', v));
      if (typeof doc.field === 'string' && doc.field.length > 0) vals.field.push(valueId('field', doc.field));
      for (const v of strings(doc.agencyCodes)) vals.agency.push(valueId('agency', v));
      if (typeof doc.onlineLevel === 'string' && doc.onlineLevel.length > 0) vals.onlineLevel.push(valueId('onlineLevel', doc.onlineLevel));
      for (const v of strings(doc.applicantTypes)) vals.applicantType.push(valueId('applicantType', v));
    });
    for (const f of FACETS) {
      facetStart[f][N] = vals[f].length;
      facetVals[f] = Int32Array.from(vals[f]);
    }
  }
  /** Alphabetical rank of each facet value, so facet lists sort without the collator. */
  const facetOrder = {} as Record<FacetName, Int32Array>;
  for (const f of FACETS) {
    facetOrder[f] = new Int32Array(facetValues[f].length);
    facetValues[f]
      .map((v, id) => ({ v, id }))
      .sort((a, b) => collator.compare(a.v, b.v) || (a.v < b.v ? -1 : a.v > b.v ? 1 : 0))
      .forEach((x, i) => (facetOrder[f][x.id] = i));
  }
  const fieldByNorm = new Map<string, number[]>();
  facetValues.field.forEach((v, id) => {
    const k = normaliseVietnamese(v);
    const l = fieldByNorm.get(k);
    if (l) l.push(id);
    else fieldByNorm.set(k, [id]);
  });

  // --- browse order and popularity ----------------------------------------------------
  const pop = docs.map((d) => (typeof d.popularity === 'number' && Number.isFinite(d.popularity) && d.popularity > 0 ? d.popularity : 0));
  const maxPop = Math.max(0, ...pop);
  const popNorm = Float64Array.from(pop, (p) => (maxPop > 0 ? Math.log1p(p) / Math.log1p(maxPop) : 0));
  const browse = Array.from({ length: N }, (_, i) => i).sort(
    (a, b) => pop[b]! - pop[a]! || collator.compare(docs[a]!.name ?? '', docs[b]!.name ?? '') || (docs[a]!.code < docs[b]!.code ? -1 : docs[a]!.code > docs[b]!.code ? 1 : 0),
  );
  const rank = new Int32Array(N);
  browse.forEach((d, i) => (rank[d] = i));
  const codeIndex = new Map<string, number>();
  docs.forEach((d, i) => codeIndex.set(d.code.trim().toLowerCase(), i));

  // --- query planning -----------------------------------------------------------------
  const expansionCache = new Map<string, Expansion>();
  function expand(w: string): Expansion {
    const cached = expansionCache.get(w);
    if (cached) return cached;
    const opts = new Map<number, number>();
    const put = (t: number, q: number): void => {
      if ((opts.get(t) ?? 0) < q) opts.set(t, q);
    };
    const known = termIds.get(w);
    let split: [number, number] | undefined;
    if (known !== undefined) {
      put(known, 1);
      for (const t of bySound.get(soundKey(w)) ?? []) put(t, Q_SOUND);
    } else {
      const L = w.length;
      if (L >= 3) {
        const max = L >= 7 ? 2 : 1;
        for (let l = L - max; l <= L + max; l++)
          for (const t of byLength.get(l) ?? []) {
            const dist = editDistance(w, terms[t]!, max);
            if (dist === 1) put(t, Q_FUZZY1);
            else if (dist === 2 && max === 2) put(t, Q_FUZZY2);
          }
      }
      if (L >= 2) {
        let lo = 0;
        let hi = sortedTerms.length;
        while (lo < hi) {
          const mid = (lo + hi) >> 1;
          if (sortedTerms[mid]!.w < w) lo = mid + 1;
          else hi = mid;
        }
        const pre: number[] = [];
        for (let i = lo; i < sortedTerms.length && sortedTerms[i]!.w.startsWith(w); i++) pre.push(sortedTerms[i]!.id);
        pre.sort((a, b) => postings[b]!.length - postings[a]!.length || a - b);
        // The shorter the beginning, the fewer (most frequent) words it stands for.
        for (const t of pre.slice(0, L === 2 ? 8 : L === 3 ? 16 : MAX_PREFIX_OPTIONS)) put(t, Q_PREFIX);
      }
      for (const t of bySound.get(soundKey(w)) ?? []) put(t, Q_SOUND);
      if (L >= 4) {
        let bestSplit: [number, number] | undefined;
        for (let i = 1; i < L; i++) {
          const a = termIds.get(foldWord(w.slice(0, i)));
          const b = termIds.get(foldWord(w.slice(i)));
          if (a === undefined || b === undefined) continue;
          if (bigrams.has(bigramKey(a, b))) {
            bestSplit = [a, b];
            break;
          }
          bestSplit ??= [a, b];
        }
        split = bestSplit;
      }
    }
    let weight = 0;
    if (known !== undefined) weight = idf[known]!;
    else if (opts.size > 0) {
      let s = 0;
      for (const t of opts.keys()) s += idf[t]!;
      weight = s / opts.size;
    }
    if (split) weight = Math.max(weight, idf[split[0]]! + idf[split[1]]!);
    const e: Expansion = { opts, weight, split };
    if (expansionCache.size > 5000) expansionCache.clear();
    expansionCache.set(w, e);
    return e;
  }

  function plan(words: string[]): Plan {
    const slots: Slot[] = [];
    const clauses: Clause[] = [];
    const exactSlot = (w: string, quality: number): number => {
      const t = termIds.get(w);
      slots.push({ opts: t === undefined ? new Map() : new Map([[t, quality]]), weight: t === undefined ? rareIdf : idf[t]! });
      return slots.length - 1;
    };
    const wordSlot = (w: string): number => {
      const e = expand(w);
      slots.push({ opts: e.opts, weight: e.weight > 0 ? e.weight : rareIdf });
      return slots.length - 1;
    };
    const citizenWeight = (ws: string[]): number => ws.reduce((s, w) => s + (termIds.has(w) ? idf[termIds.get(w)!]! : rareIdf), 0);
    let i = 0;
    while (i < words.length && clauses.length < MAX_CLAUSES) {
      let done = false;
      for (let L = Math.min(syn.maxWords, words.length - i); L >= 1 && !done; L--) {
        const phrase = words.slice(i, i + L);
        const key = phrase.join(' ');
        const means = syn.phrases.get(key);
        if (means) {
          // A phrase is recognised word for word, so its words (and its meanings') match exactly.
          const alts = [phrase.map((w) => exactSlot(w, 1)), ...means.map((m) => m.words.map((w) => exactSlot(w, m.quality)))];
          clauses.push({ words: key, alts, weight: citizenWeight(phrase), stop: false });
        } else if (syn.stop.has(key)) {
          clauses.push({ words: key, alts: [phrase.map((w) => exactSlot(w, 1))], weight: citizenWeight(phrase) * STOP_WEIGHT, stop: true });
        } else if (L === 1) {
          const e = expand(key);
          const alts = [[wordSlot(key)]];
          if (e.split) {
            slots.push({ opts: new Map([[e.split[0], 1]]), weight: idf[e.split[0]]! });
            slots.push({ opts: new Map([[e.split[1], 1]]), weight: idf[e.split[1]]! });
            alts.push([slots.length - 2, slots.length - 1]);
          }
          // A word that matches nothing in the catalogue is left out of the coverage.
          clauses.push({ words: key, alts, weight: e.opts.size > 0 || e.split ? e.weight : 0, stop: false });
        } else continue;
        i += L;
        done = true;
      }
    }
    // A query made only of stop words ("thủ tục") still searches for them.
    if (clauses.every((c) => c.stop)) {
      for (const c of clauses) {
        c.stop = false;
        c.weight /= STOP_WEIGHT;
      }
    }
    const totalWeight = clauses.reduce((s, c) => s + c.weight, 0);
    return { slots, clauses, totalWeight };
  }

  // --- scoring ------------------------------------------------------------------------
  // Per-query scratch: term → list of [slot, quality] pairs.
  const entryOf = new Int32Array(V).fill(-1);
  const mark = new Uint8Array(N);

  /** Procedures found by a query (any order), with their coverage. */
  interface Found {
    docs: Int32Array;
    cov: Float64Array;
  }

  function withPlan<T>(p: Plan, body: (entries: number[][]) => T): T {
    const entries: number[][] = [];
    const touched: number[] = [];
    p.slots.forEach((s, si) => {
      for (const [t, q] of s.opts) {
        let e = entryOf[t]!;
        if (e < 0) {
          e = entries.length;
          entries.push([]);
          entryOf[t] = e;
          touched.push(t);
        }
        entries[e]!.push(si, q);
      }
    });
    try {
      return body(entries);
    } finally {
      for (const t of touched) entryOf[t] = -1;
    }
  }

  /** The ranking formula. With adjacency 1 and no extra word it is the highest score a coverage can have. */
  function combine(cov: number, adjacency: number, extra: number, d: number): number {
    return ((cov * cov * (1 + ADJACENCY_BONUS * adjacency)) / (1 + EXTRA_WORD_PENALTY * extra)) * (1 + POPULARITY_BONUS * popNorm[d]!);
  }

  /** Coverage, extra words and adjacency of one procedure; fills `matched` (name positions) when given. */
  function scoreDoc(p: Plan, entries: number[][], d: number, best: Float64Array, win: Uint8Array, matched?: Uint8Array, explaining = false, coverageOnly = false): ScoreParts {
    best.fill(0);
    win.fill(0);
    const s = nameStart[d]!;
    const e = nameStart[d + 1]!;
    // 1. How well each slot is matched (name, then other names and field).
    for (let pos = s; pos < e; pos++) {
      const en = entryOf[nameTermA[pos]!]!;
      if (en < 0) continue;
      const list = entries[en]!;
      for (let k = 0; k < list.length; k += 2) {
        const slot = list[k]!;
        const q = list[k + 1]!;
        if (best[slot]! < q) best[slot] = q;
      }
    }
    for (let o = otherStart[d]!; o < otherStart[d + 1]!; o++) {
      const en = entryOf[otherTermA[o]!]!;
      if (en < 0) continue;
      const w = otherWA[o]!;
      const list = entries[en]!;
      for (let k = 0; k < list.length; k += 2) {
        const slot = list[k]!;
        const q = list[k + 1]! * w;
        if (best[slot]! < q) best[slot] = q;
      }
    }
    // 2. Each clause takes its best alternative; coverage is the weighted sum.
    let sum = 0;
    let contentClauses = 0;
    const values: number[] | undefined = explaining ? [] : undefined;
    for (const c of p.clauses) {
      let m = 0;
      let winner: number[] | undefined;
      if (c.weight > 0) {
        if (!c.stop) contentClauses++;
        for (const alt of c.alts) {
          let v: number;
          if (alt.length === 1) v = best[alt[0]!]!;
          else {
            let num = 0;
            let den = 0;
            let missing = false;
            for (const sl of alt) {
              const w = p.slots[sl]!.weight;
              num += w * best[sl]!;
              den += w;
              if (best[sl] === 0) missing = true;
            }
            v = den > 0 ? num / den : 0;
            if (!missing) v *= phraseFactor(p, alt, s, e);
          }
          if (v > m) {
            m = v;
            winner = alt;
          }
        }
        if (winner) for (const sl of winner) win[sl] = 1;
      }
      sum += c.weight * m;
      values?.push(m);
    }
    if (coverageOnly) return { clauses: [], coverage: p.totalWeight > 0 ? sum / p.totalWeight : 0, extraWords: 0, adjacency: 0, score: Number.NaN, result: false };
    // 3. The name's words matched by the winning alternatives: extra words and adjacency.
    let extra = 0;
    let matchedCount = 0;
    let pairs = 0;
    let prevMatched = false;
    for (let pos = s; pos < e; pos++) {
      const en = entryOf[nameTermA[pos]!]!;
      let hit = false;
      if (en >= 0) {
        const list = entries[en]!;
        for (let k = 0; k < list.length && !hit; k += 2) hit = win[list[k]!] === 1;
      }
      if (hit) {
        matchedCount++;
        if (prevMatched) pairs++;
        if (matched) matched[pos - s] = 1;
      } else if ((nameFlagA[pos]! & FLAG_FILLER) === 0) extra += nameFlagA[pos]! & FLAG_PAREN ? 0.5 : 1;
      prevMatched = hit;
    }
    const cov = p.totalWeight > 0 ? sum / p.totalWeight : 0;
    const adjacency = matchedCount > 1 ? pairs / (matchedCount - 1) : contentClauses <= 1 ? 1 : 0;
    const score = combine(cov, adjacency, extra, d);
    const clauses = values ? p.clauses.map((c, i) => ({ words: c.words, weight: c.weight, value: values[i]!, stop: c.stop })) : [];
    return { clauses, coverage: cov, extraWords: extra, adjacency, score, result: false };
  }

  /** 1 when the phrase stands in the name as written, a little less with a word or two inserted, 0.85 otherwise. */
  function phraseFactor(p: Plan, alt: number[], s: number, e: number): number {
    const k = alt.length;
    let bestGap = Infinity;
    for (let pos = s; pos < e && bestGap > 0; pos++) {
      if (!p.slots[alt[0]!]!.opts.has(nameTermA[pos]!)) continue;
      let at = pos;
      let gap = 0;
      let j = 1;
      for (; j < k; j++) {
        let next = at + 1;
        while (next < e && next - at <= 3 && !p.slots[alt[j]!]!.opts.has(nameTermA[next]!)) next++;
        if (next >= e || next - at > 3) break;
        gap += next - at - 1;
        at = next;
      }
      if (j === k && gap < bestGap) bestGap = gap;
    }
    return bestGap === 0 ? 1 : bestGap === 1 ? NEAR_PHRASE : bestGap <= 4 ? LOOSE_PHRASE : SCATTERED_PHRASE;
  }

  /** Per-query scratch for candidate generation. */
  const upper = new Float64Array(N);
  const clauseBest = new Float64Array(N);

  /**
   * Every procedure the query finds (before filters), with its coverage. Candidates get
   * an upper bound of their coverage from the postings (each clause at the best quality
   * of any of its words present); only those whose bound can reach 60 % of the best
   * coverage found are looked at.
   */
  function run(p: Plan): Found {
    return withPlan(p, (entries) => {
      const candidates: number[] = [];
      const touchedAll: number[] = [];
      const anyContent = p.clauses.some((c) => !c.stop && c.weight > 0);
      // When every alternative is a single word, the sums below are the coverage itself
      // (same terms, same order of additions as scoreDoc); otherwise they bound it.
      const exact = p.clauses.every((c) => c.weight === 0 || c.alts.every((a) => a.length === 1));
      let fixed = 0; // stop words of an inexact plan: counted as matched in every bound
      const touched: number[] = [];
      for (const c of p.clauses) {
        if (c.weight === 0) continue;
        const stopOnly = anyContent && c.stop;
        if (stopOnly && !exact) {
          fixed += c.weight;
          continue;
        }
        for (const alt of c.alts)
          for (const sl of alt)
            for (const [t, q] of p.slots[sl]!.opts) {
              const list = postings[t]!;
              const ws = postingW[t]!;
              for (let i = 0; i < list.length; i++) {
                const d = list[i]!;
                const prev = clauseBest[d]!;
                if (prev === 0) touched.push(d);
                const v = q * ws[i]!;
                if (v > prev) clauseBest[d] = v;
              }
            }
        for (const d of touched) {
          if (mark[d] === 0) {
            mark[d] = 1;
            touchedAll.push(d);
          }
          if (!stopOnly && mark[d] === 1) {
            mark[d] = 2;
            candidates.push(d);
          }
          upper[d] = upper[d]! + c.weight * clauseBest[d]!;
          clauseBest[d] = 0;
        }
        touched.length = 0;
      }
      const total = p.totalWeight > 0 ? p.totalWeight : 1;
      const bound = new Float64Array(candidates.length);
      let maxBound = 0;
      for (let i = 0; i < candidates.length; i++) {
        const d = candidates[i]!;
        bound[i] = exact ? upper[d]! / total : (upper[d]! + fixed) / total;
        if (bound[i]! > maxBound) maxBound = bound[i]!;
      }
      for (const d of touchedAll) {
        upper[d] = 0;
        mark[d] = 0;
      }
      let cov: Float64Array;
      let bestCov = 0;
      if (exact) {
        cov = bound;
        bestCov = maxBound;
      } else {
        const best = new Float64Array(p.slots.length);
        const win = new Uint8Array(p.slots.length);
        cov = new Float64Array(candidates.length).fill(-1);
        const coverAbove = (bar: number): void => {
          for (let i = 0; i < candidates.length; i++) {
            if (cov[i]! >= 0 || bound[i]! < bar) continue;
            const c = scoreDoc(p, entries, candidates[i]!, best, win, undefined, false, true).coverage;
            cov[i] = c;
            if (c > bestCov) bestCov = c;
          }
        };
        coverAbove(0.8 * maxBound);
        coverAbove(KEEP_RATIO * bestCov - 1e-12);
      }
      const keep: number[] = [];
      for (let i = 0; i < candidates.length; i++) if (cov[i]! > 0 && cov[i]! >= KEEP_RATIO * bestCov - 1e-12) keep.push(i);
      return { docs: Int32Array.from(keep, (i) => candidates[i]!), cov: Float64Array.from(keep, (i) => cov[i]!) };
    });
  }

  /** Orders by score, then popularity, then name. */
  const before = (sa: number, da: number, sb: number, db: number): boolean => sa > sb || (sa === sb && (pop[da]! > pop[db]! || (pop[da] === pop[db] && rank[da]! < rank[db]!)));

  /**
   * The first `k` of the found procedures (indices into `found`), best first, with their
   * scores. A procedure's score is at most combine(coverage, 1, 0): procedures are scored
   * in the order of that bound until it falls below the k-th score.
   */
  function rankTop(p: Plan, found: Found, picks: number[], k: number): { picks: number[]; scores: number[] } {
    const ub = picks.map((i) => combine(found.cov[i]!, 1, 0, found.docs[i]!));
    const order = picks.map((_, j) => j).sort((a, b) => ub[b]! - ub[a]! || a - b);
    const top: Array<{ i: number; d: number; score: number }> = [];
    withPlan(p, (entries) => {
      const best = new Float64Array(p.slots.length);
      const win = new Uint8Array(p.slots.length);
      for (const j of order) {
        if (top.length >= k && ub[j]! < top[k - 1]!.score) break;
        const i = picks[j]!;
        const d = found.docs[i]!;
        const score = scoreDoc(p, entries, d, best, win).score;
        if (top.length >= k && !before(score, d, top[k - 1]!.score, top[k - 1]!.d)) continue;
        let at = top.length;
        while (at > 0 && before(score, d, top[at - 1]!.score, top[at - 1]!.d)) at--;
        top.splice(at, 0, { i, d, score });
        if (top.length > k) top.pop();
      }
    });
    return { picks: top.map((x) => x.i), scores: top.map((x) => x.score) };
  }

  function highlights(p: Plan, d: number): Array<[number, number]> {
    const s = nameStart[d]!;
    const e = nameStart[d + 1]!;
    const matched = new Uint8Array(e - s);
    withPlan(p, (entries) => scoreDoc(p, entries, d, new Float64Array(p.slots.length), new Uint8Array(p.slots.length), matched));
    const out: Array<[number, number]> = [];
    for (let pos = s; pos < e; pos++) {
      if (!matched[pos - s]) continue;
      const from = nameFromA[pos]!;
      const to = nameToA[pos]!;
      const last = out[out.length - 1];
      if (last && matched[pos - s - 1] && from >= last[0]) last[1] = Math.max(last[1], to);
      else if (!last || from >= last[1]) out.push([from, to]);
    }
    return out;
  }

  // --- filters ------------------------------------------------------------------------
  const listOf = (v: unknown): unknown[] => (v === undefined || v === null ? [] : Array.isArray(v) ? v : [v]);

  function resolveFilters(filters: unknown, problems: SearchProblem[]): Map<FacetName, Set<number>> {
    const out = new Map<FacetName, Set<number>>();
    if (filters === undefined || filters === null) return out;
    if (typeof filters !== 'object' || Array.isArray(filters)) {
      problems.push(problem('filters', 'invalid_type', 'Bộ lọc phải là một đối tượng', 'Filters must be an object'));
      return out;
    }
    for (const [key, raw] of Object.entries(filters as Record<string, unknown>)) {
      if (!(FACETS as readonly string[]).includes(key)) {
        problems.push(problem(key, 'unknown_filter', `Không có bộ lọc "${key}" (có: ${FACETS.join(', ')})`, `There is no filter "${key}" (filters: ${FACETS.join(', ')})`));
        continue;
      }
      const f = key as FacetName;
      const ids = new Set<number>();
      let any = false;
      for (const v of listOf(raw)) {
        if (typeof v !== 'string') {
          problems.push(problem(f, 'invalid_type', `Giá trị của bộ lọc ${f} phải là chuỗi`, `Values of the filter ${f} must be strings`));
          continue;
        }
        const value = v.trim();
        if (value.length === 0) continue;
        any = true;
        if (value.length > 200) {
          problems.push(problem(f, 'unknown_filter_value', `Giá trị quá dài cho bộ lọc ${f}`, `Value too long for the filter ${f}`));
          continue;
        }
        let found: number[] = [];
        let known = false;
        if (f === 'field') found = fieldByNorm.get(normaliseVietnamese(value)) ?? [];
        else if (f === 'agency') {
          const lc = value.toLowerCase();
          facetValues.agency.forEach((a, id) => a.toLowerCase() === lc && found.push(id));
        } else {
          const lc = value.toLowerCase();
          facetValues[f].forEach((a, id) => a.toLowerCase() === lc && found.push(id));
          known = (KNOWN_FILTER_VALUES[f] as readonly string[]).includes(lc);
        }
        if (found.length === 0 && !known) {
          const shown = JSON.stringify(value.length > 60 ? `${value.slice(0, 60)}…` : value);
          const allowed =
            f === 'field' || f === 'agency'
              ? ''
              : ` (${[...new Set([...KNOWN_FILTER_VALUES[f], ...facetValues[f]])].join(', ')})`;
          const what = { level: ['cấp thực hiện', 'level'], field: ['lĩnh vực', 'field'], agency: ['cơ quan', 'agency'], onlineLevel: ['mức độ trực tuyến', 'online level'], applicantType: ['đối tượng thực hiện', 'applicant type'] }[f];
          problems.push(
            problem(f, 'unknown_filter_value', `Không có ${what[0]} ${shown} (bộ lọc ${f})${allowed}`, `Unknown ${what[1]} ${shown} (filter ${f})${allowed}`),
          );
          continue;
        }
        for (const id of found) ids.add(id);
        if (found.length === 0) ids.add(-1); // a known value no procedure has: matches nothing
      }
      if (any) out.set(f, ids);
    }
    return out;
  }

  function validateAll(query: SearchQuery): { problems: SearchProblem[]; filters: Map<FacetName, Set<number>>; limit: number; offset: number; q: string } {
    const problems: SearchProblem[] = [];
    let q = '';
    if (query === null || typeof query !== 'object') {
      problems.push(problem('q', 'invalid_type', 'Yêu cầu tìm kiếm không hợp lệ', 'Invalid search request'));
      return { problems, filters: new Map(), limit: DEFAULT_LIMIT, offset: 0, q };
    }
    const rawQ: unknown = query.q;
    if (rawQ !== undefined && rawQ !== null) {
      if (typeof rawQ !== 'string') problems.push(problem('q', 'invalid_type', 'Từ khóa tìm kiếm (q) phải là một chuỗi', 'The search text (q) must be a string'));
      else {
        let chars = 0;
        for (const _ of rawQ) if (++chars > MAX_QUERY_CHARS) break;
        if (chars > MAX_QUERY_CHARS)
          problems.push(
            problem('q', 'too_long', `Từ khóa tìm kiếm (q) dài quá ${MAX_QUERY_CHARS} ký tự; hãy nhập ngắn gọn hơn`, `The search text (q) is longer than ${MAX_QUERY_CHARS} characters; please shorten it`),
          );
        else q = rawQ;
      }
    }
    const int = (name: 'limit' | 'offset', v: unknown, min: number, max: number, dflt: number): number => {
      if (v === undefined || v === null) return dflt;
      if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max) {
        problems.push(problem(name, 'out_of_range', `${name} phải là số nguyên từ ${min} đến ${max}`, `${name} must be an integer from ${min} to ${max}`));
        return dflt;
      }
      return v;
    };
    const limit = int('limit', query.limit, 1, MAX_LIMIT, DEFAULT_LIMIT);
    const offset = int('offset', query.offset, 0, MAX_OFFSET, 0);
    const filters = resolveFilters(query.filters, problems);
    return { problems, filters, limit, offset, q };
  }

  const browseFound: Found = { docs: Int32Array.from(browse), cov: new Float64Array(N) };

  function search(query: SearchQuery): SearchResult {
    const v = validateAll(query);
    if (v.problems.length > 0) throw searchInputError(v.problems);
    let found: Found;
    let p: Plan | undefined;
    const codeHit = codeIndex.get(v.q.trim().toLowerCase());
    const words = searchWords(v.q);
    if (codeHit !== undefined && /\d/.test(v.q)) found = { docs: Int32Array.of(codeHit), cov: Float64Array.of(1) };
    else if (words.length === 0) found = browseFound; // in browse order
    else {
      p = plan(words);
      found = run(p);
    }
    // Filters, and facet counts where each facet ignores its own filter.
    const active = FACETS.filter((f) => v.filters.has(f));
    const masks = active.map((f) => {
      const m = new Uint8Array(facetValues[f].length);
      for (const id of v.filters.get(f)!) if (id >= 0) m[id] = 1;
      return m;
    });
    const counts = {} as Record<FacetName, Int32Array>;
    for (const f of FACETS) counts[f] = new Int32Array(facetValues[f].length);
    const bump = (f: FacetName, d: number): void => {
      const c = counts[f];
      const vals = facetVals[f];
      for (let i = facetStart[f][d]!, e = facetStart[f][d + 1]!; i < e; i++) c[vals[i]!]!++;
    };
    const results: number[] = [];
    for (let k = 0; k < found.docs.length; k++) {
      const d = found.docs[k]!;
      let failed = -1;
      let failures = 0;
      for (let a = 0; a < active.length && failures < 2; a++) {
        const f = active[a]!;
        const m = masks[a]!;
        const vals = facetVals[f];
        let ok = false;
        for (let i = facetStart[f][d]!, e = facetStart[f][d + 1]!; i < e && !ok; i++) ok = m[vals[i]!] === 1;
        if (!ok) {
          failures++;
          failed = a;
        }
      }
      if (failures === 0) {
        results.push(k);
        for (const f of FACETS) bump(f, d);
      } else if (failures === 1) bump(active[failed]!, d);
    }
    const facets = {} as Record<FacetName, FacetCounts>;
    for (const f of FACETS) {
      const chosen = v.filters.get(f);
      const ids: number[] = [];
      counts[f].forEach((n, id) => (n > 0 || chosen?.has(id)) && ids.push(id));
      ids.sort((a, b) => counts[f][b]! - counts[f][a]! || facetOrder[f][a]! - facetOrder[f][b]!);
      const out: FacetCounts = {};
      for (const id of ids) out[facetValues[f][id]!] = counts[f][id]!;
      facets[f] = out;
    }
    let items: SearchHit[];
    if (!p) items = results.slice(v.offset, v.offset + v.limit).map((k) => ({ code: docs[found.docs[k]!]!.code, score: found === browseFound ? 0 : 1, highlights: [] }));
    else {
      const top = rankTop(p, found, results, v.offset + v.limit);
      items = top.picks.slice(v.offset).map((k, j) => {
        const d = found.docs[k]!;
        return { code: docs[d]!.code, score: Math.round(top.scores[v.offset + j]! * 10_000) / 10_000, highlights: highlights(p, d) };
      });
    }
    return { total: results.length, items, facets };
  }

  function explain(q: string, code: string): ScoreParts | undefined {
    const d = docs.findIndex((x) => x.code === code);
    const words = searchWords(q);
    if (d < 0 || words.length === 0) return undefined;
    const p = plan(words);
    const parts = withPlan(p, (entries) => scoreDoc(p, entries, d, new Float64Array(p.slots.length), new Uint8Array(p.slots.length), undefined, true));
    parts.result = run(p).docs.includes(d);
    return parts;
  }

  const buildMs = performance.now() - t0;
  return {
    size: N,
    buildMs,
    vocabularySize: V,
    validate: (query) => validateAll(query).problems,
    search,
    explain,
  };
}
