/**
 * What the search index is built from: a catalogue procedure, or (for tests and the
 * benchmark) a record of the national procedures database as published in the shared
 * development data. The real importer lives in ../import/; this small mapping only
 * serves the search's own tests.
 */
import { readFileSync } from 'node:fs';
import type { Procedure } from '../types.ts';
import { normaliseVietnamese } from './normalise.ts';
import type { SearchDoc } from './index.ts';

/** A catalogue procedure as the index sees it. */
export function searchDocFromProcedure(p: Procedure, extra: { popularity?: number; variantNames?: string[] } = {}): SearchDoc {
  return {
    code: p.code,
    name: p.name,
    field: p.field,
    levels: [p.level],
    applicantTypes: p.applicantTypes ?? [],
    agencyCodes: p.receivingAgencyCodes ?? [],
    onlineLevel: p.onlineLevel,
    ...(extra.variantNames ? { variantNames: extra.variantNames } : {}),
    ...(extra.popularity !== undefined ? { popularity: extra.popularity } : {}),
  };
}

/** The fields of a national database record the search uses (Vietnamese names as published). */
export interface NationalRecord {
  ma_thu_tuc: string;
  ten_thu_tuc: string;
  linh_vuc?: string;
  cap_thuc_hien?: string;
  doi_tuong_thuc_hien?: string;
  cach_thuc_thuc_hien?: string;
}

const LEVELS: Array<[string, string]> = [
  ['cap bo', 'ministry'],
  ['cap tinh', 'province'],
  ['cap xa', 'commune'],
  ['co quan khac', 'other'],
];

/**
 * Maps a national record: levels from "Cấp bộ, Cấp tỉnh, Cấp xã, Cơ quan khác";
 * applicants from doi_tuong_thuc_hien (people → citizen; enterprises and cooperatives →
 * business; other organisations → organisation); online level guessed from the channels
 * (an online channel and no counter: full; online and counter: partial; none: none).
 * The national data names agencies, not their codes, so agencyCodes stays empty.
 */
export function searchDocFromNational(r: NationalRecord): SearchDoc {
  const levelsText = normaliseVietnamese(r.cap_thuc_hien ?? '');
  const levels = LEVELS.filter(([k]) => levelsText.includes(k)).map(([, v]) => v);
  const who = normaliseVietnamese(r.doi_tuong_thuc_hien ?? '');
  const applicantTypes: string[] = [];
  if (/cong dan|nguoi nuoc ngoai|nguoi viet nam|can bo|dang vien/.test(who)) applicantTypes.push('citizen');
  if (/doanh nghiep|hop tac xa/.test(who.replace(/khong bao gom doanh nghiep/g, ''))) applicantTypes.push('business');
  if (/to chuc/.test(who)) applicantTypes.push('organisation');
  const channels = normaliseVietnamese(r.cach_thuc_thuc_hien ?? '');
  const online = channels.includes('truc tuyen');
  const counter = channels.includes('truc tiep');
  return {
    code: r.ma_thu_tuc,
    name: (r.ten_thu_tuc ?? '').replace(/\s+/g, ' ').trim(),
    field: (r.linh_vuc ?? '').trim(),
    levels,
    applicantTypes,
    agencyCodes: [],
    onlineLevel: online ? (counter ? 'partial' : 'full') : 'none',
  };
}

/** Reads a JSON-lines file of national records (e.g. ../shared/data/procedures/procedures.jsonl). */
export function loadNationalCatalogue(path: string | URL): SearchDoc[] {
  return readFileSync(path, 'utf8')
    .split('\n')
    .filter((l) => l.trim().length > 0)
    .map((l) => searchDocFromNational(JSON.parse(l) as NationalRecord));
}

/** Where the shared development data keeps the national catalogue (beside the repository). */
export const SHARED_CATALOGUE = new URL('../../../../../shared/data/procedures/procedures.jsonl', import.meta.url);
