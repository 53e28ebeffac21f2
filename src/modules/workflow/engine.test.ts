import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { allowedActions, decide, endOfLocalDay, localDay, startDossier, budgetDays } from './engine.ts';
import { AGENCY, MONDAY, OTHER_AGENCY, actors, at, calendar, deepFreeze, def, happyPath, newDossier, run } from './test-fixtures.ts';
import type { Step } from './test-fixtures.ts';
import type { Actor, DossierSnapshot, Refusal } from './types.ts';

/** Due at 23:59:59.999 Hanoi time of `day`. */
const endOf = (day: string): string => (endOfLocalDay(day) as Date).toISOString();

const refuse = (d: DossierSnapshot, actor: Actor, action: string, input: unknown, now: Date): Refusal => {
  const r = decide(def, d, actor, action, input, now, calendar);
  if (r.ok) return assert.fail(`${action} should have been refused`);
  return r.refusal;
};

const names = (d: DossierSnapshot, a: Actor): string[] => allowedActions(def, d, a).map((x) => x.name);

describe('startDossier', () => {
  it('starts in the initial state with no clock and a submitted event', () => {
    const { dossier, events } = startDossier(def, { applicantSub: 'c', agencyCode: AGENCY, legalProcessingDays: 5 }, at(MONDAY, 8));
    assert.equal(dossier.status, 'submitted');
    assert.deepEqual(dossier.workflow, { id: 'standard-one-stop', version: 1 });
    assert.equal(dossier.clock.status, 'not_started');
    assert.equal(dossier.currentAgencyCode, AGENCY);
    assert.equal(events[0]?.type, 'dossier.submitted');
  });
  it('rejects a negative legal time', () => {
    assert.throws(() => startDossier(def, { applicantSub: 'c', agencyCode: AGENCY, legalProcessingDays: -1 }, at(MONDAY)), RangeError);
  });
});

