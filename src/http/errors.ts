import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import type { ErrorObject } from 'ajv';
import { AppError, type ErrorKind } from '../shared/errors.ts';
import { toFieldErrors } from '../modules/eforms/index.ts';

/** The one place an error kind becomes an HTTP status. */
export const STATUS_OF_KIND: Readonly<Record<ErrorKind, number>> = Object.freeze({
  bad_request: 400,
  invalid: 422,
  unauthenticated: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  gone: 410,
  too_large: 413,
  unsupported_media_type: 415,
  rate_limited: 429,
  unavailable: 503,
  internal: 500,
});

export const statusOf = (e: AppError): number => STATUS_OF_KIND[e.kind];

/**
 * Maps every failure to the one error shape: {error: {code, message: {vi, en}, field?, details?}}.
 * Fields of a JSON body are JSON Pointers into it (`/form/child/fullName`); others are
 * named by where they are: `query.limit`, `headers.idempotency-key`, `params.code`.
 */
export function toAppError(err: unknown, req?: FastifyRequest): AppError {
  if (err instanceof AppError) return err;
  const e = err as FastifyError & { validation?: ErrorObject[]; validationContext?: string };
  if (e.validation) {
    const where = e.validationContext ?? 'body';
    const schema = (req?.routeOptions.schema as Record<string, unknown> | undefined)?.[where === 'querystring' ? 'querystring' : where];
    const prefix = where === 'body' ? '' : `${where === 'querystring' ? 'query' : where}.`;
    const details = toFieldErrors(e.validation, schema ?? {}, new Date()).map((d) => ({
      ...d,
      field: prefix === '' ? d.field || '/' : `${prefix}${d.field.slice(1).replace(/\//g, '.')}`,
    }));
    const first = details[0];
    return new AppError('bad_request', 'invalid_request', { vi: 'Yêu cầu không hợp lệ', en: 'Invalid request' }, { details, ...(first ? { field: first.field } : {}) });
  }
  switch (e.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
    case 'FST_REQ_FILE_TOO_LARGE':
    case 'FST_FILES_LIMIT':
      return new AppError('too_large', 'payload_too_large', { vi: 'Dữ liệu gửi lên vượt quá giới hạn cho phép', en: 'The request body is larger than allowed' });
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return new AppError('unsupported_media_type', 'unsupported_media_type', { vi: 'Kiểu nội dung không được hỗ trợ', en: 'Unsupported content type' }, { field: 'content-type' });
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
      return new AppError('bad_request', 'malformed_json', { vi: 'Nội dung JSON không hợp lệ', en: 'Malformed JSON body' }, { field: 'body' });
    case 'FST_INVALID_MULTIPART_CONTENT_TYPE':
      return new AppError('unsupported_media_type', 'multipart_required', { vi: 'Cần gửi tệp dạng multipart/form-data', en: 'Send the file as multipart/form-data' }, { field: 'content-type' });
    case 'FST_ERR_NOT_FOUND':
      return new AppError('not_found', 'not_found', { vi: 'Không tìm thấy', en: 'Not found' });
  }
  // A multipart body that stops before its closing boundary (the upload was cut off).
  if (typeof e.message === 'string' && /^(Unexpected end of (multipart data|form)|Part terminated early|Malformed part header)/.test(e.message)) {
    return new AppError('bad_request', 'multipart_incomplete', { vi: 'Dữ liệu gửi lên bị cắt ngang (thiếu phần kết thúc); vui lòng gửi lại tệp', en: 'The upload was cut off before its end; send the file again' }, { field: 'file' });
  }
  if (e instanceof SyntaxError || e.statusCode === 400) {
    return new AppError('bad_request', 'malformed_request', { vi: 'Yêu cầu không đúng định dạng', en: 'Malformed request' });
  }
  if (e.statusCode === 413) {
    return new AppError('too_large', 'payload_too_large', { vi: 'Dữ liệu gửi lên vượt quá giới hạn cho phép', en: 'The request body is larger than allowed' });
  }
  return new AppError('internal', 'internal_error', { vi: 'Lỗi hệ thống, vui lòng thử lại sau', en: 'Internal error, please try again later' });
}

export function errorHandler(err: unknown, req: FastifyRequest, reply: FastifyReply): void {
  const app = toAppError(err, req);
  const status = statusOf(app);
  if (status >= 500) req.log.error({ err }, 'request failed');
  else req.log.info({ code: app.code, status }, 'request refused');
  void reply.status(status).send(app.toJSON());
}
