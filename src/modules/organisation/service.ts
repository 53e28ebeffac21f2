/**
 * Organisation use cases: set up a province's units, add, rename and merge units, keep
 * the staff and their role grants. Each change is one transaction with its audit entry
 * and its outbox event; a refusal leaves nothing written.
 */
import { randomUUID } from 'node:crypto';
import type { Database, Queryable } from '../../db/database.ts';
import { AppError, notFound, type FieldError } from '../../shared/errors.ts';
import { systemClock, type Clock } from '../../shared/clock.ts';
import { appendAudit } from '../audit/index.ts';
import type { Principal } from '../identity/index.ts';
import { enqueue } from '../outbox/index.ts';
import { revokeSessionsOf } from '../sessions/index.ts';
import { checkDelegation, checkGrant, checkRevoke, isProvinceAdmin, isUnitAdminOf, type Actor, type Refusal, type UnitRole } from './roles.ts';
import { parseStaffCsv, type LineProblem } from './staff-csv.ts';
import {
  agencyNames, allUnits, effectiveRoles, findGrant, findStaff, findStandingGrant, findUnit, grantsOf, insertGrant, insertUnit, isStaffOfUnit, listStaff, listUnits,
  markMerged, markRevoked, saveStaff, updateUnit, type RoleGrant, type Staff,
} from './store.ts';
import { CODE_SUFFIX_PATTERN, checkMerge, checkNewUnit, nextLocalUnitCode, provinceCodeSuffix, provinceSetupPlan, unitLevelOf, type NewUnitInput, type Unit } from './units.ts';
import { findVnProvince } from './vn-units.ts';

export interface SetupReport {
  province: string;
  codeSuffix: string;
  created: number;
  updated: number;
  unchanged: number;
  units: number;
}

const refused = (r: Refusal): AppError =>
  r.status === 403
    ? new AppError('forbidden', 'forbidden', r.problems[0]!.message, { field: r.problems[0]!.field, details: r.problems })
    : new AppError('invalid', r.problems[0]!.code, r.problems[0]!.message, { field: r.problems[0]!.field, details: r.problems });

const invalid = (problems: FieldError[], code = 'invalid'): AppError => new AppError('invalid', code, problems[0]!.message, { field: problems[0]!.field, details: problems });

const forbiddenProvince = (): AppError =>
  new AppError('forbidden', 'forbidden', { vi: 'Chỉ quản trị cấp tỉnh được thay đổi tổ chức', en: 'Only a province administrator changes the organisation' }, { extra: { requiredRoles: ['admin', 'province_admin'] } });

const noUnit = (code: string, field: string): AppError => notFound({ vi: `Không tìm thấy đơn vị ${code}`, en: `No unit ${code}` }, field);
const noStaff = (sub: string): AppError => notFound({ vi: `Không tìm thấy cán bộ ${sub}`, en: `No staff member ${sub}` }, 'sub');
const inactiveUnit = (code: string, field: string): AppError =>
  new AppError('conflict', 'unit_inactive', { vi: `Đơn vị ${code} đã ngừng hoạt động hoặc đã được sáp nhập`, en: `Unit ${code} is inactive or merged` }, { field });

export interface GrantInput {
  unitCode: string;
  role: string;
  validFrom?: string | undefined;
  validUntil?: string | undefined;
}

