/** Who is calling, from a verified access token. */
export interface Principal {
  sub: string;
  roles: string[];
  name?: string;
  personalId?: string;
  taxCode?: string;
  agencyCode?: string;
  acr?: string;
}

export const APPLICANT_ROLES = ['citizen', 'business'] as const;
export const STAFF_ROLES = ['reception', 'specialist', 'leader'] as const;

export const isApplicant = (p: Principal): boolean => p.roles.some((r) => (APPLICANT_ROLES as readonly string[]).includes(r));
export const isStaff = (p: Principal): boolean => p.roles.some((r) => (STAFF_ROLES as readonly string[]).includes(r));
