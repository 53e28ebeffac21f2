/**
 * Property tests: random sequences of actions by random actors, with schema-valid
 * random inputs and a clock moving forward, must keep the workflow's laws.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { allowedActions, decide, localDay, startDossier } from './engine.ts';
import { AGENCY, OTHER_AGENCY, actors, at, calendar, def } from './test-fixtures.ts';
import type { Actor, DossierSnapshot } from './types.ts';

const ACTORS: Actor[] = Object.values(actors);
const NAMES = [...new Set(def.actions.map((a) => a.name)), 'bogus'];
const STATES = new Map(def.states.map((s) => [s.name, s]));
const DOC_NAMES = ['Tờ khai', 'Bản sao CCCD', 'Giấy khai sinh', 'Sơ đồ thửa đất'];
const DAY_MS = 86_400_000;
const ENDINGS = new Set(['withdraw', 'refuse']);
const MAIN_PATH = new Set(['receive', 'assign', 'start_processing', 'submit_for_approval', 'approve', 'return_result', 'transfer', 'complete_transfer']);

interface Command {
  actor: number;
  useAllowed: boolean;
  choice: number;
  pick: number;
  /** Chooses among input variants. */
  variant: number;
  flag: boolean;
  days: number;
  advanceMinutes: number;
}

const command: fc.Arbitrary<Command> = fc.record({
  actor: fc.nat({ max: ACTORS.length - 1 }),
  // three times in four, an action someone may take now (so traces get far), else anything
  useAllowed: fc.nat({ max: 3 }).map((n) => n !== 0),
  choice: fc.nat({ max: 1000 }),
  pick: fc.nat({ max: 1000 }),
  variant: fc.nat({ max: 1000 }),
  flag: fc.boolean(),
  days: fc.integer({ min: -3, max: 30 }),
  advanceMinutes: fc.integer({ min: 0, max: 3 * 24 * 60 }),
});

const addDays = (day: string, n: number): string => new Date(Date.parse(`${day}T00:00:00Z`) + n * DAY_MS).toISOString().slice(0, 10);

/** A schema-valid input for the action (the application service validated it already). */
const inputFor = (action: string, c: Command, d: DossierSnapshot, now: Date): Record<string, unknown> => {
  const reasons = ['Lý do ' + String(c.variant)];
  switch (action) {
    case 'receive':
      return c.flag ? { paperAfterCutoff: true } : {};
    case 'request_supplement': {
      const n = 1 + (c.variant % 3);
      return { missingDocuments: DOC_NAMES.slice(0, n).map((name) => ({ name })), reason: 'Thiếu giấy tờ' };
    }
    case 'supplement':
      return { documentFileIds: ['file-' + String(c.variant)] };
    case 'refuse':
    case 'return_from_transfer':
    case 'request_revision':
      return { reasons };
    case 'assign':
      // now and then someone who cannot take it (another agency's specialist)
      return { assignee: [actors.specialist.sub, actors.otherSpecialist.sub, actors.specialist.sub, actors.otherSpecialist.sub, actors.targetSpecialist.sub][c.variant % 5] };
    case 'transfer': {
      const targetAgencyCode = [OTHER_AGENCY, AGENCY, 'ubnd-xa'][c.variant % 3];
      return c.flag ? { targetAgencyCode, workingDays: Math.abs(c.days) % 6 } : { targetAgencyCode };
    }
    case 'submit_for_approval':
      return { draftResultFileId: 'draft-' + String(c.variant) };
    case 'approve':
      return c.flag ? { resultFileId: 'signed-' + String(c.variant) } : {};
    case 'return_result':
      return { channel: ['counter', 'post', 'online'][c.variant % 3] };
    case 'withdraw':
      return c.flag ? { reason: 'Không còn nhu cầu' } : {};
    case 'apologise': {
      const base = d.dueAt !== null ? localDay(d.dueAt) : localDay(now);
      return { newDueDate: addDays(base, c.days), reason: 'Chờ xác minh' };
    }
    default:
      return {};
  }
};

interface Trace {
  legalDays: number;
  commands: Command[];
}

const trace: fc.Arbitrary<Trace> = fc.record({
  legalDays: fc.oneof(fc.integer({ min: 0, max: 30 }), fc.constant(0.5)),
  commands: fc.array(command, { minLength: 1, maxLength: 60 }),
});

