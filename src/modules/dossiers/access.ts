import type { Principal } from '../identity/principal.ts';
import { isApplicant, isStaff } from '../identity/principal.ts';

/**
 * Who may see a dossier: its applicant, and staff of the agency that received it or
 * holds it now (transfer). Everyone else is told it does not exist (404), so codes
 * cannot be probed. The SQL form applies the same rule inside list queries.
 */
export function canSeeDossier(p: Principal, d: { applicantSub: string; agencyCode: string; currentAgencyCode: string }): boolean {
  if (isApplicant(p) && d.applicantSub === p.sub) return true;
  if (isStaff(p) && p.agencyCode !== undefined && (d.agencyCode === p.agencyCode || d.currentAgencyCode === p.agencyCode)) return true;
  return false;
}

/** A WHERE fragment over table alias `d` with its parameters starting at `$first`; `FALSE` when the caller may see nothing. */
export function visibleDossiersSql(p: Principal, first: number): { sql: string; params: unknown[] } {
  const parts: string[] = [];
  const params: unknown[] = [];
  if (isApplicant(p)) {
    params.push(p.sub);
    parts.push(`d.applicant_sub = $${first + params.length - 1}`);
  }
  if (isStaff(p) && p.agencyCode !== undefined) {
    params.push(p.agencyCode);
    const n = first + params.length - 1;
    parts.push(`d.current_agency_code = $${n} OR d.agency_code = $${n}`);
  }
  return { sql: parts.length > 0 ? `(${parts.join(' OR ')})` : 'FALSE', params };
}

/**
 * The roles of a dossier's files its applicant may open: what they sent and the result.
 * Working files (a draft result awaiting approval, an internal opinion) stay with staff.
 */
export const APPLICANT_FILE_ROLES: readonly string[] = Object.freeze(['form', 'supplement', 'result']);

export function applicantMaySeeFile(role: string): boolean {
  return APPLICANT_FILE_ROLES.includes(role);
}

/**
 * A WHERE fragment over `df` (dossier_files) joined to `d` (dossiers): the caller may
 * open this file of this dossier. Parameters start at `$first`.
 */
export function visibleDossierFilesSql(p: Principal, first: number): { sql: string; params: unknown[] } {
  const parts: string[] = [];
  const params: unknown[] = [];
  if (isApplicant(p)) {
    params.push(p.sub, APPLICANT_FILE_ROLES);
    parts.push(`(d.applicant_sub = $${first + params.length - 2} AND df.role = ANY($${first + params.length - 1}::text[]))`);
  }
  if (isStaff(p) && p.agencyCode !== undefined) {
    params.push(p.agencyCode);
    const n = first + params.length - 1;
    parts.push(`(d.current_agency_code = $${n} OR d.agency_code = $${n})`);
  }
  return { sql: parts.length > 0 ? `(${parts.join(' OR ')})` : 'FALSE', params };
}
