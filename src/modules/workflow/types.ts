/**
 * The dossier workflow as data. A WorkflowDefinition is plain JSON (no functions,
 * no classes): a province administrator can store, diff and version it. The engine
 * (./engine.ts) interprets it; the behaviour behind each action is one of a closed
 * set of named effects, so a definition can rearrange states, roles, guards, budgets
 * and input schemas without code, but not invent new behaviour.
 */
import type { Message } from '../../shared/errors.ts';
import { WORKFLOW_ROLES, type WorkflowRole } from '../../shared/roles.ts';

/** The roles an action may name: applicants and officers (the vocabulary is src/shared/roles.ts). */
export type Role = WorkflowRole;
export const ROLES: readonly Role[] = WORKFLOW_ROLES;

/**
 * `active`: someone has work to do; `paused`: waiting for the applicant (the clock
 * stops); `final`: nothing more can happen.
 */
export type StateKind = 'active' | 'paused' | 'final';

/**
 * A time budget for a step: whole or fractional working days, or a share of the
 * dossier's legal processing time. Fractions are rounded up to whole working days
 * when the step's due instant is computed, and a step is never due after the dossier.
 */
export type StepBudget = { workingDays: number } | { share: number };

/**
 * What a state means to the code around the workflow. Documents, ratings, the portal's
 * words and later payments, notifications and indicators key on these (and on `kind`),
 * never on a state's name, so a province's own flow works with them unchanged.
 * - `awaiting_receipt`: sent by the applicant; the counter receives, asks or refuses.
 * - `awaiting_applicant`: the applicant has to act (a supplement).
 * - `in_progress`: received, the agency works on it (the appointment date holds).
 * - `decided`: approved; the result waits to be handed back.
 * - `result_returned`: the result was handed back (the applicant may rate the service).
 * - `refused`, `withdrawn`: ended without a result; both also carry `ended_without_result`.
 */
export type StateTag = 'awaiting_receipt' | 'awaiting_applicant' | 'in_progress' | 'decided' | 'result_returned' | 'refused' | 'withdrawn' | 'ended_without_result';
export const STATE_TAGS: readonly StateTag[] = ['awaiting_receipt', 'awaiting_applicant', 'in_progress', 'decided', 'result_returned', 'refused', 'withdrawn', 'ended_without_result'];

export interface StateDefinition {
  name: string;
  kind: StateKind;
  /** True when time spent in this state counts against the legal processing time. */
  countsClock: boolean;
  budget?: StepBudget;
  /** The officers' name of the state. */
  label: Message;
  /** The state in the applicant's plain words (the portal, notifications). */
  applicantLabel: Message;
  tags: StateTag[];
}

/**
 * Guards an actor must pass, besides holding one of the action's roles.
 * - `applicantOnly`: the actor is the dossier's own applicant.
 * - `assigneeOnly`: the actor is the specialist the dossier is assigned to.
 * - `sameUnit`: the actor belongs to the agency currently holding the dossier.
 * - `apologyNotUsed`: no apology (new appointment date) was issued before.
 */
export type GuardName = 'applicantOnly' | 'assigneeOnly' | 'sameUnit' | 'apologyNotUsed';
export const GUARD_NAMES: readonly GuardName[] = ['applicantOnly', 'assigneeOnly', 'sameUnit', 'apologyNotUsed'];

export interface GuardRef {
  guard: GuardName;
  /** When given, the guard applies only to actors acting in one of these roles. */
  roles?: Role[];
}

/** The closed set of behaviours an action may have; see engine.ts. */
export type EffectName =
  | 'receive'
  | 'request_supplement'
  | 'supplement'
  | 'refuse'
  | 'assign'
  | 'start_processing'
  | 'transfer'
  | 'complete_transfer'
  | 'return_from_transfer'
  | 'submit_for_approval'
  | 'request_revision'
  | 'approve'
  | 'return_result'
  | 'withdraw'
  | 'apologise';
export const EFFECT_NAMES: readonly EffectName[] = [
  'receive',
  'request_supplement',
  'supplement',
  'refuse',
  'assign',
  'start_processing',
  'transfer',
  'complete_transfer',
  'return_from_transfer',
  'submit_for_approval',
  'request_revision',
  'approve',
  'return_result',
  'withdraw',
  'apologise',
];

/** The submission is not an action of a definition: every flow starts with it, in its initial state. */
export const SUBMISSION = { action: 'submit', event: 'dossier.submitted' } as const;

/** A JSON Schema (2020-12) document, as plain data. */
export type JsonSchema = { [key: string]: JsonValue };
export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

/**
 * One transition. Several entries may share a `name` (e.g. `refuse` at the counter
 * by reception and at approval by a leader) as long as their `from` states do not
 * overlap: the pair (state, name) picks exactly one entry.
 */
