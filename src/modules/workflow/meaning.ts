/**
 * What states and actions mean, read from the definitions, for the code around the
 * workflow (documents, ratings, retention, the portal's words; later payments,
 * notifications and indicators). Nothing outside the definitions names a state or an
 * action: it asks here by tag or effect.
 */
import type { Message } from '../../shared/errors.ts';
import { DEFINITIONS, getDefinition } from './definitions/index.ts';
import { SUBMISSION, type ActionDefinition, type EffectName, type StateDefinition, type StateTag, type WorkflowDefinition } from './types.ts';

/** Which definition a dossier follows. */
export interface WorkflowRef {
  id: string;
  version: number;
}

const definitionsOf = (ref: WorkflowRef | undefined, all: readonly WorkflowDefinition[]): readonly WorkflowDefinition[] => {
  if (ref === undefined) return all;
  const d = all === DEFINITIONS ? getDefinition(ref.id, ref.version) : all.find((x) => x.id === ref.id && x.version === ref.version);
  return d === undefined ? all : [d];
};

/** The state named `status` in the dossier's definition (in any shipped one when the reference is not known). */
export function stateDefinition(ref: WorkflowRef | undefined, status: string, all: readonly WorkflowDefinition[] = DEFINITIONS): StateDefinition | undefined {
  for (const d of definitionsOf(ref, all)) {
    const s = d.states.find((x) => x.name === status);
    if (s !== undefined) return s;
  }
  return undefined;
}

export const hasTag = (ref: WorkflowRef | undefined, status: string, tag: StateTag): boolean => stateDefinition(ref, status)?.tags.includes(tag) ?? false;

/**
 * The names of the states that carry `tag` in any shipped definition: for SQL over the
 * dossiers of every flow (`status = ANY($1)`). Never empty-handed by accident: a tag no
 * definition uses gives an empty list, which matches nothing.
 */
export function statesTagged(tag: StateTag, all: readonly WorkflowDefinition[] = DEFINITIONS): string[] {
  const names = new Set<string>();
  for (const d of all) for (const s of d.states) if (s.tags.includes(tag)) names.add(s.name);
  return [...names];
}

/** The state in the applicant's words; its own name when no definition knows it. */
export const applicantStateLabel = (ref: WorkflowRef | undefined, status: string): Message => stateDefinition(ref, status)?.applicantLabel ?? { vi: status, en: status };

/** The officers' name of the state. */
export const stateLabel = (ref: WorkflowRef | undefined, status: string): Message => stateDefinition(ref, status)?.label ?? { vi: status, en: status };

/** The action `name` taken from state `from` in the dossier's definition. */
export function actionDefinition(ref: WorkflowRef | undefined, name: string, from?: string): ActionDefinition | undefined {
  for (const d of definitionsOf(ref, DEFINITIONS)) {
    const a = d.actions.find((x) => x.name === name && (from === undefined || x.from.includes(from)));
    if (a !== undefined) return a;
  }
  return undefined;
}

/** The effect of an action of the dossier's definition. */
export const effectOf = (ref: WorkflowRef | undefined, name: string, from?: string): EffectName | undefined => actionDefinition(ref, name, from)?.effect;

/**
 * What the applicant reads in their history for one event: the submission's label, the
 * action's applicant label, else the label of the state it led to.
 */
export function applicantEventLabel(ref: WorkflowRef | undefined, e: { action: string | null; statusFrom?: string | null; statusTo: string }): Message {
  if (e.action === SUBMISSION.action) return definitionsOf(ref, DEFINITIONS)[0]?.submittedLabel ?? applicantStateLabel(ref, e.statusTo);
  const a = e.action === null ? undefined : actionDefinition(ref, e.action, e.statusFrom ?? undefined);
  return a?.applicantLabel ?? applicantStateLabel(ref, e.statusTo);
}