describe('happy path', () => {
  const table: { step: number; status: string; event: string; check?: (d: DossierSnapshot) => void }[] = [
    {
      step: 0,
      status: 'received',
      event: 'dossier.received',
      check: (d) => {
        assert.equal(d.receivedAt, at('2026-03-02', 9).toISOString());
        // 10 working days from Tue 3 March: Mon 16 March, end of day local.
        assert.equal(d.dueAt, endOf('2026-03-16'));
        assert.equal(d.clock.status, 'running');
        // received: 10 % of 10 days = 1 working day.
        assert.equal(d.stepDueAt, endOf('2026-03-03'));
      },
    },
    { step: 1, status: 'assigned', event: 'dossier.assigned', check: (d) => assert.equal(d.assigneeSub, actors.specialist.sub) },
    // processing: 60 % = 6 working days from Wed 4 March: Thu 12 March.
    { step: 2, status: 'processing', event: 'dossier.processing_started', check: (d) => assert.equal(d.stepDueAt, endOf('2026-03-12')) },
    { step: 3, status: 'awaiting_approval', event: 'dossier.submitted_for_approval', check: (d) => assert.equal(d.draftResultFileId, 'file-draft-1') },
    {
      step: 4,
      status: 'approved',
      event: 'dossier.approved',
      check: (d) => {
        assert.equal(d.resultFileId, 'file-draft-1');
        assert.equal(d.clock.status, 'stopped');
        assert.equal(d.clock.elapsedWorkingDays, 6);
        assert.equal(d.decidedAt, at('2026-03-10', 9).toISOString());
      },
    },
    { step: 5, status: 'returned', event: 'dossier.result_returned', check: (d) => assert.equal(d.stepDueAt, null) },
  ];
  for (const row of table) {
    it(`step ${row.step + 1}: ${happyPath[row.step]?.action} -> ${row.status}`, () => {
      const { dossier, events } = run(newDossier(), happyPath.slice(0, row.step + 1));
      assert.equal(dossier.status, row.status);
      const last = events.at(-1);
      assert.equal(last?.type, row.event);
      assert.equal(last?.to, row.status);
      assert.equal(last?.dueAt, dossier.dueAt);
      row.check?.(dossier);
    });
  }
  it('emits one event per action, with actor and role, and an onTime approval', () => {
    const { events } = run(newDossier(), happyPath);
    assert.deepEqual(
      events.map((e) => [e.action, e.actorSub, e.actorRole]),
      happyPath.map((s) => [s.action, s.actor.sub, s.actor.roles[0]]),
    );
    assert.equal(events.find((e) => e.type === 'dossier.approved')?.data['onTime'], true);
  });
  it('never mutates the snapshot or the input it is given', () => {
    let d = deepFreeze(newDossier());
    for (const s of happyPath) {
      const r = decide(def, d, s.actor, s.action, deepFreeze(s.input ?? {}), s.now, calendar);
      assert.ok(r.ok);
      d = deepFreeze(r.dossier);
    }
    assert.equal(d.status, 'returned');
  });
  it('a final state has no action for anyone', () => {
    const { dossier } = run(newDossier(), happyPath);
    for (const a of Object.values(actors)) assert.deepEqual(names(dossier, a), []);
    assert.equal(refuse(dossier, actors.applicant, 'withdraw', {}, at('2026-03-12')).kind, 'not_allowed_in_state');
  });
  it('reception may assign too, and the leader may reassign', () => {
    const steps: Step[] = [
      happyPath[0] as Step,
      { actor: actors.reception, action: 'assign', input: { assignee: actors.specialist.sub }, now: at('2026-03-02', 10) },
      { actor: actors.leader, action: 'assign', input: { assignee: actors.otherSpecialist.sub }, now: at('2026-03-02', 11) },
    ];
    const { dossier, events } = run(newDossier(), steps);
    assert.equal(dossier.assigneeSub, actors.otherSpecialist.sub);
    assert.equal(events.at(-1)?.data['previousAssigneeSub'], actors.specialist.sub);
    assert.equal(refuse(dossier, actors.specialist, 'start_processing', {}, at('2026-03-03')).kind, 'guard_failed');
    const again = refuse(dossier, actors.leader, 'assign', { assignee: actors.otherSpecialist.sub }, at('2026-03-03'));
    assert.deepEqual([again.kind, again.field], ['invalid_input', '/assignee']);
  });
  it('paper received after the cut-off starts a day later', () => {
    const r = decide(def, newDossier(), actors.reception, 'receive', { paperAfterCutoff: true }, at('2026-03-02', 16), calendar);
    assert.ok(r.ok);
    assert.equal(r.dossier.dueAt, endOf('2026-03-17'));
  });
});

