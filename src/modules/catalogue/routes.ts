import type { FastifyInstance } from 'fastify';
import { offeringBody } from './inputs.ts';
import { typed } from '../../http/typed.ts';
import { notFound } from '../../shared/errors.ts';
import { errorSchema } from '../../http/schemas.ts';
import { requirePrincipal } from '../../http/auth.ts';
import type { CatalogueService } from './service.ts';
import type { ProcedureSearch } from './procedure-search.ts';

export const PROCEDURE_CODE_PATTERN = '^[0-9]{1,2}\\.[0-9]{6}$|^[A-Z0-9.\\-]{3,40}$';

/** What the catalogue's routes use; agency names come from the organisation. */
export interface CatalogueRouteDeps {
  catalogue: CatalogueService;
  search: ProcedureSearch;
  agencyNames: (codes: readonly string[]) => Promise<Map<string, string>>;
}

export function registerCatalogueRoutes(server: FastifyInstance, deps: CatalogueRouteDeps): void {
  const app = typed(server);
  const { catalogue, search, agencyNames } = deps;
  const filter = { type: 'string', minLength: 1, maxLength: 200 } as const;
  app.get(
    '/api/v1/procedures',
    {
      config: { auth: 'public' },
      schema: {
        tags: ['procedures'],
        summary: 'Search the procedures offered: with or without tone marks, citizens\' words, small typos; filters and facet counts',
        security: [],
        querystring: {
          type: 'object',
          additionalProperties: false,
          properties: {
            q: { type: 'string', maxLength: 2000 },
            level: filter,
            field: filter,
            agency: filter,
            onlineLevel: filter,
            applicantType: filter,
            limit: { type: 'integer', minimum: 1, maximum: 200, default: 20 },
            offset: { type: 'integer', minimum: 0, maximum: 100000, default: 0 },
          },
        },
        response: { 400: errorSchema },
      },
    },
    async (req) => {
      const { q, limit, offset, ...filters } = req.query;
      return search.search({ q, limit, offset, filters });
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
      const { code } = req.params;
      const p = await catalogue.current(code);
      if (!p) throw notFound({ vi: `Không tìm thấy thủ tục ${code}`, en: `No procedure ${code}` }, 'code');
      // Where to apply: the agencies that offer it, each with its local deadline and fees.
      const offerings = await catalogue.offeringsOf(code);
      const names = await agencyNames(offerings.map((o) => o.agencyCode));
      return {
        ...p,
        offerings: offerings.map((o) => ({
          agencyCode: o.agencyCode,
          agencyName: names.get(o.agencyCode) ?? null,
          onlineLevel: o.onlineLevel,
          onlineLevelReason: o.onlineLevelReason ?? null,
          processingDays: o.processingDays ?? p.legalProcessingDays,
          fees: o.fees ?? p.fees,
        })),
      };
    },
  );

  const agencyCode = { type: 'string', minLength: 1, maxLength: 40, pattern: '^[A-Za-z0-9.\\-]+$' } as const;

  app.put(
    '/api/v1/admin/offerings/:code/:agencyCode',
    {
      config: { roles: ['admin'] },
      schema: {
        tags: ['admin'],
        summary: 'Offer a procedure at an agency: online level (with the legal reason when partial), a shortened deadline, fees set by the provincial council',
        params: { type: 'object', properties: { code: { type: 'string', maxLength: 40, pattern: PROCEDURE_CODE_PATTERN }, agencyCode }, required: ['code', 'agencyCode'] },
        body: offeringBody,
        response: { 400: errorSchema, 401: errorSchema, 403: errorSchema, 404: errorSchema, 422: errorSchema },
      },
    },
    async (req) => {
      const { code, agencyCode: agency } = req.params;
      return catalogue.setOffering(requirePrincipal(req), code, agency, req.body, req.id);
    },
  );

  app.get(
    '/api/v1/admin/offerings',
    {
      config: { roles: ['admin'] },
      schema: {
        tags: ['admin'],
        summary: 'What the province offers, by procedure and agency',
        querystring: {
          type: 'object',
          additionalProperties: false,
          properties: { agencyCode, limit: { type: 'integer', minimum: 1, maximum: 500, default: 100 }, offset: { type: 'integer', minimum: 0, maximum: 1000000, default: 0 } },
        },
        response: { 400: errorSchema, 401: errorSchema, 403: errorSchema },
      },
    },
    async (req) => catalogue.listOfferings(requirePrincipal(req), req.query),
  );
}
