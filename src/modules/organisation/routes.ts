/**
 * The organisation's admin API: units (/api/v1/admin/units) and staff with their roles
 * (/api/v1/admin/staff). Thin: schemas at the edge, the rules in the service.
 */
import { typed } from '../../http/typed.ts';
import type { FastifyInstance } from 'fastify';
import { requirePrincipal } from '../../http/auth.ts';
import { errorSchema } from '../../http/schemas.ts';
import { UNIT_ROLES } from './roles.ts';
import type { OrganisationService } from './service.ts';
import { policy } from '../authorization/index.ts';

const provinceAdmin = { policy: policy.roles(['province_admin']) };
const administrators = { policy: policy.roles(['administrator'], undefined, 'unit administrators are limited to their units by the service') };
import { UNIT_KINDS } from './units.ts';

import { newUnitBody, unitCode } from './inputs.ts';
const sub = { type: 'string', minLength: 1, maxLength: 255, pattern: '^[A-Za-z0-9._:@|+-]+$' } as const;
const dateTime = { type: 'string', format: 'date-time' } as const;
const paging = { limit: { type: 'integer', minimum: 1, maximum: 500, default: 100 }, offset: { type: 'integer', minimum: 0, maximum: 1000000, default: 0 } } as const;
const anyObject = { type: 'object', additionalProperties: true } as const;
const created = { 200: anyObject, 201: anyObject } as const;
const errors = { 400: errorSchema, 401: errorSchema, 403: errorSchema, 404: errorSchema, 409: errorSchema, 422: errorSchema } as const;

