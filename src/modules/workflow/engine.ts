/**
 * The dossier workflow engine: pure functions over a WorkflowDefinition (data), a
 * DossierSnapshot and an Actor. No I/O, no clock of its own (`now` is passed in), no
 * mutation of its arguments. The caller (an application service) has validated the
 * action's input against its JSON Schema; the engine checks the domain rules (who,
 * when, dates, at-most-once apology...) and returns the new snapshot and the events to
 * record, or a typed refusal with a message in Vietnamese and English.
 */
import type { Message } from '../../shared/errors.ts';
import type { WorkingCalendar } from '../calendar/index.ts';
import type {
  ActionDefinition,
  Actor,
  AllowedAction,
  ClockState,
  Decision,
  DossierSnapshot,
  EffectName,
  GuardName,
  GuardRef,
  MissingDocument,
  Refusal,
  RefusalKind,
  Role,
  StateDefinition,
  StepBudget,
  SupplementRequest,
  TransferRecord,
  WorkflowDefinition,
  WorkflowEvent,
} from './types.ts';
import { SUBMISSION } from './types.ts';

// ---------------------------------------------------------------------------
// Per-definition lookup tables, computed once per definition object.

interface CompiledAction {
  def: ActionDefinition;
  from: StateDefinition;
  /** Target state; the source state itself when the action stays. */
  to: StateDefinition;
  stays: boolean;
  guards: readonly GuardRef[];
  allowed: AllowedAction;
}

interface Compiled {
  states: Map<string, StateDefinition>;
  names: Set<string>;
  /** state -> action name -> action. */
  byState: Map<string, Map<string, CompiledAction>>;
  /** state -> its actions in definition order. */
  listByState: Map<string, CompiledAction[]>;
}

const cache = new WeakMap<WorkflowDefinition, Compiled>();
const NO_GUARDS: readonly GuardRef[] = Object.freeze([]);

const compile = (def: WorkflowDefinition): Compiled => {
  let c = cache.get(def);
  if (c !== undefined) return c;
  const states = new Map<string, StateDefinition>();
  for (const s of def.states) states.set(s.name, s);
  const names = new Set<string>();
  const byState = new Map<string, Map<string, CompiledAction>>();
  const listByState = new Map<string, CompiledAction[]>();
  for (const s of def.states) {
    byState.set(s.name, new Map());
    listByState.set(s.name, []);
  }
  for (const a of def.actions) {
    names.add(a.name);
    for (const f of a.from) {
      const from = states.get(f);
      const to = a.to === undefined ? from : states.get(a.to);
      if (from === undefined || to === undefined) {
        throw new Error(`workflow ${def.id}@${def.version}: action ${a.name} names an unknown state (run validateDefinition)`);
      }
      const ca: CompiledAction = {
        def: a,
        from,
        to,
        stays: a.to === undefined,
        guards: a.guards ?? NO_GUARDS,
        allowed: { name: a.name, effect: a.effect, input: a.input, label: a.label },
      };
      const m = byState.get(f);
      if (m === undefined || m.has(a.name)) {
        throw new Error(`workflow ${def.id}@${def.version}: action ${a.name} is defined twice from state ${f}`);
      }
      m.set(a.name, ca);
      listByState.get(f)?.push(ca);
    }
  }
  c = { states, names, byState, listByState };
  cache.set(def, c);
  return c;
};

// ---------------------------------------------------------------------------
// Time helpers (Vietnam is UTC+7 all year, no daylight saving).

const VN_OFFSET_MS = 7 * 3600 * 1000;

/** The local (Asia/Ho_Chi_Minh) date `YYYY-MM-DD` of an instant. */
export const localDay = (instant: Date | string): string => {
  const ms = (typeof instant === 'string' ? Date.parse(instant) : instant.getTime()) + VN_OFFSET_MS;
  return new Date(ms).toISOString().slice(0, 10);
};

/** The last instant (23:59:59.999 local time) of a local date `YYYY-MM-DD`, or null when it is not a real date. */
export const endOfLocalDay = (day: string): Date | null => {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(day);
  if (m === null) return null;
  const y = Number(m[1]);
  const mo = Number(m[2]);
  const d = Number(m[3]);
  const utc = Date.UTC(y, mo - 1, d, 23, 59, 59, 999);
  const check = new Date(utc);
  if (check.getUTCFullYear() !== y || check.getUTCMonth() !== mo - 1 || check.getUTCDate() !== d) return null;
  return new Date(utc - VN_OFFSET_MS);
};

