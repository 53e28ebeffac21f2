/**
 * The applicant's rating of the service (1 to 5 and a comment), once per dossier and only
 * after its result was returned: what the satisfaction indicator counts. Each rating is
 * audited and announced (outbox `dossier.rated`) in the same transaction.
 */
import type { Database } from '../../db/database.ts';
import { systemClock, type Clock } from '../../shared/clock.ts';
import { AppError, type FieldError } from '../../shared/errors.ts';
import type { Principal } from '../identity/index.ts';
import { appendAudit } from '../audit/index.ts';
import { enqueue } from '../outbox/index.ts';
import { findOwnDossier } from '../dossiers/index.ts';
import { hasTag, type WorkflowRef } from '../workflow/index.ts';
import { isDossierCode } from '../dossiers/index.ts';

export interface Rating {
  dossierCode: string;
  score: number;
  comment: string | null;
  ratedAt: Date;
}

/** The applicant may rate once the result was handed back (the workflow's `result_returned` tag). */
export const isRateable = (workflow: WorkflowRef, status: string): boolean => hasTag(workflow, status, 'result_returned');

export const MAX_COMMENT = 2000;

/** Checks a rating as posted by a form; returns the value or the field errors. */
export function parseRating(input: { score?: unknown; comment?: unknown }): { ok: true; score: number; comment: string | null } | { ok: false; errors: FieldError[] } {
  const errors: FieldError[] = [];
  const rawScore = typeof input.score === 'string' ? input.score.trim() : input.score;
  const score = typeof rawScore === 'number' ? rawScore : typeof rawScore === 'string' && /^[1-5]$/.test(rawScore) ? Number(rawScore) : NaN;
  if (!Number.isInteger(score) || score < 1 || score > 5) {
    errors.push({ field: '/score', code: 'required', message: { vi: 'Chọn mức hài lòng từ 1 đến 5', en: 'Choose a score from 1 to 5' } });
  }
  const c = typeof input.comment === 'string' ? input.comment.replace(/\r\n/g, '\n').trim() : '';
  if (c.length > MAX_COMMENT) {
    errors.push({ field: '/comment', code: 'maxLength', message: { vi: `Nhận xét dài tối đa ${MAX_COMMENT} ký tự`, en: `The comment may be at most ${MAX_COMMENT} characters` } });
  }
  if (errors.length > 0) return { ok: false, errors };
  return { ok: true, score, comment: c === '' ? null : c };
}

const notFound = (code: string): AppError => new AppError('not_found', 'not_found', { vi: `Không tìm thấy hồ sơ ${code}`, en: `No dossier ${code}` }, { field: 'code' });

export function createRatingService(deps: { db: Database; clock?: Clock }) {
  const { db } = deps;
  const clock = deps.clock ?? systemClock;
  return {
    async find(dossierCode: string): Promise<Rating | undefined> {
      const r = await db.query<{ dossier_code: string; score: number; comment: string | null; rated_at: Date }>(
        'SELECT dossier_code, score, comment, rated_at FROM dossier_ratings WHERE dossier_code = $1',
        [dossierCode],
      );
      const row = r.rows[0];
      return row ? { dossierCode: row.dossier_code, score: Number(row.score), comment: row.comment, ratedAt: row.rated_at } : undefined;
    },

    /** The applicant rates their own returned dossier, once. */
    async rate(p: Principal, dossierCode: string, input: { score?: unknown; comment?: unknown }, requestId?: string): Promise<Rating> {
      const parsed = parseRating(input);
      if (!parsed.ok) {
        throw new AppError('invalid', 'invalid_rating', { vi: 'Đánh giá chưa hợp lệ', en: 'The rating is not valid' }, { details: parsed.errors, field: parsed.errors[0]!.field });
      }
      if (!isDossierCode(dossierCode)) throw notFound(dossierCode);
      const now = clock.now();
      return db.transaction(async (tx) => {
        // Whose dossier it is: the dossiers access rule (the applicant, or another login of the same business).
        const d = await findOwnDossier(tx, p, dossierCode);
        if (!d) throw notFound(dossierCode);
        if (!isRateable(d.workflow, d.status)) {
          throw new AppError('conflict', 'not_rateable_yet', { vi: 'Chỉ đánh giá được sau khi đã nhận kết quả', en: 'You can rate the service once the result has been returned' }, { field: 'code' });
        }
        const r = await tx.query(
          `INSERT INTO dossier_ratings (dossier_id, dossier_code, procedure_code, agency_code, rater_sub, score, comment, rated_at)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT (dossier_id) DO NOTHING`,
          [d.id, d.code, d.procedureCode, d.agencyCode, p.sub, parsed.score, parsed.comment, now],
        );
        if ((r.rowCount ?? 0) === 0) {
          throw new AppError('conflict', 'already_rated', { vi: 'Bạn đã đánh giá hồ sơ này', en: 'You have already rated this application' }, { field: 'code' });
        }
        await appendAudit(tx, {
          actorSub: p.sub, actorRoles: p.roles, action: 'dossier.rate', entityType: 'dossier', entityId: d.code, at: now, requestId,
          before: null, after: { score: parsed.score, comment: parsed.comment },
        });
        await enqueue(tx, [{ topic: 'dossier.rated', key: d.code, payload: { code: d.code, procedureCode: d.procedureCode, agencyCode: d.agencyCode, score: parsed.score, at: now.toISOString() } }]);
        return { dossierCode: d.code, score: parsed.score, comment: parsed.comment, ratedAt: now };
      });
    },

    /** Count and mean score per agency over a period (for the satisfaction indicator). */
    async summary(agencyCode: string, from: Date, to: Date): Promise<{ count: number; mean: number | null; satisfied: number }> {
      const r = await db.query<{ n: number; mean: string | null; satisfied: number }>(
        `SELECT count(*)::int AS n, avg(score)::text AS mean, count(*) FILTER (WHERE score >= 4)::int AS satisfied
         FROM dossier_ratings WHERE agency_code = $1 AND rated_at >= $2 AND rated_at < $3`,
        [agencyCode, from, to],
      );
      const row = r.rows[0];
      return { count: row?.n ?? 0, mean: row?.mean != null ? Number(row.mean) : null, satisfied: row?.satisfied ?? 0 };
    },
  };
}
export type RatingService = ReturnType<typeof createRatingService>;
