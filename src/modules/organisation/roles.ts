/**
 * Who may grant, delegate and revoke which role in which unit. Pure rules: the caller
 * states who acts (their standing roles per unit, and whether the token makes them a
 * province administrator) and what they ask; the answer is the problems, each naming
 * its field, or none.
 */
import type { FieldError } from '../../shared/errors.ts';

import { TOKEN_ADMIN_ROLE, UNIT_ROLES, isUnitRole, type UnitRole } from '../../shared/roles.ts';

export { UNIT_ROLES, isUnitRole, type UnitRole };

/** A delegation lasts at most this long. */
export const MAX_DELEGATION_DAYS = 90;
const DAY_MS = 86_400_000;

export interface HeldRole {
  unitCode: string;
  role: UnitRole;
  /** Set when the role is held by delegation (acting), not by a standing grant. */
  delegatedBy?: string | undefined;
}

export interface Actor {
  sub: string;
  /** `admin` in the access token counts as province administrator. */
  tokenRoles: readonly string[];
  /** The unit roles the actor holds now (effectiveRoles). */
  held: readonly HeldRole[];
}

export interface GrantRequest {
  sub: string;
  unitCode: string;
  role: string;
  validFrom: Date;
  validUntil?: Date | undefined;
}

export type Refusal = { status: 403 | 422; problems: FieldError[] };

const p = (field: string, code: string, vi: string, en: string): FieldError => ({ field, code, message: { vi, en } });

export const isProvinceAdmin = (a: Actor): boolean => a.tokenRoles.includes(TOKEN_ADMIN_ROLE) || a.held.some((h) => h.role === 'province_admin');
/** Administration is never held by delegation: only standing unit_admin grants count. */
export const isUnitAdminOf = (a: Actor, unitCode: string): boolean => a.held.some((h) => h.role === 'unit_admin' && h.unitCode === unitCode && h.delegatedBy === undefined);

function checkPeriod(from: Date, until: Date | undefined): FieldError[] {
  if (Number.isNaN(from.getTime())) return [p('/validFrom', 'format', 'Ngày bắt đầu không hợp lệ', 'The start is not a valid date-time')];
  if (until !== undefined && Number.isNaN(until.getTime())) return [p('/validUntil', 'format', 'Ngày kết thúc không hợp lệ', 'The end is not a valid date-time')];
  if (until !== undefined && until.getTime() <= from.getTime()) return [p('/validUntil', 'before_start', 'Ngày kết thúc phải sau ngày bắt đầu', 'The end must be after the start')];
  return [];
}

/**
 * May `actor` grant `req`? A province administrator grants anything; a unit
 * administrator grants within their unit, never province_admin; nobody grants to themselves.
 */
export function checkGrant(actor: Actor, req: GrantRequest): Refusal | undefined {
  if (!isUnitRole(req.role)) return { status: 422, problems: [p('/role', 'enum', `Vai trò phải là một trong: ${UNIT_ROLES.join(', ')}`, `The role must be one of: ${UNIT_ROLES.join(', ')}`)] };
  if (req.sub === actor.sub) return { status: 403, problems: [p('/sub', 'self_grant', 'Không ai được tự cấp quyền cho mình', 'Nobody grants a role to themselves')] };
  if (!isProvinceAdmin(actor)) {
    if (req.role === 'province_admin') return { status: 403, problems: [p('/role', 'not_allowed', 'Chỉ quản trị cấp tỉnh được cấp quyền quản trị cấp tỉnh', 'Only a province administrator grants province_admin')] };
    if (!isUnitAdminOf(actor, req.unitCode)) return { status: 403, problems: [p('/unitCode', 'not_your_unit', 'Bạn chỉ được cấp quyền trong đơn vị mình quản trị', 'You grant roles only in a unit you administer')] };
  }
  const period = checkPeriod(req.validFrom, req.validUntil);
  return period.length > 0 ? { status: 422, problems: period } : undefined;
}