export function registerOrganisationRoutes(server: FastifyInstance, org: OrganisationService): void {
  const app = typed(server);
  app.post(
    '/api/v1/admin/units/setup',
    {
      config: provinceAdmin,
      schema: {
        tags: ['admin'],
        summary: "Set up a province from the national list: its People's Committee, the standard provincial agencies, every commune, ward and special zone (idempotent)",
        body: { type: 'object', additionalProperties: false, required: ['province'], properties: { province: { type: 'string', pattern: '^[0-9]{2}$' }, codeSuffix: { type: 'string', pattern: '^[A-Z][0-9A-Z]{1,2}$' } } },
        response: errors,
      },
    },
    async (req) => {
      const b = req.body;
      return org.setupProvince(requirePrincipal(req), b.province, { codeSuffix: b.codeSuffix, requestId: req.id });
    },
  );

  app.get(
    '/api/v1/admin/units',
    {
      config: administrators,
      schema: {
        tags: ['admin'],
        summary: 'The units (agencies) of the province; active only unless asked',
        querystring: {
          type: 'object',
          additionalProperties: false,
          properties: { q: { type: 'string', minLength: 1, maxLength: 200 }, kind: { type: 'string', enum: [...UNIT_KINDS] }, parentCode: unitCode, includeInactive: { type: 'boolean', default: false }, ...paging },
        },
        response: errors,
      },
    },
    async (req) => org.listUnits(requirePrincipal(req), req.query),
  );

  app.post(
    '/api/v1/admin/units',
    {
      config: provinceAdmin,
      schema: {
        tags: ['admin'],
        summary: 'Add a unit (its code is the next free one under its parent unless given)',
        body: newUnitBody,
        response: { ...created, ...errors },
      },
    },
    async (req, reply) => {
      const u = await org.addUnit(requirePrincipal(req), req.body, req.id);
      return reply.code(201).send(u);
    },
  );

  app.get(
    '/api/v1/admin/units/:code',
    { config: administrators, schema: { tags: ['admin'], summary: 'A unit', params: { type: 'object', required: ['code'], properties: { code: unitCode } }, response: errors } },
    async (req) => org.getUnit(requirePrincipal(req), req.params.code),
  );

  app.patch(
    '/api/v1/admin/units/:code',
    {
      config: provinceAdmin,
      schema: {
        tags: ['admin'],
        summary: 'Rename a unit',
        params: { type: 'object', required: ['code'], properties: { code: unitCode } },
        body: { type: 'object', additionalProperties: false, required: ['name'], properties: { name: { type: 'string', minLength: 1, maxLength: 300 }, nameEn: { type: 'string', minLength: 1, maxLength: 300 } } },
        response: errors,
      },
    },
    async (req) => org.renameUnit(requirePrincipal(req), req.params.code, req.body, req.id),
  );

  app.post(
    '/api/v1/admin/units/:code/merge',
    {
      config: provinceAdmin,
      schema: {
        tags: ['admin'],
        summary: 'Record that a unit was merged into another: it becomes inactive and points to it',
        params: { type: 'object', required: ['code'], properties: { code: unitCode } },
        body: { type: 'object', additionalProperties: false, required: ['into'], properties: { into: unitCode } },
        response: errors,
      },
    },
    async (req) => org.mergeUnit(requirePrincipal(req), req.params.code, req.body.into, req.id),
  );

  app.get(
    '/api/v1/admin/staff',
    {
      config: administrators,
      schema: {
        tags: ['admin'],
        summary: 'Staff, optionally those holding a role in one unit',
        querystring: { type: 'object', additionalProperties: false, properties: { unitCode, ...paging } },
        response: errors,
      },
    },
    async (req) => org.listStaff(requirePrincipal(req), req.query),
  );

  app.post(
    '/api/v1/admin/staff/import',
    {
      config: administrators,
      schema: {
        tags: ['admin'],
        summary: 'Import staff and their roles from CSV (sub,name,email,unit_code,roles): all or nothing, problems by line',
        body: { type: 'object', additionalProperties: false, required: ['csv'], properties: { csv: { type: 'string', minLength: 1, maxLength: 5_000_000 } } },
        response: errors,
      },
    },
    async (req) => org.importStaff(requirePrincipal(req), req.body.csv, req.id),
  );

  app.put(
    '/api/v1/admin/staff/:sub',
    {
      config: administrators,
      schema: {
        tags: ['admin'],
        summary: 'Add a staff member (by the OpenID Connect subject of their login) or change their name, e-mail, activity',
        params: { type: 'object', required: ['sub'], properties: { sub } },
        body: {
          type: 'object',
          additionalProperties: false,
          required: ['name'],
          properties: { name: { type: 'string', minLength: 1, maxLength: 200 }, email: { type: 'string', format: 'email', maxLength: 320 }, active: { type: 'boolean', default: true } },
        },
        response: { ...created, ...errors },
      },
    },
    async (req, reply) => {
      const b = req.body;
      const r = await org.putStaff(requirePrincipal(req), { sub: req.params.sub, name: b.name, ...(b.email !== undefined ? { email: b.email } : {}), active: b.active }, req.id);
      return reply.code(r.created ? 201 : 200).send(r.staff);
    },
  );

  app.get(
    '/api/v1/admin/staff/:sub',
    { config: administrators, schema: { tags: ['admin'], summary: 'A staff member, every grant they had and the roles they hold now', params: { type: 'object', required: ['sub'], properties: { sub } }, response: errors } },
    async (req) => org.getStaff(requirePrincipal(req), req.params.sub),
  );

  app.post(
    '/api/v1/admin/staff/:sub/grants',
    {
      config: administrators,
      schema: {
        tags: ['admin'],
        summary: 'Grant a role in a unit (a province administrator anything; a unit administrator in their unit, never province_admin; nobody to themselves)',
        params: { type: 'object', required: ['sub'], properties: { sub } },
        body: {
          type: 'object',
          additionalProperties: false,
          required: ['unitCode', 'role'],
          properties: { unitCode, role: { type: 'string', enum: [...UNIT_ROLES] }, validFrom: dateTime, validUntil: dateTime },
        },
        response: { ...created, ...errors },
      },
    },
    async (req, reply) => {
      const r = await org.grant(requirePrincipal(req), req.params.sub, req.body, req.id);
      return reply.code(r.created ? 201 : 200).send(r.grant);
    },
  );

  app.post(
    '/api/v1/admin/staff/:sub/delegations',
    {
      config: { policy: policy.roles(['leader'], undefined, 'a leader by standing grant delegates approval in their unit') },
      schema: {
        tags: ['admin'],
        summary: "A leader makes another staff member of the unit acting leader (approval) for a period that ends, at most 90 days",
        params: { type: 'object', required: ['sub'], properties: { sub } },
        body: { type: 'object', additionalProperties: false, required: ['unitCode', 'validUntil'], properties: { unitCode, validFrom: dateTime, validUntil: dateTime } },
        response: { ...created, ...errors },
      },
    },
    async (req, reply) => {
      const g = await org.delegate(requirePrincipal(req), req.params.sub, req.body, req.id);
      return reply.code(201).send(g);
    },
  );

  app.delete(
    '/api/v1/admin/staff/:sub/grants/:grantId',
    {
      config: { policy: policy.roles(['administrator', 'leader'], undefined, 'a leader revokes only a delegation they made') },
      schema: {
        tags: ['admin'],
        summary: 'Revoke a grant or a delegation',
        params: { type: 'object', required: ['sub', 'grantId'], properties: { sub, grantId: { type: 'string', format: 'uuid' } } },
        response: errors,
      },
    },
    async (req) => {
      const { sub: s, grantId } = req.params;
      return org.revoke(requirePrincipal(req), grantId, { sub: s, requestId: req.id });
    },
  );
}
