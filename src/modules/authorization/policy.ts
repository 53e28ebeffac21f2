/**
 * The one place that decides who may call a route. Every route declares a policy where
 * it is registered (`config: { policy: ... }`); the auth hook (src/http/auth.ts) asks
 * `decideRoute` on every request, after the caller's roles were read from the
 * organisation (staff, role grants, delegations) — never taken from the token alone.
 *
 * Pure functions, no I/O: the decision costs a few set look-ups (bench/authz.bench.ts).
 * Which *resource* a caller may see (a dossier, a file) is decided by the functions in
 * ./dossier-access.ts, applied inside the SQL of the queries (404 when not visible).
 */
import type { Principal } from '../identity/index.ts';

import { APPLICANT_ROLES, OFFICER_ROLES, TOKEN_ADMIN_ROLE, type Role } from '../../shared/roles.ts';

/**
 * Names a policy may use: a role, or a group of roles.
 * - `applicant`: citizen or business; `officer`: reception, specialist or leader;
 * - `administrator`: unit_admin or province_admin;
 * - `admin`: the province administrator (the older name of `province_admin`).
 */
export type RoleName = Role | 'applicant' | 'officer' | 'administrator' | 'admin';

const GROUPS: Record<string, readonly string[]> = {
  applicant: APPLICANT_ROLES,
  officer: OFFICER_ROLES,
  administrator: ['unit_admin', 'province_admin'],
  [TOKEN_ADMIN_ROLE]: ['province_admin'],
};

/**
 * The access rule of one route.
 * - `public`: anyone, logged in or not (pages of the portal, the catalogue, /verify).
 * - `authenticated`: any logged-in caller; what they reach is then limited by the
 *   resource rules (a file they own, a dossier they may see: otherwise 404).
 * - a list of role names: the caller must hold one of them (anywhere); otherwise 403,
 *   and the refusal is written to the audit log.
 *
 * `resource` says which resource a path parameter names and is checked by its module
 * (404 when the caller may not see it); the route-by-role test uses it to try the
 * caller's own resource and someone else's.
 */
export interface RoutePolicy {
  allow: 'public' | 'authenticated' | readonly RoleName[];
  resource?: { kind: ResourceKind; param: string };
  /** One line for people reading the table (docs, test failures). */
  note?: string;
}

/** The resources whose visibility is checked per caller. */
export type ResourceKind = 'dossier' | 'file' | 'document' | 'staff' | 'unit' | 'grant';

/** Shorthands for declaring a route's policy: `config: { policy: policy.public() }`. */
export const policy = {
  public: (note?: string): RoutePolicy => ({ allow: 'public', ...(note ? { note } : {}) }),
  authenticated: (resource?: RoutePolicy['resource'], note?: string): RoutePolicy => ({ allow: 'authenticated', ...(resource ? { resource } : {}), ...(note ? { note } : {}) }),
  roles: (roles: readonly RoleName[], resource?: RoutePolicy['resource'], note?: string): RoutePolicy => ({ allow: roles, ...(resource ? { resource } : {}), ...(note ? { note } : {}) }),
};

/** A policy made ready for the hot path: the role names expanded once. */
export interface CompiledPolicy {
  readonly kind: 'public' | 'authenticated' | 'roles';
  readonly roles: ReadonlySet<string>;
  readonly source: RoutePolicy;
}

const compiled = new WeakMap<RoutePolicy, CompiledPolicy>();

export function expandRoles(names: readonly string[]): string[] {
  const out = new Set<string>();
  for (const n of names) for (const r of GROUPS[n] ?? [n]) out.add(r);
  return [...out];
}

export function compilePolicy(p: RoutePolicy): CompiledPolicy {
  let c = compiled.get(p);
  if (c === undefined) {
    c = p.allow === 'public' || p.allow === 'authenticated'
      ? { kind: p.allow, roles: new Set(), source: p }
      : { kind: 'roles', roles: new Set(expandRoles(p.allow)), source: p };
    compiled.set(p, c);
  }
  return c;
}

/**
 * The policy of a route from its config: `policy` when declared; the older shorthands
 * `auth: 'public'` and `roles: [...]` mean the same as `policy.public()` and
 * `policy.roles([...])`. Undefined when the route declares nothing (the route-by-role
 * test fails on it; at run time such a route needs a login and nothing more).
 */
export function policyOf(config: { policy?: RoutePolicy; auth?: string; roles?: readonly string[] } | undefined): RoutePolicy | undefined {
  if (config === undefined) return undefined;
  if (config.policy !== undefined) return config.policy;
  if (config.auth === 'public') return LEGACY_PUBLIC;
  if (config.roles !== undefined) {
    let p = legacyRoles.get(config.roles);
    if (p === undefined) {
      p = { allow: config.roles as readonly RoleName[] };
      legacyRoles.set(config.roles, p);
    }
    return p;
  }
  return undefined;
}
const LEGACY_PUBLIC: RoutePolicy = { allow: 'public' };
const legacyRoles = new WeakMap<readonly string[], RoutePolicy>();
/** What a route without a declared policy gets at run time: a login, nothing more. */
export const UNDECLARED: RoutePolicy = { allow: 'authenticated', note: 'no policy declared' };

export type RouteDecision =
  | { ok: true }
  | { ok: false; status: 401; reason: 'unauthenticated' }
  | { ok: false; status: 403; reason: 'missing_role'; required: readonly string[] };

const ALLOW: RouteDecision = Object.freeze({ ok: true });
const NEED_LOGIN: RouteDecision = Object.freeze({ ok: false, status: 401, reason: 'unauthenticated' });

/**
 * May this caller (undefined: anonymous) call a route with this policy? Deny by
 * default: only `public` lets an anonymous caller through; a role list needs one of
 * its roles among the caller's (which the auth hook took from the organisation).
 */
export function decideRoute(p: CompiledPolicy, caller: Pick<Principal, 'roles'> | undefined): RouteDecision {
  if (p.kind === 'public') return ALLOW;
  if (caller === undefined) return NEED_LOGIN;
  if (p.kind === 'authenticated') return ALLOW;
  const held = caller.roles;
  for (let i = 0; i < held.length; i++) if (p.roles.has(held[i]!)) return ALLOW;
  return { ok: false, status: 403, reason: 'missing_role', required: [...p.roles] };
}
