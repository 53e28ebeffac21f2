import type { FastifyInstance } from 'fastify';
import { typed } from '../../http/typed.ts';
import { AppError } from '../../shared/errors.ts';
import { requirePrincipal } from '../../http/auth.ts';
import { errorSchema } from '../../http/schemas.ts';
import type { DossierService } from './service.ts';
import { dossierView } from './view.ts';
import { submitDossierBody } from './inputs.ts';
import { policy } from '../authorization/index.ts';

const dossier = { kind: 'dossier', param: 'code' } as const;

const codeParam = { type: 'string', minLength: 1, maxLength: 64 } as const;
const actionName = { type: 'string', pattern: '^[a-z][a-z0-9_]{0,63}$' } as const;
const dossierSchema = {
  type: 'object',
  additionalProperties: true,
  properties: { code: { type: 'string' }, status: { type: 'string' }, dueAt: { type: ['string', 'null'], format: 'date-time' } },
} as const;
const errors = { 400: errorSchema, 401: errorSchema, 403: errorSchema, 404: errorSchema, 409: errorSchema, 413: errorSchema, 422: errorSchema } as const;

export function registerDossierRoutes(server: FastifyInstance, dossiers: DossierService): void {
  const app = typed(server);
  app.post(
    '/api/v1/dossiers',
    {
      config: { policy: policy.roles(['applicant'], undefined, 'citizens and businesses submit') },
      schema: {
        tags: ['dossiers'],
        summary: 'Submit a dossier: the eForm of a procedure, validated; the same Idempotency-Key and body return the same dossier',
        headers: { type: 'object', properties: { 'idempotency-key': { type: 'string', minLength: 8, maxLength: 128, pattern: '^[A-Za-z0-9._:-]+$' } } },
        body: submitDossierBody,
        response: { 200: dossierSchema, 201: dossierSchema, ...errors },
      },
    },
    async (req, reply) => {
      const key = req.headers['idempotency-key'] as string | undefined;
      const { dossier, created } = await dossiers.submit(requirePrincipal(req), req.body, key, req.id);
      return reply.status(created ? 201 : 200).header('location', `/api/v1/dossiers/${encodeURIComponent(dossier.code)}`).send(dossierView(dossier));
    },
  );

  app.get(
    '/api/v1/dossiers',
    {
      config: { policy: policy.roles(['applicant', 'officer'], undefined, 'own dossiers, or the units\' queues: the rule is in the query') },
      schema: {
        tags: ['dossiers'],
        summary: "The caller's dossiers: own for an applicant, the agency's queue for an officer",
        querystring: {
          type: 'object',
          additionalProperties: false,
          properties: {
            status: { type: 'string', pattern: '^[a-z_]{1,40}$' },
            limit: { type: 'integer', minimum: 1, maximum: 200, default: 50 },
            cursor: { type: 'string', maxLength: 200 },
          },
        },
        response: errors,
      },
    },
    async (req) => dossiers.list(requirePrincipal(req), req.query),
  );

  app.get(
    '/api/v1/dossiers/:code',
    {
      config: { policy: policy.roles(['applicant', 'officer'], dossier) },
      schema: {
        tags: ['dossiers'],
        summary: 'A dossier with its status, due date, history and the actions the caller may take (each with the JSON Schema of its input)',
        params: { type: 'object', properties: { code: codeParam }, required: ['code'] },
        response: errors,
      },
    },
    async (req) => dossierView(await dossiers.get(requirePrincipal(req), req.params.code)),
  );

  app.post(
    '/api/v1/dossiers/:code/actions/:name',
    {
      config: { policy: policy.roles(['applicant', 'officer'], dossier, 'the workflow then checks the role held in the dossier\'s unit') },
      schema: {
        tags: ['dossiers'],
        summary: 'Take a workflow action (receive, request_supplement, assign, approve, return_result, withdraw...)',
        params: { type: 'object', properties: { code: codeParam, name: actionName }, required: ['code', 'name'] },
        response: errors,
      },
    },
    async (req) => {
      const { code, name } = req.params;
      const body = req.body ?? {};
      if (typeof body !== 'object' || Array.isArray(body)) {
        throw new AppError('bad_request', 'invalid_request', { vi: 'Nội dung phải là một đối tượng JSON', en: 'The body must be a JSON object' }, { field: 'body' });
      }
      return dossierView(await dossiers.act(requirePrincipal(req), code, name, body, req.id));
    },
  );
}
