import type { FastifyInstance } from 'fastify';
import { typed } from '../../http/typed.ts';
import { AppError } from '../../shared/errors.ts';
import { requirePrincipal } from '../../http/auth.ts';
import { errorSchema } from '../../http/schemas.ts';
import { policy } from '../authorization/index.ts';
import { documentTypes } from './document-types.ts';
import type { WarehouseService } from './service.ts';
import { uploadedPart } from '../files/index.ts';

const errors = { 400: errorSchema, 401: errorSchema, 403: errorSchema, 404: errorSchema, 410: errorSchema, 413: errorSchema, 415: errorSchema, 422: errorSchema } as const;
const created = { 201: { type: 'object', additionalProperties: true } } as const;
const idParam = { type: 'object', properties: { id: { type: 'string', minLength: 1, maxLength: 64 } }, required: ['id'] } as const;
const TYPE = /^[a-z][a-z0-9_]{0,63}$/;

const unknownType = (t: string, field: string): AppError =>
  new AppError('invalid', 'unknown_document_type', { vi: `Không có loại giấy tờ "${t}"`, en: `No document type "${t}"` }, { field, extra: { documentTypes: [...documentTypes().types.keys()] } });

export function registerWarehouseRoutes(server: FastifyInstance, warehouse: WarehouseService): void {
  const app = typed(server);
  app.get(
    '/api/v1/documents',
    {
      config: { policy: policy.authenticated(undefined, "the caller's own documents (the query is limited to them)") },
      schema: {
        tags: ['documents'],
        summary: "The caller's documents in the records warehouse (their personal id's and their business's), newest first",
        querystring: { type: 'object', additionalProperties: false, properties: { type: { type: 'string', maxLength: 64 }, valid: { type: 'boolean' } } },
        response: errors,
      },
    },
    async (req) => {
      const q = req.query;
      if (q.type !== undefined && !TYPE.test(q.type)) throw new AppError('bad_request', 'invalid_query', { vi: 'Loại giấy tờ không hợp lệ', en: 'Invalid document type' }, { field: 'query.type' });
      return { items: await warehouse.list(requirePrincipal(req), { type: q.type, validOnly: q.valid === true }) };
    },
  );

  app.get(
    '/api/v1/documents/:id',
    { config: { policy: policy.authenticated({ kind: 'document', param: 'id' }, 'the owner only; 404 for anyone else') }, schema: { tags: ['documents'], summary: 'One of the caller\'s documents (404 for anyone else\'s)', params: idParam, response: errors } },
    async (req) => {
      const { storageKey: _k, ...view } = await warehouse.get(requirePrincipal(req), req.params.id);
      return view;
    },
  );

  app.get(
    '/api/v1/documents/:id/content',
    { config: { policy: policy.authenticated({ kind: 'document', param: 'id' }, 'the owner only; 404 for anyone else') }, schema: { tags: ['documents'], summary: 'Download one of the caller\'s documents (404 for anyone else\'s)', params: idParam, response: errors } },
    async (req, reply) => {
      const d = await warehouse.get(requirePrincipal(req), req.params.id);
      const name = d.fileName ?? d.id;
      return reply
        .header('content-type', d.mediaType)
        .header('content-length', String(d.size))
        .header('x-content-sha256', d.sha256)
        .header('content-disposition', `attachment; filename*=UTF-8''${encodeURIComponent(name)}`)
        .header('cache-control', 'private, no-store')
        .send(warehouse.open(d.storageKey));
    },
  );

  app.post(
    '/api/v1/documents/:id/reuse',
    {
      config: { policy: policy.authenticated({ kind: 'document', param: 'id' }, 'the owner only; 404 for anyone else') },
      schema: {
        tags: ['documents'],
        summary: 'Reuse a document for a field of a new application, with the owner\'s consent: returns a file id to put in the form',
        params: idParam,
        body: { type: 'object', properties: { consent: {}, field: {} } },
        response: { ...created, ...errors },
      },
    },
    async (req, reply) => reply.status(201).send(await warehouse.reuse(requirePrincipal(req), req.params.id, req.body, req.id)),
  );

  app.get(
    '/api/v1/procedures/:code/reusable-documents',
    {
      config: { policy: policy.authenticated(undefined, "the caller's own documents for a procedure") },
      schema: {
        tags: ['documents'],
        summary: "Per file field of the procedure's eForm, the caller's valid documents of the type it asks for (offered instead of an upload)",
        params: { type: 'object', properties: { code: { type: 'string', minLength: 1, maxLength: 40 } }, required: ['code'] },
        querystring: { type: 'object', additionalProperties: false, properties: { variantId: { type: 'string', minLength: 1, maxLength: 20 } } },
        response: errors,
      },
    },
    async (req) => warehouse.reusable(requirePrincipal(req), req.params.code, req.query.variantId),
  );

  app.post(
    '/api/v1/dossiers/:code/scans',
    {
      config: { policy: policy.roles(['reception'], undefined, 'reception of a unit that may see the dossier (checked by the service: 404 otherwise)') },
      schema: {
        tags: ['documents'],
        summary: 'Reception attaches a scan of a paper brought to the counter (multipart: documentType, optional field, issuingAgency, validFrom, validUntil, then file); kept in the applicant\'s warehouse, marked digitised',
        consumes: ['multipart/form-data'],
        params: { type: 'object', properties: { code: { type: 'string', minLength: 1, maxLength: 64 } }, required: ['code'] },
        response: { ...created, ...errors },
      },
    },
    async (req, reply) => {
      const p = requirePrincipal(req);
      const part = await uploadedPart(req);
      const text = (name: string): string | undefined => {
        const f = part.fields[name] as { value?: unknown } | undefined;
        return typeof f?.value === 'string' && f.value !== '' ? f.value : undefined;
      };
      try {
        const documentType = text('documentType');
        if (documentType === undefined) throw new AppError('invalid', 'required', { vi: 'Cần chọn loại giấy tờ (documentType), gửi trước tệp', en: 'Say what the document is (documentType), sent before the file' }, { field: 'documentType' });
        if (!documentTypes().types.has(documentType)) throw unknownType(documentType, 'documentType');
        const field = text('field');
        if (field !== undefined && !/^(\/[A-Za-z0-9_-]{1,100}){1,8}$/.test(field)) {
          throw new AppError('invalid', 'invalid_field', { vi: 'Trường phải có dạng /attachments/...', en: 'The field must be a JSON Pointer like /attachments/...' }, { field: 'field' });
        }
        const r = await warehouse.attachScan(
          p,
          req.params.code,
          part.file,
          { fileName: part.filename, documentType, field, issuingAgency: text('issuingAgency')?.slice(0, 300), validFrom: text('validFrom'), validUntil: text('validUntil') },
          req.id,
        );
        return reply.status(201).send(r);
      } finally {
        part.file.resume();
      }
    },
  );
}
