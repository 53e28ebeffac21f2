/** What the apply pages read of the catalogue: the current procedure, its form, where it is received. */
import type { Queryable } from '../../db/database.ts';
import type { Procedure, ProcedureForm, ProcedureVariant } from '../../modules/catalogue/types.ts';
import { findCurrentProcedure } from '../../modules/catalogue/store.ts';
import { planSteps, type Step } from './form-model.ts';

export const PROCEDURE_CODE = /^[A-Za-z0-9._-]{1,40}$/;

export interface ReceivingAgency {
  code: string;
  name: string;
}

export async function loadProcedure(db: Queryable, code: string): Promise<Procedure | undefined> {
  if (!PROCEDURE_CODE.test(code)) return undefined;
  return findCurrentProcedure(db, code);
}

/** The agencies that receive this procedure's dossiers online (active offerings), by name. */
export async function receivingAgencies(db: Queryable, procedureCode: string): Promise<ReceivingAgency[]> {
  const r = await db.query<{ code: string; name: string | null }>(
    `SELECT o.agency_code AS code, a.name FROM procedure_offerings o LEFT JOIN agencies a ON a.code = o.agency_code
     WHERE o.procedure_code = $1 AND o.active ORDER BY a.name, o.agency_code`,
    [procedureCode],
  );
  return r.rows.map((x) => ({ code: x.code, name: x.name ?? x.code }));
}

export function variantOf(p: Procedure, id: string | null | undefined): ProcedureVariant | undefined {
  return id ? (p.variants ?? []).find((v) => v.id === id) : undefined;
}

export function formOf(p: Procedure, variantId: string | null | undefined): ProcedureForm {
  return variantOf(p, variantId)?.form ?? p.form;
}

const plans = new WeakMap<object, { steps: Step[]; declaration: string | undefined }>();

/** The steps of a form (kept per schema object: the catalogue keeps versions in process). */
export function plan(form: ProcedureForm): { steps: Step[]; declaration: string | undefined } {
  let p = plans.get(form.schema);
  if (p === undefined) {
    p = planSteps(form.schema, form.uiOrder);
    plans.set(form.schema, p);
  }
  return p;
}
