import { describe, it } from 'node:test';
import { ANNOTATION_KEYWORDS } from '../eforms/validator.ts';
import assert from 'node:assert/strict';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormatsImport from 'ajv-formats';
import type { FormatsPlugin } from 'ajv-formats';
import { validateDefinition } from './validate.ts';
import { DEFINITIONS, getDefinition, latestDefinition, listDefinitions, standardOneStop } from './definitions/index.ts';
import type { WorkflowDefinition } from './types.ts';

// ajv-formats is CommonJS: under NodeNext its default import may be the module object.
const addFormats: FormatsPlugin =
  (addFormatsImport as unknown as { default?: FormatsPlugin }).default ?? (addFormatsImport as unknown as FormatsPlugin);

const clone = (): WorkflowDefinition => structuredClone(standardOneStop) as WorkflowDefinition;
const messages = (def: WorkflowDefinition): string[] => validateDefinition(def).map((i) => `${i.path}: ${i.message}`);

describe('shipped definitions', () => {
  it('are all valid', () => {
    for (const d of DEFINITIONS) assert.deepEqual(messages(d), [], `${d.id}@${d.version}`);
  });
  it('standard-one-stop is JSON-able and frozen', () => {
    assert.deepEqual(JSON.parse(JSON.stringify(standardOneStop)), standardOneStop);
    assert.ok(Object.isFrozen(standardOneStop) && Object.isFrozen(standardOneStop.actions[0]));
  });
  it('every input schema compiles as JSON Schema 2020-12 in strict mode', () => {
    const ajv = new Ajv2020({ strict: true, allErrors: true });
    addFormats(ajv);
    ajv.addVocabulary([...ANNOTATION_KEYWORDS]); // the eForm annotations (English titles) the server's validator knows
    ajv.addFormat('file-id', /^[A-Za-z0-9_-]{1,100}$/);
    for (const a of standardOneStop.actions) {
      assert.equal(a.input['$schema'], 'https://json-schema.org/draft/2020-12/schema', a.name);
      ajv.compile(a.input);
    }
    const apology = ajv.compile(standardOneStop.actions.find((a) => a.name === 'apologise')?.input ?? {});
    assert.equal(apology({ newDueDate: '2026-03-20', reason: 'x' }), true);
    assert.equal(apology({ newDueDate: '20/03/2026', reason: 'x' }), false);
    assert.equal(apology({ newDueDate: '2026-03-20' }), false);
    const supplement = ajv.compile(standardOneStop.actions.find((a) => a.name === 'supplement')?.input ?? {});
    assert.equal(supplement({ documentFileIds: ['abc'] }), true);
    assert.equal(supplement({ documentFileIds: [] }), false);
    assert.equal(supplement({ documentFileIds: ['a/b'] }), false);
  });
  it('file ids in schemas use format file-id', () => {
    const text = JSON.stringify(standardOneStop);
    for (const key of ['draftResultFileId', 'resultFileId', 'letterFileId']) {
      assert.match(text, new RegExp(`"${key}":\\{"type":"string","format":"file-id"`), key);
    }
  });
});

describe('registry', () => {
  it('finds a definition by id and version, and the latest', () => {
    assert.equal(getDefinition('standard-one-stop', 1), standardOneStop);
    assert.equal(getDefinition('standard-one-stop', 2), undefined);
    assert.equal(getDefinition('nope', 1), undefined);
    assert.equal(latestDefinition('standard-one-stop'), standardOneStop);
    assert.equal(latestDefinition('nope'), undefined);
    assert.deepEqual(listDefinitions(), [{ id: 'standard-one-stop', version: 1 }]);
  });
});

