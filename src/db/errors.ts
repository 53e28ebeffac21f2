import { AppError } from '../shared/errors.ts';

/**
 * The one place database failures become domain errors. Both adapters (src/db/pglite.ts,
 * src/db/postgres.ts) pass every failed statement and transaction through `mapDbError`;
 * stores that find a row changed under them (an optimistic-lock clash) throw
 * `staleRevision`. Each is a `conflict` (HTTP 409 in src/http/errors.ts): the state
 * changed while the caller was acting, or what they create was just created by another
 * request. Anything else is left as it is (a defect, answered 500). The original error
 * is kept as `cause`, for the log.
 */

/** PostgreSQL error codes (SQLSTATE) that mean "another request got there first". */
const CONFLICT_SQLSTATES: Readonly<Record<string, 'already_exists' | 'concurrent_update'>> = Object.freeze({
  '23505': 'already_exists', // unique_violation
  '40001': 'concurrent_update', // serialization_failure
  '40P01': 'concurrent_update', // deadlock_detected
});

const MESSAGES = {
  already_exists: {
    vi: 'Dữ liệu này đã có (có thể một yêu cầu khác vừa tạo); vui lòng tải lại và kiểm tra',
    en: 'This already exists (another request may have just created it); reload and check',
  },
  concurrent_update: {
    vi: 'Dữ liệu vừa được người khác thay đổi cùng lúc; vui lòng tải lại và thử lại',
    en: 'Someone else changed this at the same time; reload and try again',
  },
} as const;

function withCause(e: AppError, cause: unknown): AppError {
  (e as { cause?: unknown }).cause = cause;
  return e;
}

/** The SQLSTATE of a database error, if it is one. */
export function sqlState(err: unknown): string | undefined {
  const code = typeof err === 'object' && err !== null ? (err as { code?: unknown }).code : undefined;
  return typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code) ? code : undefined;
}

/** A unique violation, serialization failure or deadlock as a `conflict`; any other error unchanged. */
export function mapDbError(err: unknown): unknown {
  if (err instanceof AppError) return err;
  const state = sqlState(err);
  const code = state !== undefined ? CONFLICT_SQLSTATES[state] : undefined;
  if (code === undefined) return err;
  return withCause(new AppError('conflict', code, MESSAGES[code]), err);
}

/** A row was changed by another transaction since it was read (its revision moved on). */
export function staleRevision(entity: string, id: string): AppError {
  return withCause(new AppError('conflict', 'concurrent_update', MESSAGES.concurrent_update, { extra: { entity, id } }), new Error(`${entity} ${id}: revision changed concurrently`));
}

/** True for the conflict a unique violation became: what to look for when a create may have raced another. */
export const isAlreadyExists = (err: unknown): boolean => err instanceof AppError && err.kind === 'conflict' && err.code === 'already_exists';