/** Whole working days of a step budget for a dossier with `legalDays` of legal processing time. */
export const budgetDays = (budget: StepBudget, legalDays: number): number =>
  'workingDays' in budget ? Math.ceil(budget.workingDays) : Math.ceil(budget.share * legalDays - 1e-9);

// ---------------------------------------------------------------------------
// Messages.

const q = (s: string): string => `“${s}”`;

const GUARD_MESSAGES: Record<GuardName, Message> = {
  applicantOnly: {
    vi: 'Chỉ người nộp hồ sơ mới được thực hiện thao tác này.',
    en: "Only the dossier's applicant may do this.",
  },
  assigneeOnly: {
    vi: 'Chỉ chuyên viên được phân công xử lý hồ sơ mới được thực hiện thao tác này.',
    en: 'Only the specialist the dossier is assigned to may do this.',
  },
  sameUnit: {
    vi: 'Hồ sơ không thuộc cơ quan, đơn vị của bạn.',
    en: 'The dossier is not held by your agency.',
  },
  apologyNotUsed: {
    vi: 'Hồ sơ đã được xin lỗi và hẹn lại ngày trả kết quả; việc hẹn lại chỉ được thực hiện một lần.',
    en: 'An apology with a new appointment date has already been issued for this dossier; it may be issued only once.',
  },
};

// ---------------------------------------------------------------------------
// Guards and roles.

const passes = (guard: GuardName, dossier: DossierSnapshot, actor: Actor): boolean => {
  switch (guard) {
    case 'applicantOnly':
      return actor.sub === dossier.applicantSub;
    case 'assigneeOnly':
      return dossier.assigneeSub !== null && actor.sub === dossier.assigneeSub;
    case 'sameUnit':
      return actor.agencyCode !== undefined && actor.agencyCode === dossier.currentAgencyCode;
    case 'apologyNotUsed':
      return !dossier.apologyUsed;
  }
};

/**
 * The role the actor may perform the action in (a string), or why not: `0` when the
 * actor holds none of the action's roles, else the first guard that failed.
 */
const resolveRole = (a: CompiledAction, dossier: DossierSnapshot, actor: Actor): Role | 0 | GuardRef => {
  let failed: GuardRef | 0 = 0;
  const roles = a.def.roles;
  for (let i = 0; i < roles.length; i++) {
    const role = roles[i] as Role;
    if (!actor.roles.includes(role)) continue;
    let ok = true;
    const guards = a.guards;
    for (let j = 0; j < guards.length; j++) {
      const g = guards[j] as GuardRef;
      if (g.roles !== undefined && !g.roles.includes(role)) continue;
      if (!passes(g.guard, dossier, actor)) {
        if (failed === 0) failed = g;
        ok = false;
        break;
      }
    }
    if (ok) return role;
  }
  return failed;
};

// ---------------------------------------------------------------------------
// Public API.

/** The actions `actor` may take on `dossier` now, with their input schemas. */
export const allowedActions = (definition: WorkflowDefinition, dossier: DossierSnapshot, actor: Actor): AllowedAction[] => {
  const list = compile(definition).listByState.get(dossier.status);
  const out: AllowedAction[] = [];
  if (list === undefined) return out;
  for (const a of list) if (typeof resolveRole(a, dossier, actor) === 'string') out.push(a.allowed);
  return out;
};

const allowedNames = (definition: WorkflowDefinition, dossier: DossierSnapshot, actor: Actor): string[] =>
  allowedActions(definition, dossier, actor).map((a) => a.name);

/** The state definition of the dossier's status (throws when the status is not in the definition). */
export const stateOf = (definition: WorkflowDefinition, dossier: DossierSnapshot): StateDefinition => {
  const s = compile(definition).states.get(dossier.status);
  if (s === undefined) throw new Error(`workflow ${definition.id}@${definition.version} has no state ${dossier.status}`);
  return s;
};

export interface NewDossier {
  applicantSub: string;
  agencyCode: string;
  legalProcessingDays: number;
}