export interface ActionDefinition {
  name: string;
  from: string[];
  /** The state after the action; absent: the dossier stays where it is (e.g. an apology). */
  to?: string;
  roles: Role[];
  guards?: GuardRef[];
  effect: EffectName;
  /** Type of the event the action emits, e.g. `dossier.received`. */
  event: string;
  /** JSON Schema (2020-12) of the action's input; file ids use `"format": "file-id"`. */
  input: JsonSchema;
  label: Message;
  /** What the applicant reads in their history when it happens; absent: the new state's applicant label. */
  applicantLabel?: Message;
}

export interface WorkflowDefinition {
  id: string;
  version: number;
  name: Message;
  /** The state a new dossier starts in. */
  initial: string;
  /** What the applicant reads in their history for the submission (`dossier.submitted`). */
  submittedLabel: Message;
  states: StateDefinition[];
  actions: ActionDefinition[];
}

/** Who acts: from a verified access token (see identity/principal.ts). */
export interface Actor {
  sub: string;
  roles: readonly string[];
  agencyCode?: string;
}

export type ClockStatus = 'not_started' | 'running' | 'paused' | 'stopped';

export interface ClockState {
  status: ClockStatus;
  /** When the clock last started running (the receipt), ISO instant. */
  since: string | null;
  /** When it was paused (supplement request), ISO instant. */
  pausedAt: string | null;
  /** Working days counted from the receipt to the pause or stop (informative: a new receipt restarts from zero). */
  elapsedWorkingDays: number;
}

export interface MissingDocument {
  name: string;
  note?: string;
}

export interface SupplementRequest {
  at: string;
  bySub: string;
  /** The state the dossier was in when asked (`submitted` at the counter, `processing` later). */
  phase: string;
  missingDocuments: MissingDocument[];
  reason: string;
  answeredAt: string | null;
  documentFileIds: string[] | null;
}

export interface TransferRecord {
  fromAgencyCode: string;
  toAgencyCode: string;
  at: string;
  bySub: string;
  workingDays: number;
  dueAt: string;
  reason: string | null;
  endedAt: string | null;
  /** `cancelled`: the dossier ended (e.g. withdrawn) while the transfer was open. */
  outcome: 'completed' | 'returned' | 'cancelled' | null;
  resultFileId: string | null;
  note: string | null;
}

/** The workflow-relevant state of a dossier. Instants are ISO-8601 UTC strings. */
export interface DossierSnapshot {
  /** The definition the dossier started with; it keeps it until it ends. */
  workflow: { id: string; version: number };
  status: string;
  applicantSub: string;
  /** The receiving (competent) agency. */
  agencyCode: string;
  /** The agency holding the dossier now: another one during an inter-agency transfer. */
  currentAgencyCode: string;
  assigneeSub: string | null;
  submittedAt: string;
  receivedAt: string | null;
  /** The appointment: when the result is due. */
  dueAt: string | null;
  /** When the current step is due (its share of the legal time). */
  stepDueAt: string | null;
  legalProcessingDays: number;
  clock: ClockState;
  apologyUsed: boolean;
  supplementRequests: readonly SupplementRequest[];
  transfers: readonly TransferRecord[];
  draftResultFileId: string | null;
  resultFileId: string | null;
  refusalReasons: readonly string[] | null;
  /** When processing ended (approved, refused or withdrawn). */
  decidedAt: string | null;
}

/** What happened, for the dossier's history, the audit log and the outbox. */
export interface WorkflowEvent {
  /** e.g. `dossier.received`. */
  type: string;
  at: string;
  action: string;
  from: string;
  to: string;
  actorSub: string;
  /** The role the actor acted in. */
  actorRole: Role;
  dueAt: string | null;
  stepDueAt: string | null;
  /** Action-specific details (reasons, documents, assignee, target agency, file ids...). */
  data: Record<string, unknown>;
}

export type RefusalKind = 'unknown_action' | 'not_allowed_in_state' | 'role_not_allowed' | 'guard_failed' | 'invalid_input';

export interface Refusal {
  kind: RefusalKind;
  message: Message;
  /** JSON pointer of the input field the refusal is about. */
  field?: string;
  /** For guard failures: which guard (or domain rule) refused. */
  guard?: string;
  /** The actions this actor may take on this dossier now. */
  allowedActions: string[];
}

export type Decision =
  | { ok: true; dossier: DossierSnapshot; events: WorkflowEvent[] }
  | { ok: false; refusal: Refusal };

export interface AllowedAction {
  name: string;
  /** What it does: callers pick an action by effect (e.g. the portal's withdraw), never by name. */
  effect: EffectName;
  input: JsonSchema;
  label: Message;
}
