/**
 * Participants in a dossier action: other modules (documents today; payments and
 * notifications next) take part in an action by its workflow *effect*, never by the
 * action's name, through one registration point: `dossiers.participate(effect, participant)`.
 *
 * For one action, in one transaction, the dossier service calls every participant
 * registered for the action's effect, in the order they registered:
 *  1. `prepare` (before the input is validated): fill in what the server makes when the
 *     caller leaves it out (e.g. the result drafted for approval);
 *  2. `check` (after validation and the file-ownership check): more refusals, each naming
 *     its field under the input (e.g. `/assignee`), answered as 422;
 *  3. `produce` (after the workflow decided): files (the signed slips and results), links
 *     to the dossier, and any write of its own in the same transaction.
 * `describe` shapes the input schema a caller is shown in `allowedActions` (e.g. the valid
 * choices of a field).
 */
import type { Queryable } from '../../db/database.ts';
import type { FieldError } from '../../shared/errors.ts';
import type { Principal } from '../identity/index.ts';
import type { DossierSnapshot, EffectName, JsonSchema, Role, WorkflowDefinition, WorkflowEvent } from '../workflow/index.ts';

/** What a participant sees of the dossier (the dossier store's record, narrowed). */
export interface ActionDossier {
  id: string;
  code: string;
  procedureCode: string;
  procedureVersion: number;
  agencyCode: string;
  currentAgencyCode: string;
  applicantSub: string;
  applicant: Record<string, unknown>;
  form: Record<string, unknown>;
  submittedAt: Date;
  receivedAt: Date | null;
  dueAt: Date | null;
}

export interface ParticipantContext {
  principal: Principal;
  dossier: ActionDossier;
  definition: WorkflowDefinition;
  /** The action's name (for the record only: participants key on the effect). */
  action: string;
  effect: EffectName;
  /** The input of the action: as sent in `prepare`, validated afterwards. */
  input: Record<string, unknown>;
  at: Date;
  prev: DossierSnapshot;
}

export interface ProduceContext extends ParticipantContext {
  /** The role the caller acted in (the workflow's choice among the roles they hold here). */
  actorRole: Role;
  next: DossierSnapshot;
  events: readonly WorkflowEvent[];
}

export interface Produced {
  links: { fileId: string; role: string; pointer: string }[];
  /** The file that becomes the dossier's result instead of the engine's choice. */
  resultFileId?: string;
  /** The file that becomes the draft result awaiting approval instead of the engine's choice. */
  draftResultFileId?: string;
}

export interface DescribeContext {
  principal: Principal;
  dossier: ActionDossier;
  at: Date;
}

export interface ActionParticipant {
  describe?(q: Queryable, ctx: DescribeContext, input: JsonSchema): Promise<JsonSchema>;
  prepare?(q: Queryable, ctx: ParticipantContext): Promise<Record<string, unknown>>;
  check?(q: Queryable, ctx: ParticipantContext): Promise<FieldError[]>;
  produce?(q: Queryable, ctx: ProduceContext): Promise<Produced>;
}

/** Participants by effect, in registration order. */
export function createParticipantRegistry() {
  const byEffect = new Map<EffectName, ActionParticipant[]>();
  return {
    add(effect: EffectName, p: ActionParticipant): void {
      const list = byEffect.get(effect) ?? [];
      list.push(p);
      byEffect.set(effect, list);
    },
    of(effect: EffectName): readonly ActionParticipant[] {
      return byEffect.get(effect) ?? [];
    },
  };
}
