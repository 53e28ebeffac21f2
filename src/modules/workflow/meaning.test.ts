import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { standardOneStop } from './definitions/index.ts';
import { applicantEventLabel, applicantStateLabel, hasTag, stateDefinition, statesTagged } from './meaning.ts';
import type { WorkflowDefinition } from './types.ts';
import { validateDefinition } from './validate.ts';

/** The standard flow with every state renamed: code that keys on names breaks on it, code that keys on tags does not. */
function renamed(): WorkflowDefinition {
  const d = structuredClone(standardOneStop) as WorkflowDefinition;
  const to = (s: string): string => `tinh_${s}`;
  const out: WorkflowDefinition = {
    ...d,
    id: 'province-own',
    initial: to(d.initial),
    states: d.states.map((s) => ({ ...s, name: to(s.name) })),
    actions: d.actions.map((a) => ({ ...a, from: a.from.map(to), ...(a.to !== undefined ? { to: to(a.to) } : {}) })),
  };
  return out;
}

describe('what states mean, by tag', () => {
  it('the shipped flow: a result returned, ended without result, waiting for the applicant', () => {
    assert.deepEqual(statesTagged('result_returned'), ['returned']);
    assert.deepEqual(statesTagged('ended_without_result').sort(), ['refused', 'withdrawn']);
    assert.ok(hasTag({ id: standardOneStop.id, version: 1 }, 'supplement_requested', 'awaiting_applicant'));
    assert.ok(!hasTag({ id: standardOneStop.id, version: 1 }, 'processing', 'awaiting_applicant'));
  });

  it('a flow with other state names is read by its tags and labels', () => {
    const own = renamed();
    assert.deepEqual(validateDefinition(own), []);
    const ref = { id: own.id, version: own.version };
    assert.deepEqual(statesTagged('result_returned', [own]), ['tinh_returned']);
    assert.equal(stateDefinition(ref, 'tinh_supplement_requested', [own])?.applicantLabel.en, 'The office needs more documents from you');
    assert.equal(stateDefinition(ref, 'returned', [own]), undefined);
  });

  it('every state of every shipped flow has the applicant\'s words; an unknown status falls back to its name', () => {
    for (const s of standardOneStop.states) assert.ok(applicantStateLabel({ id: standardOneStop.id, version: 1 }, s.name).vi.length > 0);
    assert.deepEqual(applicantStateLabel(undefined, 'no_such_state'), { vi: 'no_such_state', en: 'no_such_state' });
  });

  it('history words: the submission, an action by its applicant label, else the state it led to', () => {
    const ref = { id: standardOneStop.id, version: 1 };
    assert.equal(applicantEventLabel(ref, { action: 'submit', statusFrom: null, statusTo: 'submitted' }).en, 'You sent the application');
    assert.equal(applicantEventLabel(ref, { action: 'receive', statusFrom: 'submitted', statusTo: 'received' }).en, 'The office received the application and set the date of the result');
    assert.equal(applicantEventLabel(ref, { action: null, statusFrom: 'processing', statusTo: 'awaiting_approval' }).en, 'Waiting for the head of the office to sign');
  });
});
