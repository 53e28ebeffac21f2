import type { FastifyInstance } from 'fastify';
import type { Database } from '../../db/database.ts';
import { notFound } from '../../shared/errors.ts';
import { errorSchema } from '../../http/schemas.ts';
import { findCurrentProcedure, listCurrentProcedures } from './store.ts';

export const PROCEDURE_CODE_PATTERN = '^[0-9]{1,2}\\.[0-9]{6}$|^[A-Z0-9.\\-]{3,40}$';

export function registerCatalogueRoutes(app: FastifyInstance, db: Database): void {
  app.get(
    '/api/v1/procedures',
    {
      config: { auth: 'public' },
      schema: {
        tags: ['procedures'],
        summary: 'List the procedures offered',
        security: [],
        querystring: {
          type: 'object',
          additionalProperties: false,
          properties: {
            level: { type: 'string', enum: ['province', 'commune'] },
            limit: { type: 'integer', minimum: 1, maximum: 200, default: 50 },
            offset: { type: 'integer', minimum: 0, maximum: 100000, default: 0 },
          },
        },
      },
    },
    async (req) => {
      const q = req.query as { level?: string; limit: number; offset: number };
      return listCurrentProcedures(db, q);
    },
  );

  app.get(
    '/api/v1/procedures/:code',
    {
      config: { auth: 'public' },
      schema: {
        tags: ['procedures'],
        summary: 'A procedure with all a citizen must know, and its eForm as form.schema',
        security: [],
        params: { type: 'object', properties: { code: { type: 'string', maxLength: 40, pattern: PROCEDURE_CODE_PATTERN } }, required: ['code'] },
        response: { 404: errorSchema },
      },
    },
    async (req) => {
      const { code } = req.params as { code: string };
      const p = await findCurrentProcedure(db, code);
      if (!p) throw notFound({ vi: `Không tìm thấy thủ tục ${code}`, en: `No procedure ${code}` }, 'code');
      return p;
    },
  );
}
