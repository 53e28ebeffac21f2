/** What the apply pages read of the catalogue: the current procedure, its form, where it is received. */
import type { Queryable } from '../../../db/database.ts';
import type { Procedure, ProcedureForm, ProcedureVariant } from '../../../modules/catalogue/index.ts';
import { findCurrentProcedure } from '../../../modules/catalogue/index.ts';
import { findOfferings } from '../../../modules/catalogue/index.ts';
import { agencyNames } from '../../../modules/organisation/index.ts';
import { planSteps, type Step } from '../../kit/form-model.ts';

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
  const offerings = await findOfferings(db, procedureCode);
  const names = await agencyNames(db, offerings.map((o) => o.agencyCode));
  return offerings
    .map((o) => ({ code: o.agencyCode, name: names.get(o.agencyCode) ?? o.agencyCode }))
    .sort((a, b) => a.name.localeCompare(b.name, 'vi') || a.code.localeCompare(b.code));
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