describe('validateDefinition', () => {
  const broken: [string, (d: WorkflowDefinition) => void, RegExp][] = [
    ['an unknown from-state', (d) => d.actions[0]?.from.push('nowhere'), /\/actions\/0\/from\/1: state nowhere does not exist/],
    ['an unknown to-state', (d) => ((d.actions[0] as { to?: string }).to = 'nowhere'), /\/actions\/0\/to: state nowhere does not exist/],
    [
      'an action out of a final state',
      (d) => d.actions.find((a) => a.name === 'withdraw')?.from.push('returned'),
      /final state returned cannot have outgoing actions/,
    ],
    ['a duplicate state', (d) => d.states.push({ ...(d.states[0] as WorkflowDefinition['states'][number]) }), /state submitted is defined twice/],
    ['a missing initial state', (d) => (d.initial = 'draft'), /\/initial: initial state draft does not exist/],
    ['a final initial state', (d) => (d.initial = 'returned'), /the initial state cannot be final/],
    ['an unknown role', (d) => (d.actions[0] as { roles: string[] }).roles.push('mayor'), /unknown role mayor/],
    ['an unknown guard', (d) => d.actions[0]?.guards?.push({ guard: 'moonPhase' as 'sameUnit' }), /unknown guard moonPhase/],
    ['a guard for a role the action lacks', (d) => d.actions[0]?.guards?.push({ guard: 'assigneeOnly', roles: ['leader'] }), /role leader is not one of/],
    ['an unknown effect', (d) => ((d.actions[0] as { effect: string }).effect = 'teleport'), /unknown effect teleport/],
    ['a badly named event', (d) => ((d.actions[0] as { event: string }).event = 'Received'), /events are named/],
    ['a non-snake-case action', (d) => ((d.actions[0] as { name: string }).name = 'Receive'), /action names are snake_case/],
    ['the same action twice from one state', (d) => d.actions.push({ ...(d.actions[0] as WorkflowDefinition['actions'][number]) }), /receive is defined twice from state submitted/],
    ['a final state counting the clock', (d) => ((d.states.find((s) => s.name === 'returned') as { countsClock: boolean }).countsClock = true), /a final state cannot count the clock/],
    ['a share above 1', (d) => ((d.states.find((s) => s.name === 'processing') as { budget: unknown }).budget = { share: 1.5 }), /share must be in/],
    ['a missing label', (d) => ((d.states[0] as { label: unknown }).label = { vi: '', en: 'x' }), /label needs vi and en/],
    ['a non-object input schema', (d) => ((d.actions[0] as { input: unknown }).input = { type: 'string' }), /input schema must describe an object/],
    ['a function in the data', (d) => ((d.actions[0] as unknown as { input: unknown }).input = { type: 'object', check: () => true }), /a function is not JSON/],
    ['no version', (d) => ((d as { version: number }).version = 0), /\/version/],
    [
      'an unreachable state',
      (d) => d.states.push({ name: 'limbo', kind: 'final', countsClock: false, label: { vi: 'x', en: 'x' }, applicantLabel: { vi: 'x', en: 'x' }, tags: ['ended_without_result'] }),
      /state limbo cannot be reached/,
    ],
    [
      'a state with no way out',
      (d) => {
        d.states.push({ name: 'stuck', kind: 'active', countsClock: false, label: { vi: 'x', en: 'x' }, applicantLabel: { vi: 'x', en: 'x' }, tags: [] });
        (d.actions[0] as { to?: string }).to = 'stuck';
      },
      /no final state can be reached from stuck/,
    ],
    ['a receipt into a state without clock', (d) => ((d.actions[0] as { to?: string }).to = 'approved'), /a receipt must lead to a state that counts the clock/],
    ['a state without the applicant\'s words', (d) => ((d.states[0] as { applicantLabel: unknown }).applicantLabel = { vi: 'x' }), /applicantLabel needs vi and en/],
    ['an unknown tag', (d) => ((d.states[0] as { tags: string[] }).tags = ['nonsense']), /unknown tag nonsense/],
    ['a returned result in a state that is not final', (d) => (d.states.find((s) => s.name === 'approved') as { tags: string[] }).tags.push('result_returned'), /a result_returned state must be final/],
    ['a final state that does not say how it ended', (d) => ((d.states.find((s) => s.name === 'withdrawn') as { tags: string[] }).tags = []), /says how it ended/],
    ['a refusal that does not end without a result', (d) => ((d.states.find((s) => s.name === 'refused') as { tags: string[] }).tags = ['refused']), /also ends without a result/],
    ['waiting for the applicant in an active state', (d) => (d.states.find((s) => s.name === 'received') as { tags: string[] }).tags.push('awaiting_applicant'), /awaiting the applicant must be paused/],
    ['an apology that moves', (d) => ((d.actions.find((a) => a.name === 'apologise') as { to?: string }).to = 'processing'), /an apology keeps the dossier/],
  ];
  for (const [what, breakIt, expected] of broken) {
    it(`reports ${what}`, () => {
      const d = clone();
      breakIt(d);
      const found = messages(d);
      assert.ok(found.some((m) => expected.test(m)), `expected ${expected} in:\n${found.join('\n')}`);
    });
  }
});
