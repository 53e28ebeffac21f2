/** Who is calling, from a verified access token. */
export interface Principal {
  sub: string;
  roles: string[];
  name?: string;
  personalId?: string;
  taxCode?: string;
  agencyCode?: string;
  acr?: string;
  /** Date of birth, YYYY-MM-DD, as the identity provider asserts it. */
  birthdate?: string;
  /**
   * For a business: the person who logged in to act for it, as the identity provider
   * asserts (its legal representative or someone they authorised).
   */
  representative?: { personalId: string; name: string };
  /**
   * The unit roles the caller holds now, read from the organisation (staff, role grants,
   * delegations) by the auth hook for every request; set by src/modules/authorization.
   */
  units?: readonly { unitCode: string; role: string; delegatedBy?: string | undefined }[];
}

export const APPLICANT_ROLES = ['citizen', 'business'] as const;
export const STAFF_ROLES = ['reception', 'specialist', 'leader'] as const;

export const isApplicant = (p: Principal): boolean => p.roles.some((r) => (APPLICANT_ROLES as readonly string[]).includes(r));
export const isStaff = (p: Principal): boolean => p.roles.some((r) => (STAFF_ROLES as readonly string[]).includes(r));
