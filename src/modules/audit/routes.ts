/**
 * The audit log for the auditor (read-only): entries newest first, filtered by entity,
 * action or actor, and the verification of the sealed chain. Administrators do not read
 * it here: its entries carry what was submitted in dossiers.
 */
import { typed } from '../../http/typed.ts';
import type { FastifyInstance } from 'fastify';
import { errorSchema } from '../../http/schemas.ts';
import { policy } from '../authorization/index.ts';
import type { AuditReader } from './reader.ts';

const auditorOnly = { policy: policy.roles(['auditor'], undefined, 'the read-only auditor; entries carry dossier contents, so administrators do not read them') };
const text = { type: 'string', minLength: 1, maxLength: 200 } as const;

export function registerAuditRoutes(server: FastifyInstance, audit: AuditReader): void {
  const app = typed(server);
  app.get(
    '/api/v1/audit',
    {
      config: auditorOnly,
      schema: {
        tags: ['audit'],
        summary: 'Audit log entries, newest first: filter by entity, action (a prefix ending in "." matches a family, e.g. "access."), actor; page with beforeId',
        querystring: {
          type: 'object',
          additionalProperties: false,
          properties: {
            entityType: text,
            entityId: text,
            action: text,
            actorSub: text,
            beforeId: { type: 'string', pattern: '^[0-9]{1,18}$' },
            limit: { type: 'integer', minimum: 1, maximum: 500, default: 100 },
          },
        },
        response: { 400: errorSchema, 401: errorSchema, 403: errorSchema },
      },
    },
    async (req) => {
      const q = req.query;
      const items = await audit.search(q);
      return { items, nextBeforeId: items.length === q.limit ? items[items.length - 1]!.id : null };
    },
  );

  app.get(
    '/api/v1/audit/verification',
    {
      config: auditorOnly,
      schema: { tags: ['audit'], summary: 'Checks the sealed hash chain of the audit log: every entry unchanged, none missing, none moved', response: { 401: errorSchema, 403: errorSchema } },
    },
    async () => audit.verify(),
  );
}
