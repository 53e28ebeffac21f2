/** Who is calling, from a verified access token. */
import { isApplicantRole, isOfficerRole } from '../../shared/roles.ts';
export interface Principal {
  sub: string;
  roles: string[];
  name?: string;
  personalId?: string;
  taxCode?: string;
  /**
   * The first of `agencyCodes` (older readers). From a token it is only a claim: the auth hook
   * replaces it with what the organisation says.
   */
  agencyCode?: string;
  /** Every unit where the caller works on dossiers (reception, specialist or leader), from the organisation's grants. */
  agencyCodes?: readonly string[];
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


export const isApplicant = (p: Principal): boolean => p.roles.some((r) => isApplicantRole(r));
export const isStaff = (p: Principal): boolean => p.roles.some((r) => isOfficerRole(r));
