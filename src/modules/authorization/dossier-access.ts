/**
 * Who may see a dossier, its files and its result:
 * - its applicant (the subject who submitted it) and, for a business, every login of
 *   the same business (same tax code);
 * - officers (reception, specialist, leader) of the unit that holds it now (its queue,
 *   including dossiers transferred to the unit) or that received it;
 * - nobody else: administrators configure, auditors read the audit log; they see
 *   dossiers only when they are officers of the unit too.
 * Everyone else is told the dossier does not exist (404), so codes cannot be probed.
 *
 * The same rule has two forms: a predicate for one dossier, and SQL fragments that put
 * it inside list queries (never one check per item).
 */
import type { Principal } from '../identity/index.ts';
import { isApplicantCaller, officerUnits, rolesInUnit } from './caller.ts';

export interface DossierFacts {
  applicantSub: string;
  /** The tax code the dossier was submitted under (a business), if any. */
  applicantTaxCode?: string | null | undefined;
  agencyCode: string;
  currentAgencyCode: string;
}

/** The tax code a caller sees dossiers of: a business's own. */
export function businessTaxCode(p: Principal): string | undefined {
  return p.roles.includes('business') && p.taxCode !== undefined && p.taxCode.length > 0 ? p.taxCode : undefined;
}

export function isOwnDossier(p: Principal, d: DossierFacts): boolean {
  if (!isApplicantCaller(p)) return false;
  if (d.applicantSub === p.sub) return true;
  const tax = businessTaxCode(p);
  return tax !== undefined && d.applicantTaxCode === tax;
}

export function canSeeDossier(p: Principal, d: DossierFacts): boolean {
  if (isOwnDossier(p, d)) return true;
  const units = officerUnits(p);
  return units.includes(d.currentAgencyCode) || units.includes(d.agencyCode);
}

/**
 * The roles the caller acts in on this dossier: the applicant roles for their own
 * dossier, and the unit roles held in the unit that holds it now (a leader approves
 * within their unit only). `agencyCode` is that unit when the caller works there.
 */
export function actorFor(p: Principal, d: DossierFacts): { sub: string; roles: string[]; agencyCode?: string } {
  const roles = rolesInUnit(p, d.currentAgencyCode);
  const own = isOwnDossier(p, d);
  const applicantOnly = roles.filter((r) => r === 'citizen' || r === 'business');
  const staffHere = roles.length > applicantOnly.length;
  return {
    // The workflow's applicant-only actions check the subject: another login of the same
    // business sees the dossier but does not act as its applicant.
    sub: p.sub,
    roles: own ? roles : roles.filter((r) => r !== 'citizen' && r !== 'business'),
    ...(staffHere ? { agencyCode: d.currentAgencyCode } : {}),
  };
}

/** A WHERE fragment over table alias `d` with its parameters numbered from `$first`; `FALSE` when the caller may see nothing. */
export function visibleDossiersSql(p: Principal, first: number): { sql: string; params: unknown[] } {
  const parts: string[] = [];
  const params: unknown[] = [];
  const next = (v: unknown): string => `$${first + params.push(v) - 1}`;
  if (isApplicantCaller(p)) {
    parts.push(`d.applicant_sub = ${next(p.sub)}`);
    const tax = businessTaxCode(p);
    if (tax !== undefined) parts.push(`(d.applicant->>'taxCode') = ${next(tax)}`);
  }
  const units = officerUnits(p);
  if (units.length > 0) {
    const n = next(units);
    parts.push(`d.current_agency_code = ANY(${n}::text[]) OR d.agency_code = ANY(${n}::text[])`);
  }
  return { sql: parts.length > 0 ? `(${parts.join(' OR ')})` : 'FALSE', params };
}

/**
 * The same rule as separate conditions, each served by its own index (applicant,
 * tax code, unit now, receiving unit): a list query runs one ordered, limited scan per
 * condition and merges them, instead of sorting all of a large unit's dossiers.
 */
export function visibleDossierBranches(p: Principal): { column: 'applicant_sub' | 'tax_code' | 'current_agency_code' | 'agency_code'; value: string }[] {
  const out: { column: 'applicant_sub' | 'tax_code' | 'current_agency_code' | 'agency_code'; value: string }[] = [];
  if (isApplicantCaller(p)) {
    out.push({ column: 'applicant_sub', value: p.sub });
    const tax = businessTaxCode(p);
    if (tax !== undefined) out.push({ column: 'tax_code', value: tax });
  }
  for (const u of officerUnits(p)) {
    out.push({ column: 'current_agency_code', value: u });
    out.push({ column: 'agency_code', value: u });
  }
  return out;
}

/**
 * The roles of a dossier's files its applicant may open: what they sent, the slips
 * addressed to them (the receipt; supplement request, refusal, apology, stop notice:
 * `slip`) and the result. Working files (a draft result awaiting approval, an internal
 * opinion) stay with staff.
 */
export const APPLICANT_FILE_ROLES: readonly string[] = Object.freeze(['form', 'supplement', 'receipt', 'slip', 'result']);

export function applicantMaySeeFile(role: string): boolean {
  return APPLICANT_FILE_ROLES.includes(role);
}

/** May the caller open a file of this role on this dossier? */
export function canSeeDossierFile(p: Principal, d: DossierFacts, fileRole: string): boolean {
  const units = officerUnits(p);
  if (units.includes(d.currentAgencyCode) || units.includes(d.agencyCode)) return true;
  return isOwnDossier(p, d) && applicantMaySeeFile(fileRole);
}

/**
 * A WHERE fragment over `df` (dossier_files) joined to `d` (dossiers): the caller may
 * open this file of this dossier. Parameters numbered from `$first`.
 */
export function visibleDossierFilesSql(p: Principal, first: number): { sql: string; params: unknown[] } {
  const parts: string[] = [];
  const params: unknown[] = [];
  const next = (v: unknown): string => `$${first + params.push(v) - 1}`;
  if (isApplicantCaller(p)) {
    const own = [`d.applicant_sub = ${next(p.sub)}`];
    const tax = businessTaxCode(p);
    if (tax !== undefined) own.push(`(d.applicant->>'taxCode') = ${next(tax)}`);
    parts.push(`((${own.join(' OR ')}) AND df.role = ANY(${next(APPLICANT_FILE_ROLES)}::text[]))`);
  }
  const units = officerUnits(p);
  if (units.length > 0) {
    const n = next(units);
    parts.push(`(d.current_agency_code = ANY(${n}::text[]) OR d.agency_code = ANY(${n}::text[]))`);
  }
  return { sql: parts.length > 0 ? `(${parts.join(' OR ')})` : 'FALSE', params };
}
