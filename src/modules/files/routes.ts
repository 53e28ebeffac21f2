import type { FastifyInstance, FastifyRequest } from 'fastify';
import { typed } from '../../http/typed.ts';
import type { MultipartFile } from '@fastify/multipart';
import { AppError } from '../../shared/errors.ts';
import { requirePrincipal } from '../../http/auth.ts';
import type { FileService } from './service.ts';
import { errorSchema } from '../../http/schemas.ts';
import { policy } from '../authorization/index.ts';
import { documentTypes } from '../warehouse/index.ts';

const fileSchema = {
  type: 'object',
  properties: {
    id: { type: 'string', format: 'uuid' },
    sha256: { type: 'string' },
    size: { type: 'integer' },
    mediaType: { type: 'string', enum: ['application/pdf', 'image/jpeg', 'image/png'] },
    fileName: { type: ['string', 'null'] },
    ownerSub: { type: 'string' },
    createdAt: { type: 'string', format: 'date-time' },
    source: { type: 'string', enum: ['upload', 'digitised', 'slip', 'result', 'reused'] },
    reusedFromDocumentId: { type: ['string', 'null'] },
  },
  required: ['id', 'sha256', 'size', 'mediaType'],
} as const;

export function registerFileRoutes(server: FastifyInstance, files: FileService): void {
  const app = typed(server);
  app.post(
    '/api/v1/files',
    {
      config: { policy: policy.authenticated(undefined, 'anyone logged in uploads into their own files') },
      schema: {
        tags: ['files'],
        summary: 'Upload a document (PDF, JPEG or PNG; type read from the content)',
        consumes: ['multipart/form-data'],
        response: { 201: fileSchema, 413: errorSchema, 415: errorSchema, 422: errorSchema },
      },
    },
    async (req, reply) => {
      const principal = requirePrincipal(req);
      const part = await uploadedPart(req);
      // An optional field sent before the file says what the document is (its warehouse type).
      const typeField = part.fields.documentType as { value?: unknown } | undefined;
      const documentType = typeof typeField?.value === 'string' && typeField.value !== '' ? typeField.value : undefined;
      if (documentType !== undefined && !documentTypes().types.has(documentType)) {
        part.file.resume();
        throw new AppError('invalid', 'unknown_document_type', { vi: `Không có loại giấy tờ "${documentType}"`, en: `No document type "${documentType}"` }, { field: 'documentType', extra: { documentTypes: [...documentTypes().types.keys()] } });
      }
      const { file } = await files.upload(principal, part.file, part.filename, { documentType });
      return reply.status(201).send(file);
    },
  );

  app.get(
    '/api/v1/files/:id',
    {
      config: { policy: policy.authenticated({ kind: 'file', param: 'id' }, 'own files and those of dossiers the caller may see; 404 otherwise') },
      schema: {
        tags: ['files'],
        summary: 'Download a file you own or that belongs to a dossier you may see',
        params: { type: 'object', properties: { id: { type: 'string', format: 'uuid' } }, required: ['id'] },
      },
    },
    async (req, reply) => {
      const { id } = req.params;
      const f = await files.get(requirePrincipal(req), id);
      const name = f.fileName ?? `${f.id}`;
      return reply
        .header('content-type', f.mediaType)
        .header('content-length', String(f.size))
        .header('x-content-sha256', f.sha256)
        .header('content-disposition', `attachment; filename*=UTF-8''${encodeURIComponent(name)}`)
        .header('cache-control', 'private, no-store')
        .send(files.open(f.storageKey));
    },
  );
}

/** The multipart part named `file` of an upload request (its fields sent before it come with it); 415 / 400 naming `file` otherwise. */
export async function uploadedPart(req: FastifyRequest): Promise<MultipartFile> {
  if (!req.isMultipart()) {
    throw new AppError('unsupported_media_type', 'multipart_required', { vi: 'Cần gửi tệp dạng multipart/form-data, trường "file"', en: 'Send the file as multipart/form-data in the field "file"' }, { field: 'file' });
  }
  const part = await req.file();
  if (!part || part.fieldname !== 'file') {
    throw new AppError('bad_request', 'file_missing', { vi: 'Thiếu tệp trong trường "file"', en: 'No file in the field "file"' }, { field: 'file' });
  }
  return part;
}