/** A dossier just submitted (online or at the counter), in the definition's initial state. */
export const startDossier = (
  definition: WorkflowDefinition,
  init: NewDossier,
  now: Date,
): { dossier: DossierSnapshot; events: WorkflowEvent[] } => {
  const c = compile(definition);
  if (!c.states.has(definition.initial)) throw new Error(`workflow ${definition.id}: unknown initial state ${definition.initial}`);
  if (!Number.isFinite(init.legalProcessingDays) || init.legalProcessingDays < 0) {
    throw new RangeError('legalProcessingDays must be a finite number >= 0');
  }
  const at = now.toISOString();
  const dossier: DossierSnapshot = {
    workflow: { id: definition.id, version: definition.version },
    status: definition.initial,
    applicantSub: init.applicantSub,
    agencyCode: init.agencyCode,
    currentAgencyCode: init.agencyCode,
    assigneeSub: null,
    submittedAt: at,
    receivedAt: null,
    dueAt: null,
    stepDueAt: null,
    legalProcessingDays: init.legalProcessingDays,
    clock: { status: 'not_started', since: null, pausedAt: null, elapsedWorkingDays: 0 },
    apologyUsed: false,
    supplementRequests: [],
    transfers: [],
    draftResultFileId: null,
    resultFileId: null,
    refusalReasons: null,
    decidedAt: null,
  };
  const event: WorkflowEvent = {
    type: SUBMISSION.event,
    at,
    action: SUBMISSION.action,
    from: definition.initial,
    to: definition.initial,
    actorSub: init.applicantSub,
    actorRole: 'citizen',
    dueAt: null,
    stepDueAt: null,
    data: { agencyCode: init.agencyCode, legalProcessingDays: init.legalProcessingDays },
  };
  return { dossier, events: [event] };
};

/** A domain refusal raised by an effect; turned into a Refusal with the allowed list. */
interface Refused {
  refused: true;
  kind: RefusalKind;
  message: Message;
  field?: string;
  guard?: string;
}
const refused = (kind: RefusalKind, message: Message, field?: string, guard?: string): Refused => {
  const r: Refused = { refused: true, kind, message };
  if (field !== undefined) r.field = field;
  if (guard !== undefined) r.guard = guard;
  return r;
};
const isRefused = (x: unknown): x is Refused => (x as Refused).refused === true;

interface Ctx {
  next: DossierSnapshot;
  prev: DossierSnapshot;
  action: CompiledAction;
  actor: Actor;
  input: Record<string, unknown>;
  now: Date;
  at: string;
  calendar: WorkingCalendar;
  /** Set by an effect that computed the step's due instant itself. */
  stepDueSet: boolean;
}

type Effect = (ctx: Ctx) => Record<string, unknown> | Refused;

const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);
const strList = (v: unknown): string[] | undefined =>
  Array.isArray(v) && v.every((x) => typeof x === 'string') ? (v as string[]) : undefined;

const needReasons = (ctx: Ctx): string[] | Refused => {
  const reasons = strList(ctx.input['reasons']);
  if (reasons === undefined || reasons.length === 0 || reasons.some((r) => r.trim() === '')) {
    return refused('invalid_input', { vi: 'Cần nêu rõ lý do.', en: 'Give the reasons.' }, '/reasons');
  }
  return reasons;
};

const stepDue = (ctx: Ctx, days: number): string => {
  const due = ctx.calendar.dueDate(ctx.now, days).toISOString();
  const dossierDue = ctx.next.dueAt;
  return dossierDue !== null && due > dossierDue ? dossierDue : due;
};

const lastOpenTransfer = (transfers: readonly TransferRecord[]): number => {
  for (let i = transfers.length - 1; i >= 0; i--) if ((transfers[i] as TransferRecord).endedAt === null) return i;
  return -1;
};

const endTransfer = (ctx: Ctx, outcome: 'completed' | 'returned', note: string | null, resultFileId: string | null): Record<string, unknown> | Refused => {
  const i = lastOpenTransfer(ctx.prev.transfers);
  if (i < 0) {
    return refused('guard_failed', { vi: 'Hồ sơ không có yêu cầu liên thông đang mở.', en: 'The dossier has no open transfer.' }, undefined, 'openTransfer');
  }
  const t = ctx.prev.transfers[i] as TransferRecord;
  const transfers = ctx.prev.transfers.slice();
  transfers[i] = { ...t, endedAt: ctx.at, outcome, note, resultFileId };
  ctx.next.transfers = transfers;
  ctx.next.currentAgencyCode = t.fromAgencyCode;
  return { fromAgencyCode: t.toAgencyCode, toAgencyCode: t.fromAgencyCode, transferDueAt: t.dueAt, onTime: ctx.at <= t.dueAt };
};