describe('supplement requests', () => {
  it('at reception: lists everything, the clock never started, the deadline runs from the receipt', () => {
    const { dossier, events } = run(newDossier(), [
      {
        actor: actors.reception,
        action: 'request_supplement',
        input: { missingDocuments: [{ name: 'Bản sao CCCD' }, { name: 'Giấy khai sinh', note: 'bản chính' }], reason: 'Thiếu giấy tờ' },
        now: at('2026-03-02', 9),
      },
    ]);
    assert.equal(dossier.status, 'supplement_requested');
    assert.equal(dossier.clock.status, 'not_started');
    assert.equal(dossier.supplementRequests.length, 1);
    assert.equal(dossier.supplementRequests[0]?.phase, 'submitted');
    assert.equal(events[0]?.type, 'dossier.supplement_requested');
    assert.deepEqual(names(dossier, actors.applicant), ['supplement', 'withdraw']);
    assert.deepEqual(names(dossier, actors.reception), []);

    const later = run(dossier, [
      { actor: actors.applicant, action: 'supplement', input: { documentFileIds: ['f1', 'f2'] }, now: at('2026-03-20', 9) },
      { actor: actors.reception, action: 'receive', now: at('2026-03-23', 9) },
    ]).dossier;
    assert.equal(later.supplementRequests[0]?.answeredAt, at('2026-03-20', 9).toISOString());
    assert.deepEqual(later.supplementRequests[0]?.documentFileIds, ['f1', 'f2']);
    assert.equal(later.receivedAt, at('2026-03-23', 9).toISOString());
    assert.equal(later.dueAt, endOf('2026-04-06'));
  });
  it('during processing: the clock pauses, and restarts from zero on the new receipt', () => {
    const processing = run(newDossier(), happyPath.slice(0, 3)).dossier;
    const paused = run(processing, [
      {
        actor: actors.specialist,
        action: 'request_supplement',
        input: { missingDocuments: [{ name: 'Sơ đồ thửa đất' }], reason: 'Cần sơ đồ' },
        now: at('2026-03-06', 9),
      },
    ]).dossier;
    assert.equal(paused.status, 'supplement_requested');
    assert.equal(paused.clock.status, 'paused');
    assert.equal(paused.clock.pausedAt, at('2026-03-06', 9).toISOString());
    assert.equal(paused.clock.elapsedWorkingDays, 4);
    assert.equal(paused.supplementRequests[0]?.phase, 'processing');

    const back = run(paused, [
      { actor: actors.applicant, action: 'supplement', input: { documentFileIds: ['f9'] }, now: at('2026-03-10', 9) },
    ]).dossier;
    assert.equal(back.status, 'submitted');
    assert.equal(back.dueAt, null);
    const again = run(back, [{ actor: actors.reception, action: 'receive', now: at('2026-03-11', 9) }]).dossier;
    assert.equal(again.status, 'received');
    assert.equal(again.clock.status, 'running');
    assert.equal(again.clock.elapsedWorkingDays, 0);
    assert.equal(again.dueAt, endOf('2026-03-25'));
  });
  it('refuses a list naming the same document twice', () => {
    const r = refuse(
      newDossier(),
      actors.reception,
      'request_supplement',
      { missingDocuments: [{ name: 'Tờ khai' }, { name: ' tờ khai ' }], reason: 'x' },
      at(MONDAY),
    );
    assert.deepEqual([r.kind, r.field], ['invalid_input', '/missingDocuments/1/name']);
  });
  it('only the applicant answers', () => {
    const d = run(newDossier(), [
      { actor: actors.reception, action: 'request_supplement', input: { missingDocuments: [{ name: 'A' }], reason: 'x' }, now: at(MONDAY) },
    ]).dossier;
    const r = refuse(d, actors.otherApplicant, 'supplement', { documentFileIds: ['f'] }, at(MONDAY, 10));
    assert.equal(r.kind, 'guard_failed');
    assert.equal(r.guard, 'applicantOnly');
    assert.deepEqual(r.allowedActions, []);
    assert.equal(refuse(d, actors.reception, 'supplement', { documentFileIds: ['f'] }, at(MONDAY, 10)).kind, 'role_not_allowed');
  });
});