/** Runs a trace, calling `check` after every decision. */
const play = (
  t: Trace,
  check: (ctx: { prev: DossierSnapshot; actor: Actor; action: string; input: Record<string, unknown>; now: Date; result: ReturnType<typeof decide> }) => void,
): DossierSnapshot => {
  let now = at('2026-03-02', 8);
  let d = startDossier(def, { applicantSub: actors.applicant.sub, agencyCode: AGENCY, legalProcessingDays: t.legalDays }, now).dossier;
  for (const c of t.commands) {
    now = new Date(now.getTime() + c.advanceMinutes * 60_000);
    let actor = ACTORS[c.actor] as Actor;
    let action = NAMES[c.choice % NAMES.length] as string;
    if (c.useAllowed) {
      const pairs: [Actor, string][] = [];
      for (const a of ACTORS) for (const x of allowedActions(def, d, a)) pairs.push([a, x.name]);
      // a third of the time any of them, a third not ending the dossier, a third along the main path
      const onward = pairs.filter(([, n]) => !ENDINGS.has(n));
      const main = pairs.filter(([a, n]) => MAIN_PATH.has(n) && (n !== 'assign' || (a === actors.leader && d.status === 'received')));
      const mode = c.pick % 3;
      const from = mode === 2 && main.length > 0 ? main : mode >= 1 && onward.length > 0 ? onward : pairs;
      const chosen = from[c.choice % Math.max(1, from.length)];
      if (chosen !== undefined) [actor, action] = chosen;
    }
    const input = inputFor(action, c, d, now);
    const result = decide(def, d, actor, action, input, now, calendar);
    check({ prev: d, actor, action, input, now, result });
    if (result.ok) d = result.dossier;
  }
  return d;
};

const RUNS = { numRuns: 500 };

describe('workflow laws (property tests)', () => {
  it('never reaches an undefined state; events match the transition; clock follows the state', () => {
    fc.assert(
      fc.property(trace, (t) => {
        play(t, ({ prev, action, result }) => {
          if (!result.ok) return;
          const next = result.dossier;
          const state = STATES.get(next.status);
          assert.ok(state !== undefined, `undefined state ${next.status}`);
          assert.equal(result.events.length, 1);
          assert.equal(result.events[0]?.from, prev.status);
          assert.equal(result.events[0]?.to, next.status);
          assert.equal(result.events[0]?.action, action);
          if (state.kind === 'final') assert.equal(next.clock.status, 'stopped');
          if (state.countsClock) {
            assert.equal(next.clock.status, 'running');
            assert.notEqual(next.dueAt, null);
          }
          if (next.status !== 'transferred') assert.equal(next.currentAgencyCode, next.agencyCode);
          if (next.stepDueAt !== null && next.dueAt !== null && action !== 'apologise') assert.ok(next.stepDueAt <= next.dueAt);
        });
      }),
      RUNS,
    );
  });

  it('never moves out of a final state', () => {
    fc.assert(
      fc.property(trace, (t) => {
        play(t, ({ prev, result }) => {
          if (STATES.get(prev.status)?.kind === 'final') assert.equal(result.ok, false);
        });
      }),
      RUNS,
    );
  });

  it('withdrawal is never possible after approval', () => {
    fc.assert(
      fc.property(trace, (t) => {
        let approved = false;
        play(t, ({ action, result }) => {
          if (result.ok && result.dossier.status === 'approved') approved = true;
          if (approved && action === 'withdraw') assert.equal(result.ok, false);
        });
      }),
      RUNS,
    );
  });

  it('the due date is always computed from the latest receipt, never earlier than the legal time after it', () => {
    fc.assert(
      fc.property(trace, (t) => {
        play(t, ({ action, input, now, result }) => {
          if (!result.ok) return;
          const d = result.dossier;
          if (action === 'receive') {
            const expected = calendar.dueDate(now, t.legalDays, input['paperAfterCutoff'] === true ? { paperAfterCutoff: true } : undefined);
            assert.equal(d.receivedAt, now.toISOString());
            assert.equal(d.dueAt, expected.toISOString());
            assert.equal(d.clock.elapsedWorkingDays, 0);
          }
          if (d.receivedAt !== null) {
            const floor = calendar.dueDate(new Date(d.receivedAt), t.legalDays).toISOString();
            assert.ok(d.dueAt !== null && d.dueAt >= floor, `${d.dueAt} < ${floor}`);
          }
        });
      }),
      RUNS,
    );
  });

  it('decide and allowedActions agree; refusals carry the allowed list and both languages', () => {
    fc.assert(
      fc.property(trace, (t) => {
        let apologies = 0;
        play(t, ({ prev, actor, action, result }) => {
          const allowed = allowedActions(def, prev, actor).map((a) => a.name);
          if (result.ok) {
            assert.ok(allowed.includes(action), `${action} succeeded but was not allowed`);
            if (action === 'apologise') apologies++;
          } else {
            assert.deepEqual(result.refusal.allowedActions, allowed);
            assert.ok(result.refusal.message.vi !== '' && result.refusal.message.en !== '');
            if (!allowed.includes(action)) assert.notEqual(result.refusal.kind, 'invalid_input');
          }
          assert.ok(apologies <= 1);
        });
      }),
      RUNS,
    );
  });
});
