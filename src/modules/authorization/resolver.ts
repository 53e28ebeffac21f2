/**
 * Reads the caller's standing in the organisation for every authenticated request and
 * records refusals in the audit log.
 *
 * Staff are looked up on every request (one indexed query): revoking a role or
 * deactivating a staff member takes effect at the next request, in every process.
 * Only the answer "not staff at all, no role" is remembered, briefly (`negativeTtlMs`,
 * default 30 s): it can only be wrong in the safe direction (a role granted a moment
 * ago not yet seen by another process); this process forgets it at once when the
 * organisation changes (`invalidate`). Most callers are citizens: they pay nothing.
 */
import type { Database } from '../../db/database.ts';
import { appendAudit } from '../audit/audit.ts';
import type { Principal } from '../identity/principal.ts';
import { organisationStanding } from '../organisation/store.ts';
import { callerFrom, type OrganisationStanding } from './caller.ts';

export interface AccessResolver {
  /** The Principal every check sees (roles from the organisation), or `removed` for a deactivated staff member. */
  resolve(token: Principal): Promise<Principal | 'removed'>;
  /** Forget what is remembered about `sub` (all subjects when absent). */
  invalidate(sub?: string): void;
  /** Writes a refusal (403) to the audit log. */
  recordDenial(p: Principal, d: { method: string; route: string; url: string; required: readonly string[]; requestId?: string | undefined; address?: string | undefined }): Promise<void>;
}

const NOBODY: OrganisationStanding = Object.freeze({ staffActive: null, roles: Object.freeze([]) as readonly never[] });

export function createAccessResolver(deps: { db: Database; clock?: { now(): Date }; negativeTtlMs?: number; maxEntries?: number }): AccessResolver {
  const { db } = deps;
  const now = (): Date => (deps.clock ? deps.clock.now() : new Date());
  const ttl = deps.negativeTtlMs ?? 30_000;
  const max = deps.maxEntries ?? 50_000;
  /** sub -> until (ms): known to be no staff, no role. */
  const notStaff = new Map<string, number>();
  return {
    async resolve(token) {
      const t = now();
      const until = notStaff.get(token.sub);
      if (until !== undefined && until > Date.now()) return callerFrom(token, NOBODY);
      const standing = await organisationStanding(db, token.sub, t);
      if (standing.staffActive === null && standing.roles.length === 0 && ttl > 0) {
        if (notStaff.size >= max) notStaff.delete(notStaff.keys().next().value as string);
        notStaff.set(token.sub, Date.now() + ttl);
      } else {
        notStaff.delete(token.sub);
      }
      return callerFrom(token, standing);
    },
    invalidate(sub) {
      if (sub === undefined) notStaff.clear();
      else notStaff.delete(sub);
    },
    async recordDenial(p, d) {
      await appendAudit(db, {
        actorSub: p.sub,
        actorRoles: p.roles,
        action: 'access.denied',
        entityType: 'route',
        entityId: `${d.method} ${d.route}`,
        before: null,
        after: { url: d.url, requiredRoles: d.required, heldRoles: p.roles, ...(d.address !== undefined ? { address: d.address } : {}) },
        at: now(),
        requestId: d.requestId,
      });
    },
  };
}
