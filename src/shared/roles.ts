/**
 * The vocabulary of roles, in one place. Applicant roles come from the identity provider
 * (VNeID: a person or a business); unit roles are held per unit through the organisation's
 * grants (never taken from a token alone). Workflow definitions, route policies, the
 * organisation and the principal all speak these names.
 */

/** A person (`citizen`) or a business (`business`) applying for themselves. */
export const APPLICANT_ROLES = ['citizen', 'business'] as const;
/** Roles that work on dossiers in a unit: the one-stop counter, the specialist, the leader. */
export const OFFICER_ROLES = ['reception', 'specialist', 'leader'] as const;
/** Roles that configure or oversee, and do not act on dossiers by themselves. */
export const ADMINISTRATION_ROLES = ['unit_admin', 'province_admin', 'auditor'] as const;
/** Every role a grant in a unit can give. */
export const UNIT_ROLES = [...OFFICER_ROLES, ...ADMINISTRATION_ROLES] as const;
/** The roles a workflow action may name: those who act on dossiers. */
export const WORKFLOW_ROLES = [...APPLICANT_ROLES, ...OFFICER_ROLES] as const;

export type ApplicantRole = (typeof APPLICANT_ROLES)[number];
export type OfficerRole = (typeof OFFICER_ROLES)[number];
export type UnitRole = (typeof UNIT_ROLES)[number];
export type WorkflowRole = (typeof WORKFLOW_ROLES)[number];
export type Role = ApplicantRole | UnitRole;

const member = <T extends string>(list: readonly T[]) => (s: string): s is T => (list as readonly string[]).includes(s);
export const isApplicantRole = member(APPLICANT_ROLES);
export const isOfficerRole = member(OFFICER_ROLES);
export const isUnitRole = member(UNIT_ROLES);
export const isWorkflowRole = member(WORKFLOW_ROLES);

/** The token role of the demo province administrator (its older name): the organisation reads it as `province_admin`. */
export const TOKEN_ADMIN_ROLE = 'admin' as const;
