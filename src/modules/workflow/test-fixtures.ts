/** Actors, instants and helpers shared by the workflow tests and bench. */
import assert from 'node:assert/strict';
import { decide, startDossier } from './engine.ts';
import { standardOneStop } from './definitions/standard-one-stop.ts';
import { mondayToFridayCalendar } from './test-calendar.ts';
import type { Actor, DossierSnapshot, WorkflowDefinition, WorkflowEvent } from './types.ts';

export const AGENCY = 'so-tu-phap';
export const OTHER_AGENCY = 'so-tai-chinh';

export const actors = {
  applicant: { sub: 'citizen-1', roles: ['citizen'] },
  otherApplicant: { sub: 'citizen-2', roles: ['citizen'] },
  business: { sub: 'business-1', roles: ['business'] },
  reception: { sub: 'reception-1', roles: ['reception'], agencyCode: AGENCY },
  otherReception: { sub: 'reception-9', roles: ['reception'], agencyCode: OTHER_AGENCY },
  leader: { sub: 'leader-1', roles: ['leader'], agencyCode: AGENCY },
  specialist: { sub: 'specialist-1', roles: ['specialist'], agencyCode: AGENCY },
  otherSpecialist: { sub: 'specialist-2', roles: ['specialist'], agencyCode: AGENCY },
  targetSpecialist: { sub: 'specialist-t', roles: ['specialist'], agencyCode: OTHER_AGENCY },
  targetLeader: { sub: 'leader-t', roles: ['leader'], agencyCode: OTHER_AGENCY },
  admin: { sub: 'admin-1', roles: ['admin'], agencyCode: AGENCY },
} satisfies Record<string, Actor>;

/** A local (UTC+7) wall-clock time as an instant: `at('2026-03-02', 9)` is 09:00 in Hanoi. */
export const at = (day: string, hour = 9, minute = 0): Date =>
  new Date(Date.parse(`${day}T${String(hour).padStart(2, '0')}:${String(minute).padStart(2, '0')}:00+07:00`));

export const calendar = mondayToFridayCalendar;
export const def: WorkflowDefinition = standardOneStop;

/** 2026-03-02 is a Monday. */
export const MONDAY = '2026-03-02';

export const newDossier = (legalProcessingDays = 10, when: Date = at(MONDAY, 8)): DossierSnapshot =>
  startDossier(def, { applicantSub: actors.applicant.sub, agencyCode: AGENCY, legalProcessingDays }, when).dossier;

export interface Step {
  actor: Actor;
  action: string;
  input?: Record<string, unknown>;
  now: Date;
}

/** Applies steps that must all succeed; returns the last snapshot and every event. */
export const run = (dossier: DossierSnapshot, steps: Step[], definition: WorkflowDefinition = def): { dossier: DossierSnapshot; events: WorkflowEvent[] } => {
  let d = dossier;
  const events: WorkflowEvent[] = [];
  for (const s of steps) {
    const r = decide(definition, d, s.actor, s.action, s.input ?? {}, s.now, calendar);
    if (!r.ok) assert.fail(`${s.action} by ${s.actor.sub} in ${d.status} refused: ${r.refusal.kind} ${r.refusal.message.en}`);
    d = r.dossier;
    events.push(...r.events);
  }
  return { dossier: d, events };
};

/** The standard happy path, one step a day from Monday 2026-03-02. */
export const happyPath: Step[] = [
  { actor: actors.reception, action: 'receive', now: at('2026-03-02', 9) },
  { actor: actors.leader, action: 'assign', input: { assignee: actors.specialist.sub }, now: at('2026-03-03', 9) },
  { actor: actors.specialist, action: 'start_processing', now: at('2026-03-04', 9) },
  { actor: actors.specialist, action: 'submit_for_approval', input: { draftResultFileId: 'file-draft-1' }, now: at('2026-03-09', 9) },
  { actor: actors.leader, action: 'approve', input: {}, now: at('2026-03-10', 9) },
  { actor: actors.reception, action: 'return_result', input: { channel: 'online' }, now: at('2026-03-11', 9) },
];

export const deepFreeze = <T>(value: T): T => {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
};
