/**
 * The one error type of Motcua. Every refusal carries a stable code, a message in
 * Vietnamese and English, and (when it is about one input) the field it names.
 * HTTP maps `status`; the domain never imports HTTP, it only picks a status-like kind.
 */
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
  readonly status: number;
  readonly messages: Message;
  readonly field: string | undefined;
  readonly details: FieldError[] | undefined;
  readonly extra: Record<string, unknown> | undefined;

  constructor(
    status: number,
    code: string,
    messages: Message,
    opts: { field?: string; details?: FieldError[]; extra?: Record<string, unknown> } = {},
  ) {
    super(messages.en);
    this.name = 'AppError';
    this.status = status;
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
  new AppError(404, 'not_found', what, field !== undefined ? { field } : {});

export const badRequest = (code: string, messages: Message, field?: string): AppError =>
  new AppError(400, code, messages, field !== undefined ? { field } : {});