const EFFECTS: Record<EffectName, Effect> = {
  receive(ctx) {
    const paperAfterCutoff = ctx.input['paperAfterCutoff'] === true;
    const legal = ctx.next.legalProcessingDays;
    // Complete and received (again): the legal time runs from zero from this receipt.
    const dueAt = ctx.calendar.dueDate(ctx.now, legal, paperAfterCutoff ? { paperAfterCutoff: true } : undefined).toISOString();
    ctx.next.receivedAt = ctx.at;
    ctx.next.dueAt = dueAt;
    ctx.next.clock = { status: 'running', since: ctx.at, pausedAt: null, elapsedWorkingDays: 0 };
    return paperAfterCutoff ? { receivedAt: ctx.at, legalProcessingDays: legal, paperAfterCutoff } : { receivedAt: ctx.at, legalProcessingDays: legal };
  },

  request_supplement(ctx) {
    const docs = ctx.input['missingDocuments'];
    if (!Array.isArray(docs) || docs.length === 0) {
      return refused(
        'invalid_input',
        { vi: 'Cần liệt kê đầy đủ, một lần các giấy tờ phải bổ sung.', en: 'List everything that is missing, in one go.' },
        '/missingDocuments',
      );
    }
    const seen = new Set<string>();
    const missing: MissingDocument[] = [];
    for (let i = 0; i < docs.length; i++) {
      const d = docs[i] as { name?: unknown; note?: unknown } | null;
      const name = d !== null && typeof d === 'object' ? str(d.name) : undefined;
      if (name === undefined || name.trim() === '') {
        return refused('invalid_input', { vi: 'Thiếu tên giấy tờ.', en: 'A document has no name.' }, `/missingDocuments/${i}/name`);
      }
      const key = name.trim().toLocaleLowerCase('vi');
      if (seen.has(key)) {
        return refused(
          'invalid_input',
          { vi: `Giấy tờ ${q(name)} được liệt kê hai lần; hãy gộp yêu cầu.`, en: `The document ${q(name)} is listed twice; merge the two requests.` },
          `/missingDocuments/${i}/name`,
        );
      }
      seen.add(key);
      const noteText = d !== null && typeof d === 'object' ? str(d.note) : undefined;
      missing.push(noteText !== undefined ? { name, note: noteText } : { name });
    }
    const reason = str(ctx.input['reason']) ?? '';
    const request: SupplementRequest = {
      at: ctx.at,
      bySub: ctx.actor.sub,
      phase: ctx.prev.status,
      missingDocuments: missing,
      reason,
      answeredAt: null,
      documentFileIds: null,
    };
    ctx.next.supplementRequests = [...ctx.prev.supplementRequests, request];
    return { phase: ctx.prev.status, missingDocuments: missing, reason };
  },

  supplement(ctx) {
    const ids = strList(ctx.input['documentFileIds']);
    if (ids === undefined || ids.length === 0) {
      return refused('invalid_input', { vi: 'Cần nộp các giấy tờ được yêu cầu.', en: 'Submit the documents asked for.' }, '/documentFileIds');
    }
    const reqs = ctx.prev.supplementRequests;
    const i = reqs.length - 1;
    const last = reqs[i];
    if (last !== undefined && last.answeredAt === null) {
      const copy = reqs.slice();
      copy[i] = { ...last, answeredAt: ctx.at, documentFileIds: ids };
      ctx.next.supplementRequests = copy;
    }
    // The dossier waits for a new receipt; the time already spent no longer counts.
    ctx.next.dueAt = null;
    ctx.next.receivedAt = null;
    return { documentFileIds: ids };
  },

  refuse(ctx) {
    const reasons = needReasons(ctx);
    if (isRefused(reasons)) return reasons;
    ctx.next.refusalReasons = reasons;
    ctx.next.decidedAt = ctx.at;
    const fileId = str(ctx.input['resultFileId']);
    if (fileId !== undefined) ctx.next.resultFileId = fileId;
    return fileId !== undefined ? { stage: ctx.prev.status, reasons, resultFileId: fileId } : { stage: ctx.prev.status, reasons };
  },

  assign(ctx) {
    const assignee = str(ctx.input['assignee']);
    if (assignee === undefined || assignee === '') {
      return refused('invalid_input', { vi: 'Cần chọn chuyên viên xử lý.', en: 'Choose the specialist.' }, '/assignee');
    }
    if (ctx.prev.status === ctx.action.to.name && ctx.prev.assigneeSub === assignee) {
      return refused(
        'invalid_input',
        { vi: 'Hồ sơ đã được phân công cho chuyên viên này.', en: 'The dossier is already assigned to this specialist.' },
        '/assignee',
      );
    }
    ctx.next.assigneeSub = assignee;
    return { assigneeSub: assignee, previousAssigneeSub: ctx.prev.assigneeSub };
  },

  start_processing() {
    return {};
  },

  transfer(ctx) {
    const target = str(ctx.input['targetAgencyCode']);
    if (target === undefined || target === '' || target === ctx.prev.currentAgencyCode) {
      return refused(
        'invalid_input',
        { vi: 'Cơ quan liên thông phải khác cơ quan đang xử lý.', en: 'The target agency must differ from the agency processing the dossier.' },
        '/targetAgencyCode',
      );
    }
    const asked = ctx.input['workingDays'];
    let days: number;
    let due: string;
    if (typeof asked === 'number') {
      days = Math.ceil(asked);
      due = ctx.calendar.dueDate(ctx.now, days).toISOString();
      if (ctx.prev.dueAt !== null && due > ctx.prev.dueAt) {
        return refused(
          'invalid_input',
          {
            vi: 'Thời gian liên thông vượt quá ngày hẹn trả kết quả của hồ sơ.',
            en: "The transfer's time ends after the dossier's appointment date.",
          },
          '/workingDays',
        );
      }
    } else {
      const budget = ctx.action.to.budget;
      days = budget !== undefined ? budgetDays(budget, ctx.prev.legalProcessingDays) : 0;
      due = stepDue(ctx, days);
    }
    const reason = str(ctx.input['reason']) ?? null;
    const record: TransferRecord = {
      fromAgencyCode: ctx.prev.currentAgencyCode,
      toAgencyCode: target,
      at: ctx.at,
      bySub: ctx.actor.sub,
      workingDays: days,
      dueAt: due,
      reason,
      endedAt: null,
      outcome: null,
      resultFileId: null,
      note: null,
    };
    ctx.next.transfers = [...ctx.prev.transfers, record];
    ctx.next.currentAgencyCode = target;
    ctx.next.stepDueAt = due;
    ctx.stepDueSet = true;
    return { fromAgencyCode: record.fromAgencyCode, toAgencyCode: target, workingDays: days, transferDueAt: due, reason };
  },

  complete_transfer(ctx) {
    return endTransfer(ctx, 'completed', str(ctx.input['note']) ?? null, str(ctx.input['resultFileId']) ?? null);
  },

  return_from_transfer(ctx) {
    const reasons = needReasons(ctx);
    if (isRefused(reasons)) return reasons;
    const out = endTransfer(ctx, 'returned', reasons.join('\n'), null);
    if (!isRefused(out)) out['reasons'] = reasons;
    return out;
  },

  submit_for_approval(ctx) {
    const draft = str(ctx.input['draftResultFileId']);
    if (draft === undefined || draft === '') {
      return refused('invalid_input', { vi: 'Cần đính kèm dự thảo kết quả.', en: 'Attach the draft result.' }, '/draftResultFileId');
    }
    ctx.next.draftResultFileId = draft;
    return { draftResultFileId: draft };
  },

  request_revision(ctx) {
    const reasons = needReasons(ctx);
    if (isRefused(reasons)) return reasons;
    return { reasons };
  },

  approve(ctx) {
    const fileId = str(ctx.input['resultFileId']) ?? ctx.prev.draftResultFileId;
    if (fileId === null || fileId === '') {
      return refused('invalid_input', { vi: 'Cần đính kèm kết quả đã ký.', en: 'Attach the signed result.' }, '/resultFileId');
    }
    ctx.next.resultFileId = fileId;
    ctx.next.decidedAt = ctx.at;
    const onTime = ctx.prev.dueAt === null || ctx.at <= ctx.prev.dueAt;
    return { resultFileId: fileId, onTime };
  },

  return_result(ctx) {
    const channel = str(ctx.input['channel']);
    return channel !== undefined ? { channel, resultFileId: ctx.prev.resultFileId } : { resultFileId: ctx.prev.resultFileId };
  },

  withdraw(ctx) {
    ctx.next.decidedAt = ctx.at;
    const reason = str(ctx.input['reason']);
    return reason !== undefined ? { stage: ctx.prev.status, reason } : { stage: ctx.prev.status };
  },

  apologise(ctx) {
    const dueAt = ctx.prev.dueAt;
    if (dueAt === null) {
      return refused('guard_failed', { vi: 'Hồ sơ chưa có ngày hẹn trả kết quả.', en: 'The dossier has no appointment date yet.' }, undefined, 'hasDueDate');
    }
    const dueDay = localDay(dueAt);
    // At the latest on the working day before the due day (Decree 61/2018, art. 19).
    const latest = ctx.calendar.workingDayBefore(new Date(dueAt), 1);
    if (localDay(ctx.now) > latest) {
      return refused(
        'guard_failed',
        {
          vi: `Văn bản xin lỗi phải được gửi chậm nhất 01 ngày làm việc trước ngày hẹn trả kết quả (${dueDay}), tức là trong ngày ${latest}.`,
          en: `An apology must be issued at least one working day before the appointment date (${dueDay}), that is by ${latest}.`,
        },
        undefined,
        'apologyDeadline',
      );
    }
    const newDay = str(ctx.input['newDueDate']) ?? '';
    const end = endOfLocalDay(newDay);
    if (end === null) {
      return refused('invalid_input', { vi: 'Ngày hẹn mới không hợp lệ.', en: 'The new appointment date is not a valid date.' }, '/newDueDate');
    }
    if (newDay <= dueDay) {
      return refused(
        'invalid_input',
        { vi: `Ngày hẹn mới phải sau ngày hẹn hiện tại (${dueDay}).`, en: `The new appointment date must be after the current one (${dueDay}).` },
        '/newDueDate',
      );
    }
    if (!ctx.calendar.isWorkingDay(newDay)) {
      return refused('invalid_input', { vi: 'Ngày hẹn mới phải là ngày làm việc.', en: 'The new appointment date must be a working day.' }, '/newDueDate');
    }
    const newDueAt = end.toISOString();
    ctx.next.dueAt = newDueAt;
    ctx.next.apologyUsed = true;
    const reason = str(ctx.input['reason']) ?? '';
    const letter = str(ctx.input['letterFileId']);
    return letter !== undefined
      ? { previousDueAt: dueAt, newDueAt, reason, letterFileId: letter }
      : { previousDueAt: dueAt, newDueAt, reason };
  },
};

