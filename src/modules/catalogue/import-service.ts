/**
 * Importing a catalogue: procedures parsed from a file go into the catalogue in ONE
 * transaction (nothing is half-imported). A procedure seen before is updated in place
 * when only its wording changed, and gets a new catalogue version when its deadline,
 * fees, documents or cases changed: dossiers keep the version they were submitted under.
 */
import type { Database, Queryable } from '../../db/database.ts';
import { canonicalize } from '../../shared/canonical-json.ts';
import { appendAudit } from '../audit/index.ts';
import { enqueue } from '../outbox/index.ts';
import { saveOffering } from './offering-store.ts';
import type { Procedure } from './types.ts';

export type ImportedProcedure = Omit<Procedure, 'version'>;

export interface ImportItem {
  procedure: ImportedProcedure;
  /** Line (or row) of the file it came from. */
  line: number;
  /** What could not be parsed, kept for the report. */
  problems: { part: string; message: { vi: string; en: string }; excerpt?: string }[];
}

export interface ImportOptions {
  /** Where the procedures come from, e.g. `national:procedures.jsonl`. */
  source: string;
  actorSub: string;
  now: Date;
  /** The agencies to offer a newly imported procedure at (the demo offers everything); none by default. */
  offerAt?: (p: ImportedProcedure) => string[];
  /** Called after each procedure, for a progress bar. */
  onProgress?: (done: number, total: number) => void;
}

export interface ImportSummary {
  created: number;
  /** Changed in wording only: updated in place. */
  updated: number;
  /** Changed in deadline, fees, documents or cases: a new catalogue version. */
  versioned: number;
  unchanged: number;
  /** Malformed lines, reported by the parser and not imported. */
  skipped: number;
  offered: number;
  importId: string;
}

/** The parts whose change makes a new catalogue version (what a dossier's deadline, fees and documents depend on). */
export function materialPart(p: Pick<Procedure, 'legalProcessingDays' | 'fees' | 'requiredDocuments'> & { variants?: unknown; channels?: unknown }): string {
  return canonicalize([p.legalProcessingDays, p.fees, p.requiredDocuments, p.variants ?? null, p.channels ?? null]);
}

async function currentOf(q: Queryable, code: string): Promise<Procedure | undefined> {
  const r = await q.query<{ data: Procedure }>('SELECT data FROM procedures WHERE code = $1 AND is_current FOR UPDATE', [code]);
  return r.rows[0]?.data;
}

async function insertVersion(q: Queryable, p: ImportedProcedure, version: number, source: string): Promise<void> {
  await q.query(
    `INSERT INTO procedures (code, version, is_current, name, field, level, online_level, legal_processing_days, workflow_id, workflow_version, data, source)
     VALUES ($1, $2, true, $3, $4, $5, $6, $7, $8, $9, $10, $11)`,
    [p.code, version, p.name, p.field, p.level, p.onlineLevel, p.legalProcessingDays, p.workflow.id, p.workflow.version, JSON.stringify({ ...p, version }), source],
  );
}

export async function importCatalogue(db: Database, items: readonly ImportItem[], skipped: number, opts: ImportOptions): Promise<ImportSummary> {
  return db.transaction(async (tx) => {
    const s = { created: 0, updated: 0, versioned: 0, unchanged: 0, offered: 0 };
    const seen = new Set<string>();
    let done = 0;
    for (const item of items) {
      const p = item.procedure;
      if (seen.has(p.code)) throw new Error(`procedure ${p.code} appears twice in the file (line ${item.line})`);
      seen.add(p.code);
      const cur = await currentOf(tx, p.code);
      if (cur === undefined) {
        await insertVersion(tx, p, 1, opts.source);
        s.created++;
        for (const agencyCode of opts.offerAt?.(p) ?? []) {
          await saveOffering(
            tx,
            { procedureCode: p.code, agencyCode, onlineLevel: p.onlineLevel, onlineLevelReason: p.onlineLevelReason ?? (p.onlineLevel === 'partial' ? 'Theo danh mục thủ tục hành chính quốc gia' : undefined), active: true },
            opts.actorSub,
          );
          s.offered++;
        }
      } else {
        // A hand-made eForm stays: an import never replaces it with a generated one.
        const next: ImportedProcedure = cur.form.schema.$id !== undefined && !String(cur.form.schema.$id).endsWith(':generated') ? { ...p, form: cur.form } : p;
        // Canonical JSON: the database (jsonb) does not keep the order of keys.
        if (canonicalize({ ...cur, version: 0 }) === canonicalize({ ...next, version: 0 })) {
          s.unchanged++;
        } else if (materialPart(cur) !== materialPart(next)) {
          await tx.query('UPDATE procedures SET is_current = false WHERE code = $1 AND is_current', [p.code]);
          await insertVersion(tx, next, cur.version + 1, opts.source);
          s.versioned++;
        } else {
          await tx.query(
            `UPDATE procedures SET name = $3, field = $4, level = $5, online_level = $6, data = $7, source = $8 WHERE code = $1 AND version = $2`,
            [p.code, cur.version, next.name, next.field, next.level, next.onlineLevel, JSON.stringify({ ...next, version: cur.version }), opts.source],
          );
          s.updated++;
        }
      }
      opts.onProgress?.(++done, items.length);
    }
    const report = items.filter((i) => i.problems.length > 0).map((i) => ({ code: i.procedure.code, line: i.line, problems: i.problems }));
    const r = await tx.query<{ id: string }>(
      `INSERT INTO catalogue_imports (source, started_at, finished_at, actor_sub, created, updated, unchanged, skipped, report)
       VALUES ($1, $2, now(), $3, $4, $5, $6, $7, $8::jsonb) RETURNING id::text AS id`,
      [opts.source, opts.now, opts.actorSub, s.created, s.updated + s.versioned, s.unchanged, skipped, JSON.stringify(report)],
    );
    const importId = r.rows[0]!.id;
    const summary: ImportSummary = { ...s, skipped, importId };
    await appendAudit(tx, { actorSub: opts.actorSub, actorRoles: ['admin'], action: 'catalogue.import', entityType: 'catalogue_import', entityId: importId, before: null, after: { source: opts.source, ...summary }, at: opts.now });
    await enqueue(tx, [{ topic: 'catalogue.imported', key: importId, payload: { source: opts.source, ...summary } }]);
    return summary;
  });
}
