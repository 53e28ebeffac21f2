/**
 * Catalogue use cases that change what the province offers. Each is one transaction
 * with its audit entry and its outbox event.
 */
import type { Database } from '../../db/database.ts';
import { AppError, notFound } from '../../shared/errors.ts';
import { appendAudit } from '../audit/index.ts';
import type { Principal } from '../identity/index.ts';
import { enqueue } from '../outbox/index.ts';
import { agencyNames } from '../organisation/index.ts';
import { checkOffering, type Offering, type OfferingInput } from './offering.ts';
import { findOfferings, listOfferings, saveOffering } from './offering-store.ts';
import { findCurrentProcedure, procedureNames } from './store.ts';
import type { Procedure } from './types.ts';
import { systemClock, type Clock } from '../../shared/clock.ts';

/** What a procedure code looks like (the national codes and the demo's). */
export const PROCEDURE_CODE = /^[A-Za-z0-9._-]{1,40}$/;

const forbidden = (): AppError =>
  new AppError('forbidden', 'forbidden', { vi: 'Chỉ quản trị hệ thống được cấu hình danh mục', en: 'Only administrators configure the catalogue' }, { extra: { requiredRoles: ['admin'] } });

export function createCatalogueService(deps: { db: Database; clock?: Clock; onChange?: () => void }) {
  const { db } = deps;
  const clock = deps.clock ?? systemClock;
  const requireAdmin = (p: Principal): void => {
    if (!p.roles.includes('admin')) throw forbidden();
  };

  return {
    /** Offers (or changes the offering of) a procedure at an agency. */
    async setOffering(p: Principal, procedureCode: string, agencyCode: string, input: OfferingInput, requestId?: string): Promise<Offering> {
      requireAdmin(p);
      return db.transaction(async (tx) => {
        const procedure = await findCurrentProcedure(tx, procedureCode);
        if (!procedure) throw notFound({ vi: `Không tìm thấy thủ tục ${procedureCode}`, en: `No procedure ${procedureCode}` }, 'code');
        if (!(await agencyNames(tx, [agencyCode])).has(agencyCode)) throw notFound({ vi: `Không tìm thấy cơ quan ${agencyCode}`, en: `No agency ${agencyCode}` }, 'agencyCode');
        const problems = checkOffering(procedure, input);
        if (problems.length > 0) {
          throw new AppError('invalid', 'invalid_offering', { vi: 'Cấu hình cung cấp thủ tục chưa hợp lệ', en: 'The offering is not valid' }, { field: problems[0]!.field, details: problems });
        }
        const offering: Offering = {
          procedureCode,
          agencyCode,
          onlineLevel: input.onlineLevel,
          onlineLevelReason: input.onlineLevelReason,
          processingDays: input.processingDays,
          fees: input.fees,
          active: input.active ?? true,
        };
        const before = await saveOffering(tx, offering, p.sub);
        const now = clock.now();
        await appendAudit(tx, {
          actorSub: p.sub, actorRoles: p.roles, action: 'catalogue.offering.set', entityType: 'offering', entityId: `${procedureCode}@${agencyCode}`,
          before: before ?? null, after: offering, at: now, requestId,
        });
        await enqueue(tx, [{ topic: 'catalogue.offering_changed', key: procedureCode, payload: { ...offering, at: now.toISOString() } }]);
        return offering;
      }).finally(() => deps.onChange?.());
    },

    async listOfferings(p: Principal, opts: { agencyCode?: string; limit: number; offset: number }) {
      requireAdmin(p);
      return listOfferings(db, opts);
    },

    /** Where a procedure may be applied for (public). */
    offeringsOf: (procedureCode: string) => findOfferings(db, procedureCode),

    /** The version of a procedure in force (public); nothing for a code that cannot be one. */
    current: (code: string): Promise<Procedure | undefined> => (PROCEDURE_CODE.test(code) ? findCurrentProcedure(db, code) : Promise.resolve(undefined)),

    /** The Vietnamese names of procedures, by code. */
    names: (codes: readonly string[]): Promise<Map<string, string>> => procedureNames(db, codes),
  };
}
export type CatalogueService = ReturnType<typeof createCatalogueService>;