const refusal = (
  definition: WorkflowDefinition,
  dossier: DossierSnapshot,
  actor: Actor,
  kind: RefusalKind,
  message: Message,
  field?: string,
  guard?: string,
): Decision => {
  const r: Refusal = { kind, message, allowedActions: allowedNames(definition, dossier, actor) };
  if (field !== undefined) r.field = field;
  if (guard !== undefined) r.guard = guard;
  return { ok: false, refusal: r };
};

const EMPTY_INPUT: Record<string, unknown> = Object.freeze({}) as Record<string, unknown>;

/** Clock after entering `to` from `from` (the receipt effect sets it itself). */
const nextClock = (clock: ClockState, from: StateDefinition, to: StateDefinition, at: string, now: Date, calendar: WorkingCalendar): ClockState => {
  if (from === to) return clock;
  const elapsed = (): number =>
    clock.since === null ? clock.elapsedWorkingDays : Math.max(0, calendar.workingDaysBetween(new Date(clock.since), now));
  if (to.kind === 'final') {
    if (clock.status === 'stopped') return clock;
    return { status: 'stopped', since: clock.since, pausedAt: clock.pausedAt, elapsedWorkingDays: clock.status === 'running' ? elapsed() : clock.elapsedWorkingDays };
  }
  if (to.countsClock) {
    if (clock.status === 'running') return clock;
    return { status: 'running', since: at, pausedAt: null, elapsedWorkingDays: clock.elapsedWorkingDays };
  }
  if (clock.status !== 'running') return clock;
  if (to.kind === 'paused') return { status: 'paused', since: clock.since, pausedAt: at, elapsedWorkingDays: elapsed() };
  return { status: 'stopped', since: clock.since, pausedAt: null, elapsedWorkingDays: elapsed() };
};

