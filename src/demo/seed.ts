import type { Database } from '../db/database.ts';
import { loadDemoCatalogue } from '../modules/catalogue/index.ts';
import { saveAgency, saveProcedureVersion } from '../modules/catalogue/index.ts';
import { saveOffering } from '../modules/catalogue/index.ts';
import { DEFINITIONS } from '../modules/workflow/index.ts';

/**
 * MOTCUA_DEMO=1: the demo agencies, the five demo procedures and the workflow
 * definitions, loaded into an empty database in one transaction (a database that
 * already has procedures is left as it is). The demo accounts live in the sandbox
 * identity provider.
 */
export async function seedDemo(db: Database): Promise<{ seeded: boolean; procedures: number }> {
  // Checked first: loading the demo catalogue compiles its eForms (a third of a second at every start).
  const before = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM procedures');
  if ((before.rows[0]?.n ?? 0) > 0) return { seeded: false, procedures: 0 };
  const { agencies, procedures } = loadDemoCatalogue();
  return db.transaction(async (tx) => {
    const has = await tx.query<{ n: number }>('SELECT count(*)::int AS n FROM procedures');
    if ((has.rows[0]?.n ?? 0) > 0) return { seeded: false, procedures: 0 };
    await saveWorkflowDefinitions(tx);
    // Parents first, so each agency's parent exists when it is inserted.
    const byCode = new Map(agencies.map((a) => [a.code, a]));
    const done = new Set<string>();
    const visit = async (code: string): Promise<void> => {
      const a = byCode.get(code);
      if (!a || done.has(code)) return;
      done.add(code);
      if (a.parentCode) await visit(a.parentCode);
      await saveAgency(tx, a);
    };
    for (const a of agencies) await visit(a.code);
    for (const p of procedures) {
      await saveProcedureVersion(tx, p);
      // The demo offers each procedure where its catalogue entry says it is received.
      for (const agencyCode of p.receivingAgencyCodes ?? []) {
        await saveOffering(
          tx,
          { procedureCode: p.code, agencyCode, onlineLevel: p.onlineLevel, onlineLevelReason: p.onlineLevelReason ?? (p.onlineLevel === 'partial' ? 'Theo danh mục quốc gia' : undefined), active: true },
          'system:demo',
        );
      }
    }
    return { seeded: true, procedures: procedures.length };
  });
}

export async function saveWorkflowDefinitions(tx: Pick<Database, 'query'>): Promise<void> {
  for (const def of DEFINITIONS) {
    await tx.query(
      `INSERT INTO workflow_definitions (id, version, definition) VALUES ($1, $2, $3) ON CONFLICT (id, version) DO NOTHING`,
      [def.id, def.version, JSON.stringify(def)],
    );
  }
}
