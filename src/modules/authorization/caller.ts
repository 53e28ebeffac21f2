/**
 * Who the caller is for authorization: the identity from the token (who they are,
 * whether they are a citizen or a business) and the roles they hold in the
 * organisation now (what they may do as staff). The token's own staff roles and agency
 * claim are not trusted: a role exists only while the organisation grants it.
 */
import type { Principal } from '../identity/index.ts';
import { APPLICANT_ROLES, OFFICER_ROLES } from '../../shared/roles.ts';

export interface HeldRole {
  unitCode: string;
  role: string;
  delegatedBy?: string | undefined;
}

/** What the organisation says about a subject: their staff record's state and the roles they hold now. */
export interface OrganisationStanding {
  /** `null`: not staff at all (a citizen); `false`: a removed (deactivated) staff member. */
  staffActive: boolean | null;
  roles: readonly HeldRole[];
}

const applicantRoles = new Set<string>(APPLICANT_ROLES);
const officerRoles = new Set<string>(OFFICER_ROLES);

/**
 * The Principal every check sees: the token's applicant roles, plus each unit role held
 * (and `admin` for a province administrator, the name older checks use). `agencyCodes`
 * are the units where the caller holds an officer role (`agencyCode` the first); `units` lists every role
 * held, per unit. `removed` for a deactivated staff member: nothing they send counts.
 */
export function callerFrom(token: Principal, org: OrganisationStanding): Principal | 'removed' {
  if (org.staffActive === false) return 'removed';
  const roles: string[] = [];
  for (const r of token.roles) if (applicantRoles.has(r) && !roles.includes(r)) roles.push(r);
  const agencyCodes: string[] = [];
  for (const h of org.roles) {
    if (!roles.includes(h.role)) roles.push(h.role);
    if (officerRoles.has(h.role) && !agencyCodes.includes(h.unitCode)) agencyCodes.push(h.unitCode);
  }
  if (roles.includes('province_admin') && !roles.includes('admin')) roles.push('admin');
  const { agencyCode: _claimed, agencyCodes: _claimedAll, units: _units, roles: _roles, ...identity } = token;
  return {
    ...identity,
    roles,
    ...(agencyCodes.length > 0 ? { agencyCode: agencyCodes[0]! } : {}),
    agencyCodes,
    units: org.roles.map((h) => ({ unitCode: h.unitCode, role: h.role, ...(h.delegatedBy !== undefined ? { delegatedBy: h.delegatedBy } : {}) })),
  };
}

/** The units where the caller works on dossiers (holds reception, specialist or leader). */
export function officerUnits(p: Principal): string[] {
  if (p.agencyCodes !== undefined) return [...p.agencyCodes];
  if (p.units === undefined) {
    // A Principal built by code (CLI, tests of a service) rather than by the auth hook.
    return p.agencyCode !== undefined && p.roles.some((r) => officerRoles.has(r)) ? [p.agencyCode] : [];
  }
  const out: string[] = [];
  for (const u of p.units) if (officerRoles.has(u.role) && !out.includes(u.unitCode)) out.push(u.unitCode);
  return out;
}

/** The roles the caller holds in one unit (its applicant roles always count: they are not per unit). */
export function rolesInUnit(p: Principal, unitCode: string): string[] {
  const out = p.roles.filter((r) => applicantRoles.has(r));
  if (p.units === undefined) {
    if (p.agencyCode === unitCode) for (const r of p.roles) if (!out.includes(r)) out.push(r);
    return out;
  }
  for (const u of p.units) if (u.unitCode === unitCode && !out.includes(u.role)) out.push(u.role);
  return out;
}

export const isApplicantCaller = (p: Principal): boolean => p.roles.some((r) => applicantRoles.has(r));
