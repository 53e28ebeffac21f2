/**
 * Searching the offered procedures: the in-process index of ./search (same results on
 * PGlite and PostgreSQL by construction), loaded from the catalogue and the offerings,
 * rebuilt when this process changes the catalogue and, for changes made by another
 * process (an import from the command line), when the catalogue's fingerprint moves.
 */
import type { Database } from '../../db/database.ts';
import { searchInputError, type SearchDoc, type SearchQuery } from './search/index.ts';
import { createLiveSearch } from './search/live.ts';

export interface ProcedureSummary {
  code: string;
  version: number;
  name: string;
  field: string;
  level: string;
  onlineLevel: string;
  legalProcessingDays: number;
  agencyCodes: string[];
}

/** How often another process's change is looked for. */
const FINGERPRINT_EVERY_MS = 3000;

/**
 * `popularity` says how many dossiers each procedure had in the last year (a search ranks
 * the more used first); the dossiers module answers it, given by the composition root.
 */
export function createProcedureSearch(db: Database, opts: { popularity?: () => Promise<Map<string, number>> } = {}) {
  const summaries = new Map<string, ProcedureSummary>();
  let fingerprint = '';
  let checkedAt = 0;

  async function currentFingerprint(): Promise<string> {
    const r = await db.query<{ f: string }>(
      `SELECT concat_ws('/', (SELECT count(*) FROM procedures WHERE is_current), (SELECT max(created_at) FROM procedures),
         (SELECT count(*) FROM procedure_offerings), (SELECT max(updated_at) FROM procedure_offerings),
         (SELECT coalesce(max(id), 0) FROM catalogue_imports)) AS f`,
    );
    return r.rows[0]?.f ?? '';
  }

  async function load(): Promise<SearchDoc[]> {
    fingerprint = await currentFingerprint();
    checkedAt = Date.now();
    const r = await db.query<{
      code: string; version: number; name: string; field: string; level: string; levels: string[] | null; applicant_types: string[] | null;
      legal_processing_days: number; agency_codes: string[]; online_levels: string[];
    }>(
      `SELECT p.code, p.version, p.name, p.field, p.level, p.legal_processing_days,
              ARRAY(SELECT jsonb_array_elements_text(coalesce(p.data->'levels', '[]'::jsonb))) AS levels,
              ARRAY(SELECT jsonb_array_elements_text(coalesce(p.data->'applicantTypes', '[]'::jsonb))) AS applicant_types,
              array_agg(o.agency_code ORDER BY o.agency_code) AS agency_codes,
              array_agg(DISTINCT o.online_level) AS online_levels
       FROM procedures p JOIN procedure_offerings o ON o.procedure_code = p.code AND o.active
       WHERE p.is_current
       GROUP BY p.code, p.version, p.name, p.field, p.level, p.legal_processing_days, p.data`,
    );
    const used = (await opts.popularity?.()) ?? new Map<string, number>();
    // Added to, never replaced: a search still running on the previous index must find its items.
    const next = summaries;
    const docs: SearchDoc[] = r.rows.map((x) => {
      const onlineLevel = x.online_levels.includes('full') ? 'full' : 'partial';
      next.set(x.code, { code: x.code, version: x.version, name: x.name, field: x.field, level: x.level, onlineLevel, legalProcessingDays: x.legal_processing_days, agencyCodes: x.agency_codes });
      return {
        code: x.code,
        name: x.name,
        field: x.field,
        levels: x.levels && x.levels.length > 0 ? x.levels : [x.level],
        applicantTypes: x.applicant_types ?? [],
        agencyCodes: x.agency_codes,
        onlineLevel,
        popularity: used.get(x.code) ?? 0,
      };
    });
    return docs;
  }

  const live = createLiveSearch(load);

  return {
    /** Offered procedures matching the query, best first, with the facet counts; AppError 400 naming the parameter on bad input. */
    async search(query: SearchQuery) {
      if (Date.now() - checkedAt > FINGERPRINT_EVERY_MS) {
        checkedAt = Date.now();
        if ((await currentFingerprint()) !== fingerprint) live.invalidate();
      }
      const index = await live.index();
      const problems = index.validate(query);
      if (problems.length > 0) throw searchInputError(problems, 'query.');
      const result = index.search(query);
      return {
        total: result.total,
        items: result.items.flatMap((h) => {
          const s = summaries.get(h.code);
          return s ? [{ ...s, score: h.score, highlights: h.highlights }] : [];
        }),
        facets: result.facets,
      };
    },
    /** The catalogue or an offering changed in this process. */
    invalidate: () => live.invalidate(),
  };
}
export type ProcedureSearch = ReturnType<typeof createProcedureSearch>;
