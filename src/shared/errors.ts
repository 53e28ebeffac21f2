/**
 * The one error type of Motcua. Every refusal carries a stable code, a message in
 * Vietnamese and English, and (when it is about one input) the field it names.
 * The domain says what kind of refusal it is; only src/http/errors.ts turns a kind into
 * an HTTP status.
 */

/** What went wrong, in words the domain knows. */
export type ErrorKind =
  | 'bad_request' // the request itself is malformed (not a rule of the domain)
  | 'invalid' // well-formed input that breaks a rule; names the field
  | 'unauthenticated'
  | 'forbidden'
  | 'not_found'
  | 'conflict' // the state changed under the caller, or the thing already exists
  | 'gone'
  | 'too_large'
  | 'unsupported_media_type'
  | 'rate_limited'
  | 'unavailable' // a dependency (signer, database, store) cannot answer now
  | 'internal';

export interface Message {
  vi: string;
  en: string;
}

export interface FieldError {
  /** JSON-pointer-like path of the field, e.g. `/child/dateOfBirth`, or a header/query name. */
  field: string;
  code: string;
  message: Message;
}

export class AppError extends Error {
  readonly code: string;
  readonly kind: ErrorKind;
  readonly messages: Message;
  readonly field: string | undefined;
  readonly details: FieldError[] | undefined;
  readonly extra: Record<string, unknown> | undefined;

  constructor(
    kind: ErrorKind,
    code: string,
    messages: Message,
    opts: { field?: string; details?: FieldError[]; extra?: Record<string, unknown> } = {},
  ) {
    super(messages.en);
    this.name = 'AppError';
    this.kind = kind;
    this.code = code;
    this.messages = messages;
    this.field = opts.field;
    this.details = opts.details;
    this.extra = opts.extra;
  }

  toJSON(): Record<string, unknown> {
    return {
      error: {
        code: this.code,
        message: this.messages,
        ...(this.field !== undefined ? { field: this.field } : {}),
        ...(this.details !== undefined ? { details: this.details } : {}),
        ...(this.extra ?? {}),
      },
    };
  }
}

export const notFound = (what: Message, field?: string): AppError =>
  new AppError('not_found', 'not_found', what, field !== undefined ? { field } : {});

export const badRequest = (code: string, messages: Message, field?: string): AppError =>
  new AppError('bad_request', code, messages, field !== undefined ? { field } : {});