describe('refusal of the dossier', () => {
  it('at reception, with reasons, is final', () => {
    const { dossier, events } = run(newDossier(), [
      { actor: actors.reception, action: 'refuse', input: { reasons: ['Không thuộc thẩm quyền'] }, now: at(MONDAY) },
    ]);
    assert.equal(dossier.status, 'refused');
    assert.deepEqual(dossier.refusalReasons, ['Không thuộc thẩm quyền']);
    assert.equal(dossier.clock.status, 'stopped');
    assert.equal(events[0]?.data['stage'], 'submitted');
  });
  it('by the leader at approval', () => {
    const { dossier, events } = run(newDossier(), [
      ...happyPath.slice(0, 4),
      { actor: actors.leader, action: 'refuse', input: { reasons: ['Không đủ điều kiện'], resultFileId: 'notice-1' }, now: at('2026-03-10') },
    ]);
    assert.equal(dossier.status, 'refused');
    assert.equal(dossier.resultFileId, 'notice-1');
    assert.equal(dossier.clock.status, 'stopped');
    assert.equal(events.at(-1)?.data['stage'], 'awaiting_approval');
  });
  it('reception cannot refuse once the dossier is being processed', () => {
    const d = run(newDossier(), happyPath.slice(0, 3)).dossier;
    const r = refuse(d, actors.reception, 'refuse', { reasons: ['x'] }, at('2026-03-05'));
    assert.equal(r.kind, 'not_allowed_in_state');
  });
  it('the leader may send the draft back for revision', () => {
    const d = run(newDossier(), [
      ...happyPath.slice(0, 4),
      { actor: actors.leader, action: 'request_revision', input: { reasons: ['Sửa căn cứ pháp lý'] }, now: at('2026-03-10') },
    ]).dossier;
    assert.equal(d.status, 'processing');
    assert.equal(d.clock.status, 'running');
  });
});

describe('inter-agency transfer', () => {
  const processing = (): DossierSnapshot => run(newDossier(), happyPath.slice(0, 3)).dossier;
  it('moves the dossier to the target agency with its own share of the time, and back', () => {
    const t = run(processing(), [
      { actor: actors.specialist, action: 'transfer', input: { targetAgencyCode: OTHER_AGENCY, reason: 'Xác định nghĩa vụ tài chính' }, now: at('2026-03-05') },
    ]);
    const d = t.dossier;
    assert.equal(d.status, 'transferred');
    assert.equal(d.currentAgencyCode, OTHER_AGENCY);
    assert.equal(d.agencyCode, AGENCY);
    // 30 % of 10 = 3 working days from Fri 6 March: Tue 10 March.
    assert.equal(d.stepDueAt, endOf('2026-03-10'));
    assert.equal(d.transfers[0]?.dueAt, endOf('2026-03-10'));
    assert.equal(d.transfers[0]?.workingDays, 3);
    // Only the target agency acts on it now.
    assert.deepEqual(names(d, actors.specialist), []);
    assert.deepEqual(names(d, actors.targetSpecialist), ['complete_transfer', 'return_from_transfer']);
    assert.equal(refuse(d, actors.specialist, 'complete_transfer', {}, at('2026-03-06')).guard, 'sameUnit');
    assert.deepEqual(names(d, actors.applicant), ['withdraw']);

    const back = run(d, [{ actor: actors.targetSpecialist, action: 'complete_transfer', input: { resultFileId: 'tax-1' }, now: at('2026-03-09') }]);
    assert.equal(back.dossier.status, 'processing');
    assert.equal(back.dossier.currentAgencyCode, AGENCY);
    assert.equal(back.dossier.transfers[0]?.outcome, 'completed');
    assert.equal(back.dossier.transfers[0]?.resultFileId, 'tax-1');
    assert.equal(back.events[0]?.data['onTime'], true);
    assert.ok(names(back.dossier, actors.specialist).includes('submit_for_approval'));
  });
  it('with an explicit number of working days, and returned undone', () => {
    const d = run(processing(), [
      { actor: actors.specialist, action: 'transfer', input: { targetAgencyCode: OTHER_AGENCY, workingDays: 2 }, now: at('2026-03-05') },
      { actor: actors.targetLeader, action: 'return_from_transfer', input: { reasons: ['Không thuộc thẩm quyền'] }, now: at('2026-03-06') },
    ]).dossier;
    assert.equal(d.transfers[0]?.workingDays, 2);
    assert.equal(d.transfers[0]?.dueAt, endOf('2026-03-09'));
    assert.equal(d.transfers[0]?.outcome, 'returned');
    assert.equal(d.status, 'processing');
    assert.equal(d.currentAgencyCode, AGENCY);
  });
  it('refuses a transfer to the same agency or past the appointment date', () => {
    const d = processing();
    const same = refuse(d, actors.specialist, 'transfer', { targetAgencyCode: AGENCY }, at('2026-03-05'));
    assert.deepEqual([same.kind, same.field], ['invalid_input', '/targetAgencyCode']);
    const long = refuse(d, actors.specialist, 'transfer', { targetAgencyCode: OTHER_AGENCY, workingDays: 30 }, at('2026-03-05'));
    assert.deepEqual([long.kind, long.field], ['invalid_input', '/workingDays']);
  });
  it('withdrawal during a transfer closes it and brings the dossier home', () => {
    const d = run(processing(), [
      { actor: actors.specialist, action: 'transfer', input: { targetAgencyCode: OTHER_AGENCY }, now: at('2026-03-05') },
      { actor: actors.applicant, action: 'withdraw', now: at('2026-03-06') },
    ]).dossier;
    assert.equal(d.status, 'withdrawn');
    assert.equal(d.currentAgencyCode, AGENCY);
    assert.equal(d.transfers[0]?.outcome, 'cancelled');
    assert.equal(d.transfers[0]?.endedAt, at('2026-03-06').toISOString());
  });
  it('a second transfer after the first', () => {
    const d = run(processing(), [
      { actor: actors.specialist, action: 'transfer', input: { targetAgencyCode: OTHER_AGENCY, workingDays: 1 }, now: at('2026-03-05') },
      { actor: actors.targetSpecialist, action: 'complete_transfer', now: at('2026-03-05', 15) },
      { actor: actors.specialist, action: 'transfer', input: { targetAgencyCode: 'ubnd-xa', workingDays: 1 }, now: at('2026-03-06') },
    ]).dossier;
    assert.equal(d.transfers.length, 2);
    assert.equal(d.currentAgencyCode, 'ubnd-xa');
  });
});