export function createOrganisationService(deps: { db: Database; clock?: Clock; onStaffChange?: (sub: string | undefined) => void }) {
  const { db } = deps;
  /** Tells authorization a person's standing changed (it forgets what it remembered about them). */
  const changed = (sub: string): void => deps.onStaffChange?.(sub);
  const clock = deps.clock ?? systemClock;

  const actorOf = async (q: Queryable, p: Principal, at: Date): Promise<Actor> => ({ sub: p.sub, tokenRoles: p.roles, held: await effectiveRoles(q, p.sub, at) });
  const requireProvinceAdmin = async (q: Queryable, p: Principal, at: Date): Promise<Actor> => {
    const a = await actorOf(q, p, at);
    if (!isProvinceAdmin(a)) throw forbiddenProvince();
    return a;
  };
  const requireAnyAdmin = async (q: Queryable, p: Principal, at: Date): Promise<Actor> => {
    const a = await actorOf(q, p, at);
    if (!isProvinceAdmin(a) && !a.held.some((h) => h.role === 'unit_admin' && h.delegatedBy === undefined)) {
      throw new AppError('forbidden', 'forbidden', { vi: 'Chỉ quản trị được quản lý cán bộ', en: 'Only administrators manage staff' });
    }
    return a;
  };
  const audit = (tx: Queryable, p: Principal, at: Date, action: string, entityType: string, entityId: string, before: unknown, after: unknown, requestId?: string) =>
    appendAudit(tx, { actorSub: p.sub, actorRoles: p.roles, action, entityType, entityId, before: before ?? null, after: after ?? null, at, requestId });

  const parseTime = (s: string | undefined, field: string, fallback: Date | undefined): Date | undefined => {
    if (s === undefined) return fallback;
    const d = new Date(s);
    if (Number.isNaN(d.getTime())) throw invalid([{ field, code: 'format', message: { vi: 'Thời điểm không hợp lệ (ISO 8601)', en: 'Not a valid date-time (ISO 8601)' } }]);
    return d;
  };

  /** Writes one grant with its audit entry and event, in the caller's transaction. */
  const writeGrant = async (tx: Queryable, p: Principal, g: RoleGrant, at: Date, requestId?: string): Promise<void> => {
    await insertGrant(tx, g);
    await audit(tx, p, at, g.delegatedBy ? 'organisation.role.delegate' : 'organisation.role.grant', 'role_grant', g.id, null, g, requestId);
    await enqueue(tx, [{ topic: 'organisation.role_granted', key: g.sub, payload: { ...g, at: at.toISOString() } }]);
  };

  return {
    /** The names of agencies, by code (codes not known are left out). */
    agencyNames: (codes: readonly string[]): Promise<Map<string, string>> => agencyNames(db, codes),

    /**
     * Creates the province, its standard agencies and every commune, ward and special
     * zone of the national list. Idempotent: a unit already there (by national code, by
     * code, or a unit of the same name without national code, e.g. the demo's) is kept,
     * only its missing kind and national code filled in; names changed since are kept.
     */
    async setupProvince(p: Principal, provinceCode: string, opts: { codeSuffix?: string | undefined; requestId?: string } = {}): Promise<SetupReport> {
      const province = findVnProvince(provinceCode);
      if (!province) throw notFound({ vi: `Không có tỉnh, thành phố mã ${provinceCode} trong danh mục (34 tỉnh, thành phố từ 2025)`, en: `No province with code ${provinceCode} in the list (34 provinces since 2025)` }, 'province');
      if (opts.codeSuffix !== undefined && !CODE_SUFFIX_PATTERN.test(opts.codeSuffix)) {
        throw invalid([{ field: 'codeSuffix', code: 'pattern', message: { vi: 'Mã cấp 1 gồm một chữ cái in hoa và 1–2 chữ số hoặc chữ cái (ví dụ H12)', en: 'The level-1 code is a capital letter and 1–2 digits or letters (e.g. H12)' } }]);
      }
      const suffix = provinceCodeSuffix(provinceCode, opts.codeSuffix);
      const plan = provinceSetupPlan(province, suffix);
      return db.transaction(async (tx) => {
        const now = clock.now();
        await requireProvinceAdmin(tx, p, now);
        const existing = await allUnits(tx);
        const byCode = new Map(existing.map((u) => [u.code, u]));
        const byNational = new Map(existing.filter((u) => u.adminUnitCode).map((u) => [u.adminUnitCode!, u]));
        const byName = new Map(existing.filter((u) => !u.adminUnitCode && !u.kind).map((u) => [`${u.level}\u0000${u.name}`, u]));
        /** Planned code → the code the unit really has (an adopted unit keeps its own). */
        const actual = new Map<string, string>();
        let created = 0;
        let updated = 0;
        let unchanged = 0;
        for (const planned of plan) {
          const parentCode = planned.parentCode !== undefined ? actual.get(planned.parentCode) ?? planned.parentCode : undefined;
          const have = (planned.adminUnitCode ? byNational.get(planned.adminUnitCode) : undefined) ?? byName.get(`${planned.level}\u0000${planned.name}`) ?? byCode.get(planned.code);
          if (have && have.adminUnitCode !== undefined && planned.adminUnitCode !== undefined && have.adminUnitCode !== planned.adminUnitCode) {
            throw new AppError('conflict', 'code_taken', { vi: `Mã ${planned.code} đã thuộc về đơn vị khác (${have.name})`, en: `Code ${planned.code} already belongs to another unit (${have.name})` }, { field: 'codeSuffix' });
          }
          if (have && have.kind !== undefined && have.kind !== planned.kind && have.code === planned.code && !planned.adminUnitCode) {
            throw new AppError('conflict', 'code_taken', { vi: `Mã ${planned.code} đã thuộc về đơn vị khác (${have.name})`, en: `Code ${planned.code} already belongs to another unit (${have.name})` }, { field: 'codeSuffix' });
          }
          if (!have) {
            const unit: Unit = { ...planned, ...(parentCode !== undefined ? { parentCode } : {}) };
            await insertUnit(tx, unit);
            await audit(tx, p, now, 'organisation.unit.create', 'unit', unit.code, null, unit, opts.requestId);
            byCode.set(unit.code, unit);
            actual.set(planned.code, unit.code);
            created++;
            continue;
          }
          actual.set(planned.code, have.code);
          const filled: Unit = { ...have, kind: have.kind ?? planned.kind, adminUnitCode: have.adminUnitCode ?? planned.adminUnitCode, nameEn: have.nameEn ?? planned.nameEn, parentCode: have.parentCode ?? parentCode };
          if (filled.kind === have.kind && filled.adminUnitCode === have.adminUnitCode && filled.nameEn === have.nameEn && filled.parentCode === have.parentCode) {
            unchanged++;
            continue;
          }
          await updateUnit(tx, filled);
          await audit(tx, p, now, 'organisation.unit.update', 'unit', have.code, have, filled, opts.requestId);
          updated++;
        }
        const report: SetupReport = { province: province.fullName, codeSuffix: suffix, created, updated, unchanged, units: plan.length };
        if (created + updated > 0) await enqueue(tx, [{ topic: 'organisation.province_set_up', key: provinceCode, payload: { ...report, at: now.toISOString() } }]);
        return report;
      });
    },

    async addUnit(p: Principal, input: NewUnitInput, requestId?: string): Promise<Unit> {
      const problems = checkNewUnit(input);
      if (problems.length > 0) throw invalid(problems, 'invalid_unit');
      return db.transaction(async (tx) => {
        const now = clock.now();
        await requireProvinceAdmin(tx, p, now);
        const units = await allUnits(tx);
        let parentCode = input.parentCode;
        if (parentCode === undefined) {
          const roots = units.filter((u) => u.kind === 'people_committee' && u.active);
          if (roots.length !== 1) throw invalid([{ field: '/parentCode', code: 'required', message: { vi: 'Cần chỉ rõ đơn vị cấp trên', en: 'Name the parent unit' } }]);
          parentCode = roots[0]!.code;
        }
        const parent = units.find((u) => u.code === parentCode);
        if (!parent) throw noUnit(parentCode, '/parentCode');
        if (!parent.active) throw inactiveUnit(parentCode, '/parentCode');
        const suffix = parentCode.split('.')[3]!;
        const code = input.code ?? nextLocalUnitCode(suffix, units.map((u) => u.code));
        if (units.some((u) => u.code === code)) throw new AppError('conflict', 'code_taken', { vi: `Mã ${code} đã được dùng`, en: `Code ${code} is already used` }, { field: '/code' });
        if (input.adminUnitCode !== undefined && units.some((u) => u.adminUnitCode === input.adminUnitCode)) {
          throw new AppError('conflict', 'admin_unit_code_taken', { vi: `Mã đơn vị hành chính ${input.adminUnitCode} đã thuộc đơn vị khác`, en: `Administrative unit code ${input.adminUnitCode} already belongs to another unit` }, { field: '/adminUnitCode' });
        }
        const unit: Unit = { code, name: input.name.trim(), nameEn: input.nameEn, level: unitLevelOf(input.kind), kind: input.kind, parentCode, adminUnitCode: input.adminUnitCode, active: true };
        await insertUnit(tx, unit);
        await audit(tx, p, now, 'organisation.unit.create', 'unit', code, null, unit, requestId);
        await enqueue(tx, [{ topic: 'organisation.unit_created', key: code, payload: { ...unit, at: now.toISOString() } }]);
        return (await findUnit(tx, code))!;
      });
    },

    async renameUnit(p: Principal, code: string, input: { name: string; nameEn?: string | undefined }, requestId?: string): Promise<Unit> {
      if (!input.name.trim()) throw invalid([{ field: '/name', code: 'required', message: { vi: 'Cần nhập tên mới', en: 'Give the new name' } }]);
      return db.transaction(async (tx) => {
        const now = clock.now();
        await requireProvinceAdmin(tx, p, now);
        const before = await findUnit(tx, code, { forUpdate: true });
        if (!before) throw noUnit(code, 'code');
        const after: Unit = { ...before, name: input.name.trim(), ...(input.nameEn !== undefined ? { nameEn: input.nameEn } : {}) };
        if (after.name === before.name && after.nameEn === before.nameEn) return before;
        await updateUnit(tx, after);
        await audit(tx, p, now, 'organisation.unit.rename', 'unit', code, before, after, requestId);
        await enqueue(tx, [{ topic: 'organisation.unit_renamed', key: code, payload: { code, name: after.name, previousName: before.name, at: now.toISOString() } }]);
        return after;
      });
    },

    /** Records that `code` became part of `into`: it stays (history names it) but is inactive. */
    async mergeUnit(p: Principal, code: string, into: string, requestId?: string): Promise<Unit> {
      return db.transaction(async (tx) => {
        const now = clock.now();
        await requireProvinceAdmin(tx, p, now);
        const from = await findUnit(tx, code, { forUpdate: true });
        if (!from) throw noUnit(code, 'code');
        const target = await findUnit(tx, into, { forUpdate: true });
        if (!target) throw noUnit(into, '/into');
        const problems = checkMerge(from, target);
        if (problems.length > 0) throw new AppError(problems[0]!.code === 'same_unit' ? 'invalid' : 'conflict', problems[0]!.code, problems[0]!.message, { field: problems[0]!.field, details: problems });
        await markMerged(tx, code, into, now);
        const after = (await findUnit(tx, code))!;
        await audit(tx, p, now, 'organisation.unit.merge', 'unit', code, from, after, requestId);
        await enqueue(tx, [{ topic: 'organisation.unit_merged', key: code, payload: { code, into, at: now.toISOString() } }]);
        return after;
      }).finally(() => deps.onStaffChange?.(undefined));
    },

    async getUnit(p: Principal, code: string): Promise<Unit> {
      await requireAnyAdmin(db, p, clock.now());
      const u = await findUnit(db, code);
      if (!u) throw noUnit(code, 'code');
      return u;
    },

    async listUnits(p: Principal, opts: Parameters<typeof listUnits>[1]) {
      await requireAnyAdmin(db, p, clock.now());
      return listUnits(db, opts);
    },

    /** Adds a staff member or changes their name, e-mail or activity. */
    async putStaff(p: Principal, s: Staff, requestId?: string): Promise<{ staff: Staff; created: boolean }> {
      return db.transaction(async (tx) => {
        const now = clock.now();
        await requireAnyAdmin(tx, p, now);
        const before = await findStaff(tx, s.sub, { forUpdate: true });
        if (before && before.name === s.name && before.email === s.email && before.active === s.active) return { staff: before, created: false };
        await saveStaff(tx, s);
        await audit(tx, p, now, before ? 'organisation.staff.update' : 'organisation.staff.create', 'staff', s.sub, before, s, requestId);
        // A deactivated staff member's browser sessions end with the change (reactivation does not revive them).
        if (!s.active) await revokeSessionsOf(tx, s.sub, now);
        await enqueue(tx, [{ topic: 'organisation.staff_changed', key: s.sub, payload: { ...s, at: now.toISOString() } }]);
        return { staff: s, created: before === undefined };
      }).finally(() => changed(s.sub));
    },

    async getStaff(p: Principal, sub: string) {
      const now = clock.now();
      await requireAnyAdmin(db, p, now);
      const s = await findStaff(db, sub);
      if (!s) throw noStaff(sub);
      return { ...s, grants: await grantsOf(db, sub), effectiveRoles: await effectiveRoles(db, sub, now) };
    },

    async listStaff(p: Principal, opts: Parameters<typeof listStaff>[1]) {
      await requireAnyAdmin(db, p, clock.now());
      return listStaff(db, opts);
    },

    /** Grants a role in a unit (a standing grant already there is returned, unchanged). */
    async grant(p: Principal, sub: string, input: GrantInput, requestId?: string): Promise<{ grant: RoleGrant; created: boolean }> {
      return db.transaction(async (tx) => {
        const now = clock.now();
        const validFrom = parseTime(input.validFrom, '/validFrom', now)!;
        const validUntil = parseTime(input.validUntil, '/validUntil', undefined);
        const actor = await actorOf(tx, p, now);
        const refusal = checkGrant(actor, { sub, unitCode: input.unitCode, role: input.role, validFrom, validUntil });
        if (refusal) throw refused(refusal);
        if (!(await findStaff(tx, sub))) throw noStaff(sub);
        const unit = await findUnit(tx, input.unitCode);
        if (!unit) throw noUnit(input.unitCode, '/unitCode');
        if (!unit.active) throw inactiveUnit(input.unitCode, '/unitCode');
        const existing = await findStandingGrant(tx, sub, input.unitCode, input.role);
        if (existing) return { grant: existing, created: false };
        const g: RoleGrant = {
          id: randomUUID(), sub, unitCode: input.unitCode, role: input.role as UnitRole, validFrom: validFrom.toISOString(),
          ...(validUntil ? { validUntil: validUntil.toISOString() } : {}), grantedBy: p.sub, grantedAt: now.toISOString(),
        };
        await writeGrant(tx, p, g, now, requestId);
        return { grant: g, created: true };
      }).finally(() => changed(sub));
    },

    /** A leader makes another staff member of the unit acting leader for a period (at most 90 days). */
    async delegate(p: Principal, sub: string, input: Omit<GrantInput, 'role'>, requestId?: string): Promise<RoleGrant> {
      return db.transaction(async (tx) => {
        const now = clock.now();
        const validFrom = parseTime(input.validFrom, '/validFrom', now)!;
        const validUntil = parseTime(input.validUntil, '/validUntil', undefined);
        const unit = await findUnit(tx, input.unitCode);
        if (!unit) throw noUnit(input.unitCode, '/unitCode');
        if (!unit.active) throw inactiveUnit(input.unitCode, '/unitCode');
        if (!(await findStaff(tx, sub))) throw noStaff(sub);
        const actor = await actorOf(tx, p, now);
        const refusal = checkDelegation(actor, { sub, unitCode: input.unitCode, role: 'leader', validFrom, validUntil }, await isStaffOfUnit(tx, sub, input.unitCode, now));
        if (refusal) throw refused(refusal);
        const g: RoleGrant = {
          id: randomUUID(), sub, unitCode: input.unitCode, role: 'leader', validFrom: validFrom.toISOString(), validUntil: validUntil!.toISOString(),
          delegatedBy: p.sub, grantedBy: p.sub, grantedAt: now.toISOString(),
        };
        await writeGrant(tx, p, g, now, requestId);
        return g;
      }).finally(() => changed(sub));
    },

    /** Revokes a grant (of `sub` when given: another person's grant id is not found). */
    async revoke(p: Principal, grantId: string, opts: { sub?: string | undefined; requestId?: string | undefined } = {}): Promise<RoleGrant> {
      const { requestId } = opts;
      return db.transaction(async (tx) => {
        const now = clock.now();
        const g = await findGrant(tx, grantId, { forUpdate: true });
        if (!g || (opts.sub !== undefined && g.sub !== opts.sub)) throw notFound({ vi: `Không tìm thấy quyền đã cấp ${grantId}`, en: `No role grant ${grantId}` }, 'grantId');
        const refusal = checkRevoke(await actorOf(tx, p, now), g);
        if (refusal) throw refused(refusal);
        if (g.revokedAt !== undefined) throw new AppError('conflict', 'already_revoked', { vi: 'Quyền này đã bị thu hồi', en: 'This grant is already revoked' }, { field: 'grantId' });
        await markRevoked(tx, grantId, p.sub, now);
        const after: RoleGrant = { ...g, revokedAt: now.toISOString(), revokedBy: p.sub };
        await audit(tx, p, now, 'organisation.role.revoke', 'role_grant', grantId, g, after, requestId);
        await enqueue(tx, [{ topic: 'organisation.role_revoked', key: g.sub, payload: { ...after, at: now.toISOString() } }]);
        return after;
      }).then((after) => {
        changed(after.sub);
        return after;
      });
    },

    /**
     * Imports staff and their roles from CSV, all or nothing: every problem of every line
     * (format, unknown or inactive unit, a role the caller may not grant) is reported with
     * its line number and nothing is written. Grants already there are left as they are.
     */
    async importStaff(p: Principal, csv: string, requestId?: string): Promise<{ staff: number; staffCreated: number; grantsCreated: number; grantsUnchanged: number }> {
      const parsed = parseStaffCsv(csv);
      const problems: LineProblem[] = [...parsed.problems];
      return db.transaction(async (tx) => {
        const now = clock.now();
        const actor = await requireAnyAdmin(tx, p, now);
        const units = new Map((await allUnits(tx)).map((u) => [u.code, u]));
        for (const l of parsed.unitRefs) {
          const u = units.get(l.unitCode);
          if (!u) problems.push({ line: l.line, field: 'unit_code', code: 'not_found', message: { vi: `Không tìm thấy đơn vị ${l.unitCode}`, en: `No unit ${l.unitCode}` } });
          else if (!u.active) problems.push({ line: l.line, field: 'unit_code', code: 'unit_inactive', message: { vi: `Đơn vị ${l.unitCode} đã ngừng hoạt động hoặc đã được sáp nhập`, en: `Unit ${l.unitCode} is inactive or merged` } });
        }
        for (const l of parsed.lines) {
          for (const role of l.roles) {
            const r = checkGrant(actor, { sub: l.sub, unitCode: l.unitCode, role, validFrom: now });
            if (r) problems.push({ line: l.line, field: r.problems[0]!.field === '/sub' ? 'sub' : 'roles', code: r.problems[0]!.code, message: r.problems[0]!.message });
          }
        }
        if (problems.length > 0) {
          problems.sort((a, b) => a.line - b.line);
          throw new AppError('invalid', 'invalid_staff_file', { vi: `Tệp có ${problems.length} lỗi, không có gì được nhập`, en: `The file has ${problems.length} problem(s); nothing was imported` }, {
            field: 'file',
            details: problems.map((x) => ({ field: `line ${x.line}: ${x.field}`, code: x.code, message: x.message })),
            extra: { problems },
          });
        }
        let staffCreated = 0;
        let grantsCreated = 0;
        let grantsUnchanged = 0;
        // What is there already, in two queries (not two a line).
        const subs = [...new Set(parsed.lines.map((l) => l.sub))];
        const existingStaff = new Map((await tx.query<{ sub: string; name: string; email: string | null; active: boolean }>('SELECT sub, name, email, active FROM staff WHERE sub = ANY($1::text[]) FOR UPDATE', [subs])).rows.map((r) => [r.sub, r]));
        const standing = new Set(
          (await tx.query<{ k: string }>("SELECT sub || chr(1) || unit_code || chr(1) || role AS k FROM role_grants WHERE sub = ANY($1::text[]) AND revoked_at IS NULL AND delegated_by IS NULL", [subs])).rows.map((r) => r.k),
        );
        const events: { topic: string; key: string; payload: unknown }[] = [];
        const done = new Set<string>();
        for (const l of parsed.lines) {
          if (!done.has(l.sub)) {
            done.add(l.sub);
            const row = existingStaff.get(l.sub);
            const before: Staff | undefined = row ? { sub: row.sub, name: row.name, ...(row.email !== null ? { email: row.email } : {}), active: row.active } : undefined;
            const s: Staff = { sub: l.sub, name: l.name, ...(l.email ? { email: l.email } : {}), active: before?.active ?? true };
            if (!before || before.name !== s.name || before.email !== s.email) {
              await saveStaff(tx, s);
              await audit(tx, p, now, before ? 'organisation.staff.update' : 'organisation.staff.create', 'staff', s.sub, before, s, requestId);
              if (!before) staffCreated++;
            }
          }
          for (const role of l.roles) {
            const key = `${l.sub}\u0001${l.unitCode}\u0001${role}`;
            if (standing.has(key)) {
              grantsUnchanged++;
              continue;
            }
            standing.add(key);
            const g: RoleGrant = { id: randomUUID(), sub: l.sub, unitCode: l.unitCode, role, validFrom: now.toISOString(), grantedBy: p.sub, grantedAt: now.toISOString() };
            await insertGrant(tx, g);
            await audit(tx, p, now, 'organisation.role.grant', 'role_grant', g.id, null, g, requestId);
            events.push({ topic: 'organisation.role_granted', key: g.sub, payload: { ...g, at: now.toISOString() } });
            grantsCreated++;
          }
        }
        await enqueue(tx, events);
        return { staff: done.size, staffCreated, grantsCreated, grantsUnchanged };
      }).finally(() => deps.onStaffChange?.(undefined));
    },

    /** The unit roles a person holds at `at` (default now). */
    effectiveRoles: (sub: string, at?: Date) => effectiveRoles(db, sub, at ?? clock.now()),
  };
}
export type OrganisationService = ReturnType<typeof createOrganisationService>;
export { effectiveRoles, isUnitAdminOf };
