import type { FastifyInstance } from 'fastify';
import { typed } from '../../http/typed.ts';
import { AppError } from '../../shared/errors.ts';
import { errorSchema } from '../../http/schemas.ts';
import { notFoundPage, verificationPage } from './page.ts';
import type { VerificationService } from './service.ts';

export function registerVerificationRoutes(server: FastifyInstance, verification: VerificationService): void {
  const app = typed(server);
  app.post(
    '/api/v1/verify',
    {
      config: { auth: 'public' },
      schema: {
        tags: ['verification'],
        summary: 'Verify a signed PDF (public): signatures, signer, time, integrity, chain to the trust anchors, and the dossier it is stored for',
        consumes: ['multipart/form-data'],
        response: { 400: errorSchema, 413: errorSchema, 415: errorSchema },
      },
    },
    async (req) => {
      if (!req.isMultipart()) {
        throw new AppError('unsupported_media_type', 'multipart_required', { vi: 'Cần gửi tệp dạng multipart/form-data, trường "file"', en: 'Send the file as multipart/form-data in the field "file"' }, { field: 'file' });
      }
      const part = await req.file();
      if (!part || part.fieldname !== 'file') throw new AppError('bad_request', 'file_missing', { vi: 'Thiếu tệp trong trường "file"', en: 'No file in the field "file"' }, { field: 'file' });
      let bytes: Buffer;
      try {
        bytes = await part.toBuffer();
      } catch (err) {
        if ((err as { code?: string }).code === 'FST_REQ_FILE_TOO_LARGE') {
          throw new AppError('too_large', 'file_too_large', { vi: 'Tệp lớn hơn mức cho phép', en: 'The file is larger than allowed' }, { field: 'file' });
        }
        throw err;
      }
      if (part.file.truncated) throw new AppError('too_large', 'file_too_large', { vi: 'Tệp lớn hơn mức cho phép', en: 'The file is larger than allowed' }, { field: 'file' });
      if (bytes.subarray(0, 5).toString('latin1') !== '%PDF-') {
        throw new AppError('unsupported_media_type', 'not_a_pdf', { vi: 'Tệp không phải PDF (kiểm tra theo nội dung tệp)', en: 'The file is not a PDF (checked by its content)' }, { field: 'file' });
      }
      return verification.verifyBytes(bytes);
    },
  );

  app.get(
    '/verify/:code',
    {
      config: { auth: 'public' },
      schema: {
        tags: ['verification'],
        summary: 'Public page: the documents issued for a dossier, each verified (signer, time, integrity, chain, stored hash); HTML, Vietnamese and English',
        params: { type: 'object', properties: { code: { type: 'string', minLength: 1, maxLength: 64 } }, required: ['code'] },
      },
    },
    async (req, reply) => {
      const { code } = req.params;
      const docs = await verification.verifyDossier(code);
      reply.header('content-type', 'text/html; charset=utf-8').header('cache-control', 'no-store');
      if (docs === undefined) return reply.status(404).send(notFoundPage(code));
      return reply.send(verificationPage(code, docs));
    },
  );
}