/**
 * Decide whether `actor` may take `actionName` on `dossier` at `now`, and if so return
 * the new snapshot and the events to record. Never mutates its arguments.
 * Throws only on programming errors (a dossier of another workflow, a status the
 * definition does not know).
 */
export const decide = (
  definition: WorkflowDefinition,
  dossier: DossierSnapshot,
  actor: Actor,
  actionName: string,
  input: unknown,
  now: Date,
  calendar: WorkingCalendar,
): Decision => {
  const c = compile(definition);
  if (dossier.workflow.id !== definition.id || dossier.workflow.version !== definition.version) {
    throw new Error(
      `dossier follows workflow ${dossier.workflow.id}@${dossier.workflow.version}, not ${definition.id}@${definition.version}`,
    );
  }
  const state = c.states.get(dossier.status);
  if (state === undefined) throw new Error(`workflow ${definition.id}@${definition.version} has no state ${dossier.status}`);

  if (!c.names.has(actionName)) {
    return refusal(definition, dossier, actor, 'unknown_action', {
      vi: `Quy trình không có thao tác ${q(actionName)}.`,
      en: `There is no action ${q(actionName)} in this workflow.`,
    });
  }
  const action = c.byState.get(dossier.status)?.get(actionName);
  if (action === undefined) {
    return refusal(definition, dossier, actor, 'not_allowed_in_state', {
      vi: `Không thể thực hiện ${q(actionName)} khi hồ sơ ở trạng thái ${q(state.label.vi)}.`,
      en: `${q(actionName)} is not possible while the dossier's status is ${q(state.label.en)}.`,
    });
  }
  const role = resolveRole(action, dossier, actor);
  if (role === 0) {
    return refusal(definition, dossier, actor, 'role_not_allowed', {
      vi: `Vai trò của bạn không được thực hiện ${q(action.def.label.vi)}.`,
      en: `Your role may not ${q(action.def.label.en)}.`,
    });
  }
  if (typeof role !== 'string') {
    return refusal(definition, dossier, actor, 'guard_failed', GUARD_MESSAGES[role.guard], undefined, role.guard);
  }

  const at = now.toISOString();
  const next: DossierSnapshot = { ...dossier };
  const ctx: Ctx = {
    next,
    prev: dossier,
    action,
    actor,
    input: input !== null && typeof input === 'object' ? (input as Record<string, unknown>) : EMPTY_INPUT,
    now,
    at,
    calendar,
    stepDueSet: false,
  };
  const data = EFFECTS[action.def.effect](ctx);
  if (isRefused(data)) return refusal(definition, dossier, actor, data.kind, data.message, data.field, data.guard);

  const to = action.to;
  if (!action.stays) {
    next.status = to.name;
    if (action.def.effect !== 'receive') next.clock = nextClock(dossier.clock, action.from, to, at, now, calendar);
    if (to.kind === 'final' && next.currentAgencyCode !== next.agencyCode) {
      // The dossier ended during a transfer: close it, the dossier is back with its own agency.
      const open = lastOpenTransfer(next.transfers);
      if (open >= 0) {
        const transfers = next.transfers.slice();
        transfers[open] = { ...(transfers[open] as TransferRecord), endedAt: at, outcome: 'cancelled' };
        next.transfers = transfers;
      }
      next.currentAgencyCode = next.agencyCode;
    }
    if (!ctx.stepDueSet) {
      next.stepDueAt = to.kind !== 'final' && to.budget !== undefined ? stepDue(ctx, budgetDays(to.budget, next.legalProcessingDays)) : null;
    }
  }

  const event: WorkflowEvent = {
    type: action.def.event,
    at,
    action: actionName,
    from: dossier.status,
    to: next.status,
    actorSub: actor.sub,
    actorRole: role,
    dueAt: next.dueAt,
    stepDueAt: next.stepDueAt,
    data,
  };
  return { ok: true, dossier: next, events: [event] };
};
