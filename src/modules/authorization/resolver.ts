/**
 * Reads the caller's standing in the organisation for every authenticated request and
 * records refusals in the audit log.
 *
 * On PostgreSQL staff are looked up on every request (one indexed query): revoking a
 * role or deactivating a staff member takes effect at the next request, in every process.
 * Only the answer "not staff at all, no role" is remembered, briefly (`negativeTtlMs`,
 * default 30 s): it can only be wrong in the safe direction (a role granted a moment
 * ago not yet seen by another process); this process forgets it at once when the
 * organisation changes (`invalidate`). Most callers are citizens: they pay nothing.
 *
 * On the embedded database (PGlite: one process owns it, every change goes through this
 * process's organisation service) staff answers are remembered too (`positiveTtlMs`),
 * each until the next instant it could change by itself (a grant starting, ending, being
 * revoked ahead of time, a delegating leader's grant ending); any organisation change
 * forgets them all, and an answer read while a change was being made is not kept.
 */
import type { Database } from '../../db/database.ts';
import { appendAudit } from '../audit/index.ts';
import type { Principal } from '../identity/index.ts';
import { organisationStanding } from '../organisation/index.ts';
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

export function createAccessResolver(deps: {
  db: Database;
  clock?: { now(): Date };
  negativeTtlMs?: number;
  /** Staff answers kept this long (0: never); default 30 s on PGlite, 0 on PostgreSQL (other processes change the organisation). */
  positiveTtlMs?: number;
  maxEntries?: number;
}): AccessResolver {
  const { db } = deps;
  const now = (): Date => (deps.clock ? deps.clock.now() : new Date());
  const ttl = deps.negativeTtlMs ?? 30_000;
  const positiveTtl = deps.positiveTtlMs ?? (db.kind === 'pglite' ? 30_000 : 0);
  const max = deps.maxEntries ?? 50_000;
  /** sub -> until (ms): known to be no staff, no role. */
  const notStaff = new Map<string, number>();
  /** sub -> a staff answer, kept until `until` (ms) and the clock reaching `nextChange`. */
  const staff = new Map<string, { standing: OrganisationStanding; until: number; nextChange: number }>();
  /** Bumped by every change: an answer read across a change is not kept. */
  let generation = 0;
  return {
    async resolve(token) {
      const t = now();
      const until = notStaff.get(token.sub);
      if (until !== undefined && until > Date.now()) return callerFrom(token, NOBODY);
      if (positiveTtl > 0) {
        const hit = staff.get(token.sub);
        if (hit !== undefined) {
          if (hit.until > Date.now() && t.getTime() < hit.nextChange) return callerFrom(token, hit.standing);
          staff.delete(token.sub);
        }
      }
      const seen = generation;
      const standing = await organisationStanding(db, token.sub, t, { nextChange: positiveTtl > 0 });
      if (seen !== generation) return callerFrom(token, standing);
      if (standing.staffActive === null && standing.roles.length === 0 && ttl > 0) {
        if (notStaff.size >= max) notStaff.delete(notStaff.keys().next().value as string);
        notStaff.set(token.sub, Date.now() + ttl);
      } else {
        notStaff.delete(token.sub);
        if (positiveTtl > 0) {
          if (staff.size >= max) staff.delete(staff.keys().next().value as string);
          staff.set(token.sub, { standing, until: Date.now() + positiveTtl, nextChange: standing.nextChange?.getTime() ?? Number.POSITIVE_INFINITY });
        }
      }
      return callerFrom(token, standing);
    },
    invalidate(sub) {
      generation++;
      // One person's change can change others' (a leader's revocation ends their delegations): staff answers all go.
      staff.clear();
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