/**
 * May `actor` delegate `role` in `unitCode` to `req.sub` for the period? Only a leader
 * (by standing grant, not an acting one) delegates leader, to another staff member of
 * the unit, for a period that ends, at most 90 days.
 */
export function checkDelegation(actor: Actor, req: GrantRequest, delegateIsStaffOfUnit: boolean): Refusal | undefined {
  if (req.role !== 'leader') return { status: 422, problems: [p('/role', 'not_delegable', 'Chỉ được ủy quyền vai trò lãnh đạo (phê duyệt)', 'Only the leader role (approval) is delegated')] };
  if (req.sub === actor.sub) return { status: 403, problems: [p('/sub', 'self_grant', 'Không thể ủy quyền cho chính mình', 'Nobody delegates to themselves')] };
  if (!actor.held.some((h) => h.role === 'leader' && h.unitCode === req.unitCode && h.delegatedBy === undefined)) {
    return { status: 403, problems: [p('/unitCode', 'not_leader', 'Chỉ lãnh đạo của đơn vị được ủy quyền phê duyệt', "Only the unit's leader delegates approval")] };
  }
  if (!delegateIsStaffOfUnit) return { status: 422, problems: [p('/sub', 'not_unit_staff', 'Người được ủy quyền phải là cán bộ của đơn vị', 'The delegate must be a staff member of the unit')] };
  if (req.validUntil === undefined) return { status: 422, problems: [p('/validUntil', 'required', 'Ủy quyền phải có ngày kết thúc', 'A delegation must end')] };
  const period = checkPeriod(req.validFrom, req.validUntil);
  if (period.length > 0) return { status: 422, problems: period };
  if (req.validUntil.getTime() - req.validFrom.getTime() > MAX_DELEGATION_DAYS * DAY_MS) {
    return { status: 422, problems: [p('/validUntil', 'maximum', `Ủy quyền kéo dài tối đa ${MAX_DELEGATION_DAYS} ngày`, `A delegation lasts at most ${MAX_DELEGATION_DAYS} days`)] };
  }
  return undefined;
}

export interface ExistingGrant {
  sub: string;
  unitCode: string;
  role: UnitRole;
  delegatedBy?: string | undefined;
}

/**
 * May `actor` revoke `grant`? Whoever could grant it (a unit administrator never a
 * province_admin grant, nobody their own), and the leader who delegated it.
 */
export function checkRevoke(actor: Actor, grant: ExistingGrant): Refusal | undefined {
  if (grant.delegatedBy !== undefined && grant.delegatedBy === actor.sub) return undefined;
  if (grant.sub === actor.sub) return { status: 403, problems: [p('/sub', 'self_revoke', 'Không ai tự thu hồi quyền của mình', 'Nobody revokes their own role')] };
  if (isProvinceAdmin(actor)) return undefined;
  if (grant.role === 'province_admin') return { status: 403, problems: [p('/role', 'not_allowed', 'Chỉ quản trị cấp tỉnh được thu hồi quyền quản trị cấp tỉnh', 'Only a province administrator revokes province_admin')] };
  if (!isUnitAdminOf(actor, grant.unitCode)) return { status: 403, problems: [p('/unitCode', 'not_your_unit', 'Bạn chỉ được thu hồi quyền trong đơn vị mình quản trị', 'You revoke roles only in a unit you administer')] };
  return undefined;
}

export interface GrantPeriod {
  validFrom: Date;
  validUntil?: Date | undefined;
  revokedAt?: Date | undefined;
}

/** Is a grant in force at `at`? From its start (inclusive) to its end or revocation (exclusive). */
export function inForce(g: GrantPeriod, at: Date): boolean {
  const t = at.getTime();
  return g.validFrom.getTime() <= t && (g.validUntil === undefined || t < g.validUntil.getTime()) && (g.revokedAt === undefined || t < g.revokedAt.getTime());
}