describe('withdrawal', () => {
  const before: Step[][] = [[], happyPath.slice(0, 1), happyPath.slice(0, 2), happyPath.slice(0, 3), happyPath.slice(0, 4)];
  for (const steps of before) {
    it(`is possible after ${steps.length} steps`, () => {
      const d = run(newDossier(), steps).dossier;
      const r = decide(def, d, actors.applicant, 'withdraw', { reason: 'Không còn nhu cầu' }, at('2026-03-09', 15), calendar);
      assert.ok(r.ok);
      assert.equal(r.dossier.status, 'withdrawn');
      assert.equal(r.dossier.clock.status, 'stopped');
      assert.equal(r.events[0]?.data['stage'], d.status);
    });
  }
  it('is not possible once approved', () => {
    const d = run(newDossier(), happyPath.slice(0, 5)).dossier;
    const r = refuse(d, actors.applicant, 'withdraw', {}, at('2026-03-10', 10));
    assert.equal(r.kind, 'not_allowed_in_state');
    assert.deepEqual(r.allowedActions, []);
  });
  it("is not possible on another applicant's dossier", () => {
    const r = refuse(newDossier(), actors.otherApplicant, 'withdraw', {}, at(MONDAY));
    assert.deepEqual([r.kind, r.guard], ['guard_failed', 'applicantOnly']);
    assert.equal(refuse(newDossier(), actors.business, 'withdraw', {}, at(MONDAY)).kind, 'guard_failed');
  });
});

