import type { FastifyInstance, FastifyReply } from 'fastify';
import { AppError, notFound } from '../../shared/errors.ts';
import { requirePrincipal } from '../../http/auth.ts';
import { typed } from '../../http/typed.ts';
import { errorSchema } from '../../http/schemas.ts';
import { officerUnits } from '../authorization/index.ts';
import type { DossierService } from '../dossiers/index.ts';
import type { FileService } from '../files/index.ts';
import type { DocumentService } from './service.ts';

const STAFF_AND_APPLICANTS = ['citizen', 'business', 'reception', 'specialist', 'leader'] as const;
const STAFF = ['reception', 'specialist', 'leader'] as const;
const codeParams = { type: 'object', properties: { code: { type: 'string', minLength: 1, maxLength: 64 } }, required: ['code'] } as const;

const pdf = (reply: FastifyReply, bytes: Uint8Array, name: string) =>
  reply
    .header('content-type', 'application/pdf')
    .header('content-disposition', `inline; filename*=UTF-8''${encodeURIComponent(name)}`)
    .header('cache-control', 'private, no-store')
    .send(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));

/** The days a register may cover: from the first year of online public services to the end of this century. */
const FIRST_DAY = '2000-01-01';
const LAST_DAY = '2099-12-31';

/** A calendar day in Vietnam (UTC+7) as the instant it starts: a real day (no 30 February), within the years a register covers. */
export function dayStart(v: unknown, field: string): Date {
  const at = typeof v === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(v) ? new Date(`${v}T00:00:00+07:00`) : undefined;
  if (at === undefined || Number.isNaN(at.getTime()) || new Date(at.getTime() + 7 * 3600_000).toISOString().slice(0, 10) !== v) {
    throw new AppError('bad_request', 'invalid_date', { vi: 'Ngày phải là một ngày có thật, dạng YYYY-MM-DD', en: 'A date must be a real day, as YYYY-MM-DD' }, { field });
  }
  if (v < FIRST_DAY || v > LAST_DAY) {
    throw new AppError('bad_request', 'date_out_of_range', { vi: `Ngày phải từ ${FIRST_DAY} đến ${LAST_DAY}`, en: `The day must be between ${FIRST_DAY} and ${LAST_DAY}` }, { field, extra: { min: FIRST_DAY, max: LAST_DAY } });
  }
  return at;
}

export function registerDocumentRoutes(server: FastifyInstance, deps: { dossiers: DossierService; files: FileService; documents: DocumentService | undefined }): void {
  const app = typed(server);
  app.get(
    '/api/v1/dossiers/:code/result',
    {
      config: { roles: STAFF_AND_APPLICANTS },
      schema: {
        tags: ['dossiers'],
        summary: 'The signed result PDF of a dossier, for those allowed to see the dossier (404 otherwise, or while there is no result)',
        params: codeParams,
        response: { 401: errorSchema, 403: errorSchema, 404: errorSchema },
      },
    },
    async (req, reply) => {
      const p = requirePrincipal(req);
      const { code } = req.params;
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

  app.get(
    '/api/v1/dossiers/:code/control-slip',
    {
      config: { roles: STAFF },
      schema: {
        tags: ['dossiers'],
        summary: 'The process control slip (Phiếu kiểm soát quá trình giải quyết hồ sơ) of a dossier, from its history: PDF, staff who may see the dossier',
        params: codeParams,
        response: { 401: errorSchema, 403: errorSchema, 404: errorSchema },
      },
    },
    async (req, reply) => {
      const p = requirePrincipal(req);
      if (!deps.documents) throw notFound({ vi: 'Chức năng tạo giấy tờ đang tắt', en: 'Document generation is off' }, 'code');
      const { code } = req.params;
      const d = await deps.dossiers.get(p, code);
      const steps = (d.history ?? []).map((e) => ({
        from: e.statusFrom ?? '—',
        to: e.statusTo,
        at: e.at,
        dueAt: typeof e.data.stepDueAt === 'string' ? new Date(e.data.stepDueAt) : null,
        by: `${typeof e.data.actorRole === 'string' ? e.data.actorRole : (e.actorRoles[0] ?? '')} ${e.actorSub.slice(0, 8)}`,
        note: typeof e.data.note === 'string' ? e.data.note : e.action,
      }));
      const bytes = await deps.documents.controlSlip({
        principal: p,
        action: 'control_slip',
        input: {},
        dossier: {
          id: '', code: d.code, procedureCode: d.procedure.code, procedureVersion: d.procedure.version, agencyCode: d.agencyCode,
          applicantSub: '', applicant: d.applicant, form: d.form, submittedAt: d.submittedAt,
          receivedAt: d.receivedAt, dueAt: d.dueAt,
        },
      }, steps);
      return pdf(reply, bytes, `phieu-kiem-soat-${code}.pdf`);
    },
  );

  app.get(
    '/api/v1/agencies/:agencyCode/register',
    {
      config: { roles: STAFF },
      schema: {
        tags: ['dossiers'],
        summary: "The dossier-tracking register (Sổ theo dõi hồ sơ) of the caller's agency between two days (Vietnam time): PDF",
        params: { type: 'object', properties: { agencyCode: { type: 'string', minLength: 1, maxLength: 64 } }, required: ['agencyCode'] },
        querystring: { type: 'object', properties: { from: { type: 'string' }, to: { type: 'string' } }, required: ['from', 'to'] },
        response: { 400: errorSchema, 401: errorSchema, 403: errorSchema, 404: errorSchema },
      },
    },
    async (req, reply) => {
      const p = requirePrincipal(req);
      const { agencyCode } = req.params;
      // Staff of that agency only; anyone else is told there is no such register.
      if (!deps.documents || !officerUnits(p).includes(agencyCode)) throw notFound({ vi: 'Không tìm thấy sổ theo dõi', en: 'No such register' }, 'agencyCode');
      const q = req.query;
      const from = dayStart(q.from, 'query.from');
      const to = new Date(dayStart(q.to, 'query.to').getTime() + 86_400_000);
      if (to <= from) throw new AppError('bad_request', 'invalid_range', { vi: 'Ngày kết thúc trước ngày bắt đầu', en: 'The end is before the start' }, { field: 'query.to' });
      return pdf(reply, await deps.documents.register(agencyCode, from, to), `so-theo-doi-${agencyCode}-${q.from}-${q.to}.pdf`);
    },
  );
}
