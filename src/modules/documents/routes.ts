import type { FastifyInstance } from 'fastify';
import { notFound } from '../../shared/errors.ts';
import { requirePrincipal } from '../../http/auth.ts';
import { errorSchema } from '../../http/schemas.ts';
import type { DossierService } from '../dossiers/service.ts';
import type { FileService } from '../files/service.ts';

const STAFF_AND_APPLICANTS = ['citizen', 'business', 'reception', 'specialist', 'leader'] as const;

export function registerDocumentRoutes(app: FastifyInstance, deps: { dossiers: DossierService; files: FileService }): void {
  app.get(
    '/api/v1/dossiers/:code/result',
    {
      config: { roles: STAFF_AND_APPLICANTS },
      schema: {
        tags: ['dossiers'],
        summary: 'The signed result PDF of a dossier, for those allowed to see the dossier (404 otherwise, or while there is no result)',
        params: { type: 'object', properties: { code: { type: 'string', minLength: 1, maxLength: 64 } }, required: ['code'] },
        response: { 401: errorSchema, 403: errorSchema, 404: errorSchema },
      },
    },
    async (req, reply) => {
      const p = requirePrincipal(req);
      const { code } = req.params as { code: string };
      const d = await deps.dossiers.get(p, code);
      if (d.resultFileId === null) throw notFound({ vi: `Hồ sơ ${code} chưa có kết quả`, en: `Dossier ${code} has no result yet` }, 'code');
      const f = await deps.files.get(p, d.resultFileId);
      return reply
        .header('content-type', f.mediaType)
        .header('content-length', String(f.size))
        .header('x-content-sha256', f.sha256)
        .header('content-disposition', `attachment; filename*=UTF-8''${encodeURIComponent(f.fileName ?? `ket-qua-${code}.pdf`)}`)
        .header('cache-control', 'private, no-store')
        .send(deps.files.open(f.storageKey));
    },
  );
}