describe('apology and new appointment date', () => {
  const processing = (): DossierSnapshot => run(newDossier(), happyPath.slice(0, 3)).dossier; // due Mon 16 March
  it('sets the new date once, at least one working day before the deadline', () => {
    const { dossier, events } = run(processing(), [
      { actor: actors.specialist, action: 'apologise', input: { newDueDate: '2026-03-20', reason: 'Chờ xác minh' }, now: at('2026-03-13', 10) },
    ]);
    assert.equal(dossier.dueAt, endOf('2026-03-20'));
    assert.equal(dossier.apologyUsed, true);
    assert.equal(dossier.status, 'processing');
    assert.equal(events[0]?.type, 'dossier.apologised');
    assert.equal(events[0]?.data['previousDueAt'], endOf('2026-03-16'));
    assert.equal(names(dossier, actors.specialist).includes('apologise'), false);
    // twice: refused
    const twice = refuse(dossier, actors.leader, 'apologise', { newDueDate: '2026-03-27', reason: 'x' }, at('2026-03-16', 9));
    assert.deepEqual([twice.kind, twice.guard], ['guard_failed', 'apologyNotUsed']);
    assert.ok(twice.message.vi.length > 0 && twice.message.en.length > 0);
  });
  it('refuses it on the last working day (too late)', () => {
    const late = refuse(processing(), actors.leader, 'apologise', { newDueDate: '2026-03-20', reason: 'x' }, at('2026-03-16', 8));
    assert.deepEqual([late.kind, late.guard], ['guard_failed', 'apologyDeadline']);
    // over the weekend before a Monday deadline it is also too late (no working day left in between)
    const weekend = refuse(processing(), actors.leader, 'apologise', { newDueDate: '2026-03-20', reason: 'x' }, at('2026-03-14', 10));
    assert.equal(weekend.guard, 'apologyDeadline');
    assert.ok(run(processing(), [{ actor: actors.leader, action: 'apologise', input: { newDueDate: '2026-03-20', reason: 'x' }, now: at('2026-03-13', 23) }]));
  });
  it('refuses a new date that is not later, or not a working day', () => {
    const d = processing();
    const now = at('2026-03-10');
    const same = refuse(d, actors.specialist, 'apologise', { newDueDate: '2026-03-16', reason: 'x' }, now);
    assert.deepEqual([same.kind, same.field], ['invalid_input', '/newDueDate']);
    const sat = refuse(d, actors.specialist, 'apologise', { newDueDate: '2026-03-21', reason: 'x' }, now);
    assert.deepEqual([sat.kind, sat.field], ['invalid_input', '/newDueDate']);
    const bad = refuse(d, actors.specialist, 'apologise', { newDueDate: '2026-02-30', reason: 'x' }, now);
    assert.deepEqual([bad.kind, bad.field], ['invalid_input', '/newDueDate']);
  });
  it('a specialist must be the assignee; a leader need not', () => {
    const d = processing();
    const r = refuse(d, actors.otherSpecialist, 'apologise', { newDueDate: '2026-03-20', reason: 'x' }, at('2026-03-10'));
    assert.deepEqual([r.kind, r.guard], ['guard_failed', 'assigneeOnly']);
    assert.ok(names(d, actors.leader).includes('apologise'));
  });
  it('is not offered before receipt', () => {
    assert.equal(refuse(newDossier(), actors.leader, 'apologise', { newDueDate: '2026-03-20', reason: 'x' }, at(MONDAY)).kind, 'not_allowed_in_state');
  });
});

