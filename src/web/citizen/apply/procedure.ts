/** What the apply pages read of the catalogue: the current procedure, its form, where it is received. */
import type { CatalogueService, Procedure, ProcedureForm, ProcedureVariant } from '../../../modules/catalogue/index.ts';
import { planSteps, type Step } from '../../kit/form-model.ts';

export interface ReceivingAgency {
  code: string;
  name: string;
}

/** The agencies that receive this procedure's dossiers online (active offerings), by name. */
export async function receivingAgencies(
  deps: { catalogue: CatalogueService; agencyNames: (codes: readonly string[]) => Promise<Map<string, string>> },
  procedureCode: string,
): Promise<ReceivingAgency[]> {
  const offerings = await deps.catalogue.offeringsOf(procedureCode);
  const names = await deps.agencyNames(offerings.map((o) => o.agencyCode));
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
