/** Reads of the tracking pages that the dossier service does not offer: names, notifications, public lookup. */
import { timingSafeEqual } from 'node:crypto';
import type { Queryable } from '../../db/database.ts';
import { isDossierCode } from '../../modules/dossiers/dossier-code.ts';

/** Procedure names (current versions) by code. */
export async function procedureNames(db: Queryable, codes: readonly string[]): Promise<Map<string, string>> {
  if (codes.length === 0) return new Map();
  const r = await db.query<{ code: string; name: string }>('SELECT code, name FROM procedures WHERE is_current AND code = ANY($1::text[])', [[...new Set(codes)]]);
  return new Map(r.rows.map((x) => [x.code, x.name]));
}

export async function agencyNames(db: Queryable, codes: readonly string[]): Promise<Map<string, string>> {
  if (codes.length === 0) return new Map();
  const r = await db.query<{ code: string; name: string }>('SELECT code, name FROM agencies WHERE code = ANY($1::text[])', [[...new Set(codes)]]);
  return new Map(r.rows.map((x) => [x.code, x.name]));
}

export interface Notification {
  dossierCode: string;
  procedureCode: string;
  type: string;
  statusTo: string;
  at: Date;
  byApplicant: boolean;
}

/** What changed on the applicant's dossiers, newest first (from the dossier history). */
export async function notificationsFor(db: Queryable, applicantSub: string, limit = 50): Promise<Notification[]> {
  const r = await db.query<{ code: string; procedure_code: string; type: string; status_to: string; at: Date; actor_sub: string }>(
    `SELECT d.code, d.procedure_code, e.type, e.status_to, e.at, e.actor_sub
     FROM dossier_events e JOIN dossiers d ON d.id = e.dossier_id
     WHERE d.applicant_sub = $1 ORDER BY e.at DESC, e.seq DESC LIMIT $2`,
    [applicantSub, limit],
  );
  return r.rows.map((x) => ({ dossierCode: x.code, procedureCode: x.procedure_code, type: x.type, statusTo: x.status_to, at: x.at, byApplicant: x.actor_sub === applicantSub }));
}

export interface PublicStatus {
  code: string;
  status: string;
  procedureCode: string;
  agencyCode: string;
  submittedAt: Date;
  dueAt: Date | null;
  events: { type: string; statusTo: string; at: Date }[];
}

const sameDigits = (a: string, b: string): boolean => a.length === b.length && timingSafeEqual(Buffer.from(a), Buffer.from(b));

/**
 * The public view of a dossier for its code and the last 4 digits of the applicant's
 * personal identification number (or tax code): undefined for any wrong pair, whether
 * the code exists or not, so the answer reveals nothing. No names, no form contents.
 */
export async function publicLookup(db: Queryable, code: string, last4: string): Promise<PublicStatus | undefined> {
  if (!isDossierCode(code) || !/^\d{4}$/.test(last4)) return undefined;
  const r = await db.query<{ id: string; code: string; status: string; procedure_code: string; agency_code: string; submitted_at: Date; due_at: Date | null; pid: string | null; tax: string | null }>(
    `SELECT id::text AS id, code, status, procedure_code, agency_code, submitted_at, due_at, applicant->>'personalId' AS pid, applicant->>'taxCode' AS tax
     FROM dossiers WHERE code = $1`,
    [code],
  );
  const d = r.rows[0];
  const id = d?.pid ?? d?.tax ?? '0000000000000';
  const ok = sameDigits(id.slice(-4).padStart(4, '#'), last4);
  if (!d || !ok) return undefined;
  const ev = await db.query<{ type: string; status_to: string; at: Date }>('SELECT type, status_to, at FROM dossier_events WHERE dossier_id = $1 ORDER BY seq', [d.id]);
  return {
    code: d.code,
    status: d.status,
    procedureCode: d.procedure_code,
    agencyCode: d.agency_code,
    submittedAt: d.submitted_at,
    dueAt: d.due_at,
    events: ev.rows.map((x) => ({ type: x.type, statusTo: x.status_to, at: x.at })),
  };
}

/**
 * A small in-process limiter for the public lookup: at most `max` tries per key in a
 * sliding minute (by address, and by dossier code so one code cannot be guessed at
 * from many addresses).
 */
export function createThrottle(max: number, windowMs = 60_000, now: () => number = Date.now) {
  const hits = new Map<string, number[]>();
  return {
    /** Counts a try; returns the seconds to wait when over the limit, else 0. */
    hit(key: string): number {
      const t = now();
      const list = (hits.get(key) ?? []).filter((x) => x > t - windowMs);
      if (list.length >= max) {
        hits.set(key, list);
        return Math.max(1, Math.ceil((list[0]! + windowMs - t) / 1000));
      }
      list.push(t);
      hits.set(key, list);
      if (hits.size > 50_000) for (const k of [...hits.keys()].slice(0, 10_000)) hits.delete(k);
      return 0;
    },
  };
}