describe('refusals', () => {
  it('unknown action', () => {
    const r = refuse(newDossier(), actors.reception, 'teleport', {}, at(MONDAY));
    assert.equal(r.kind, 'unknown_action');
    assert.deepEqual(r.allowedActions, ['receive', 'request_supplement', 'refuse']);
    assert.match(r.message.vi, /teleport/);
  });
  it('wrong state lists what is allowed', () => {
    const d = run(newDossier(), happyPath.slice(0, 1)).dossier;
    const r = refuse(d, actors.leader, 'approve', {}, at(MONDAY, 10));
    assert.equal(r.kind, 'not_allowed_in_state');
    assert.deepEqual(r.allowedActions, ['assign', 'apologise']);
    assert.match(r.message.en, /received/);
    assert.match(r.message.vi, /Đã tiếp nhận/);
  });
  it('wrong role', () => {
    const r = refuse(newDossier(), actors.applicant, 'receive', {}, at(MONDAY));
    assert.equal(r.kind, 'role_not_allowed');
    assert.deepEqual(r.allowedActions, ['withdraw']);
    assert.equal(refuse(newDossier(), actors.admin, 'receive', {}, at(MONDAY)).kind, 'role_not_allowed');
    const d = run(newDossier(), happyPath.slice(0, 4)).dossier;
    assert.equal(refuse(d, actors.specialist, 'approve', {}, at('2026-03-10')).kind, 'role_not_allowed');
  });
  it('an officer of another agency', () => {
    const r = refuse(newDossier(), actors.otherReception, 'receive', {}, at(MONDAY));
    assert.deepEqual([r.kind, r.guard], ['guard_failed', 'sameUnit']);
    assert.deepEqual(r.allowedActions, []);
  });
  it('a specialist who is not the assignee', () => {
    const d = run(newDossier(), happyPath.slice(0, 2)).dossier;
    const r = refuse(d, actors.otherSpecialist, 'start_processing', {}, at('2026-03-04'));
    assert.deepEqual([r.kind, r.guard], ['guard_failed', 'assigneeOnly']);
  });
  it('approval with no result file', () => {
    const d = run(newDossier(), happyPath.slice(0, 3)).dossier;
    // a dossier whose draft was lost (e.g. edited by hand) cannot be approved without a file
    const noDraft = { ...d, status: 'awaiting_approval', draftResultFileId: null };
    const r = refuse(noDraft, actors.leader, 'approve', {}, at('2026-03-10'));
    assert.deepEqual([r.kind, r.field], ['invalid_input', '/resultFileId']);
  });
  it('throws on a dossier of another workflow version or an unknown status', () => {
    const d = newDossier();
    assert.throws(() => decide(def, { ...d, workflow: { id: def.id, version: 99 } }, actors.reception, 'receive', {}, at(MONDAY), calendar));
    assert.throws(() => decide(def, { ...d, status: 'limbo' }, actors.reception, 'receive', {}, at(MONDAY), calendar));
  });
});

describe('allowedActions', () => {
  it('gives each actor what they may do, with input schemas', () => {
    const d = newDossier();
    const rec = allowedActions(def, d, actors.reception);
    assert.deepEqual(rec.map((a) => a.name), ['receive', 'request_supplement', 'refuse']);
    const schema = rec.find((a) => a.name === 'request_supplement')?.input;
    assert.deepEqual(schema?.['required'], ['missingDocuments', 'reason']);
    const processing = run(d, happyPath.slice(0, 3)).dossier;
    assert.deepEqual(names(processing, actors.specialist), ['request_supplement', 'transfer', 'submit_for_approval', 'apologise']);
    assert.deepEqual(names(processing, actors.leader), ['apologise']);
    assert.deepEqual(names(processing, actors.otherSpecialist), []);
    const multi: Actor = { sub: 'x', roles: ['reception', 'leader'], agencyCode: AGENCY };
    assert.deepEqual(names(run(d, happyPath.slice(0, 1)).dossier, multi), ['assign', 'apologise']);
  });
});

describe('time helpers', () => {
  it('localDay and endOfLocalDay use Hanoi time', () => {
    assert.equal(localDay('2026-03-01T17:30:00Z'), '2026-03-02');
    assert.equal(endOf('2026-03-02'), '2026-03-02T16:59:59.999Z');
    assert.equal(endOfLocalDay('2026-13-01'), null);
    assert.equal(endOfLocalDay('tomorrow'), null);
  });
  it('budgetDays rounds shares up', () => {
    assert.equal(budgetDays({ share: 0.1 }, 10), 1);
    assert.equal(budgetDays({ share: 0.1 }, 3), 1);
    assert.equal(budgetDays({ share: 0.6 }, 15), 9);
    assert.equal(budgetDays({ workingDays: 0.5 }, 15), 1);
  });
});
