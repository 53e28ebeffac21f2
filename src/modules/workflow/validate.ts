/**
 * Structural validation of a WorkflowDefinition, to run before one is stored or
 * shipped: every name resolves, final states are dead ends, every state is reachable
 * and can end, the data is JSON-able. Returns the problems found (empty when none).
 */
import { EFFECT_NAMES, GUARD_NAMES, ROLES, STATE_TAGS } from './types.ts';
import type { WorkflowDefinition } from './types.ts';

export interface DefinitionIssue {
  /** JSON pointer into the definition. */
  path: string;
  message: string;
}

const SNAKE = /^[a-z][a-z0-9]*(_[a-z0-9]+)*$/;
const ID = /^[a-z][a-z0-9]*(-[a-z0-9]+)*$/;
const EVENT = /^dossier\.[a-z][a-z0-9_]*$/;

const isMessage = (m: unknown): boolean =>
  m !== null && typeof m === 'object' && typeof (m as { vi?: unknown }).vi === 'string' && typeof (m as { en?: unknown }).en === 'string' &&
  (m as { vi: string }).vi !== '' && (m as { en: string }).en !== '';

/** Finds values that do not survive JSON (functions, undefined, NaN, Infinity, class instances...). */
const jsonIssues = (v: unknown, path: string, out: DefinitionIssue[]): void => {
  if (v === null || typeof v === 'string' || typeof v === 'boolean') return;
  if (typeof v === 'number') {
    if (!Number.isFinite(v)) out.push({ path, message: 'not a finite number' });
    return;
  }
  if (Array.isArray(v)) {
    v.forEach((x, i) => jsonIssues(x, `${path}/${i}`, out));
    return;
  }
  if (typeof v === 'object') {
    const proto = Object.getPrototypeOf(v);
    if (proto !== Object.prototype && proto !== null) {
      out.push({ path, message: 'not a plain object' });
      return;
    }
    for (const [k, x] of Object.entries(v)) jsonIssues(x, `${path}/${k}`, out);
    return;
  }
  out.push({ path, message: `a ${typeof v} is not JSON` });
};

export const validateDefinition = (def: WorkflowDefinition): DefinitionIssue[] => {
  const issues: DefinitionIssue[] = [];
  const add = (path: string, message: string): void => {
    issues.push({ path, message });
  };
  jsonIssues(def, '', issues);
  if (issues.length > 0) return issues;

  if (typeof def.id !== 'string' || !ID.test(def.id)) add('/id', 'id must be kebab-case');
  if (!Number.isInteger(def.version) || def.version < 1) add('/version', 'version must be an integer >= 1');
  if (!isMessage(def.name)) add('/name', 'name needs vi and en');
  if (!isMessage(def.submittedLabel)) add('/submittedLabel', 'submittedLabel needs vi and en');
  if (!Array.isArray(def.states) || def.states.length === 0) {
    add('/states', 'there must be states');
    return issues;
  }
  if (!Array.isArray(def.actions)) {
    add('/actions', 'actions must be a list');
    return issues;
  }

  const states = new Map<string, WorkflowDefinition['states'][number]>();
  def.states.forEach((s, i) => {
    const p = `/states/${i}`;
    if (typeof s.name !== 'string' || !SNAKE.test(s.name)) add(`${p}/name`, 'state names are snake_case');
    if (states.has(s.name)) add(`${p}/name`, `state ${s.name} is defined twice`);
    states.set(s.name, s);
    if (!['active', 'paused', 'final'].includes(s.kind)) add(`${p}/kind`, 'kind must be active, paused or final');
    if (typeof s.countsClock !== 'boolean') add(`${p}/countsClock`, 'countsClock must be a boolean');
    if (!isMessage(s.label)) add(`${p}/label`, 'label needs vi and en');
    if (!isMessage(s.applicantLabel)) add(`${p}/applicantLabel`, 'applicantLabel needs vi and en');
    if (!Array.isArray(s.tags)) add(`${p}/tags`, 'tags must be a list');
    (Array.isArray(s.tags) ? s.tags : []).forEach((t, j) => {
      if (!STATE_TAGS.includes(t)) add(`${p}/tags/${j}`, `unknown tag ${t}`);
    });
    // What the rest of Motcua reads from the tags must hold: an ended dossier is in a final state, one waiting for the applicant is paused.
    const tags = new Set(Array.isArray(s.tags) ? s.tags : []);
    for (const t of ['result_returned', 'refused', 'withdrawn', 'ended_without_result'] as const) if (tags.has(t) && s.kind !== 'final') add(`${p}/tags`, `a ${t} state must be final`);
    if ((tags.has('refused') || tags.has('withdrawn')) && !tags.has('ended_without_result')) add(`${p}/tags`, 'a refused or withdrawn state also ends without a result (ended_without_result)');
    if (tags.has('awaiting_applicant') && s.kind !== 'paused') add(`${p}/tags`, 'a state awaiting the applicant must be paused');
    if (s.kind === 'final' && !['result_returned', 'ended_without_result'].some((t) => tags.has(t as 'result_returned'))) add(`${p}/tags`, 'a final state says how it ended (result_returned or ended_without_result)');
    if (s.kind !== 'active' && s.countsClock === true) add(`${p}/countsClock`, `a ${s.kind} state cannot count the clock`);
    if (s.budget !== undefined) {
      const b = s.budget as { workingDays?: unknown; share?: unknown };
      const keys = Object.keys(b);
      if (keys.length !== 1) add(`${p}/budget`, 'a budget is either {workingDays} or {share}');
      else if ('workingDays' in b) {
        if (typeof b.workingDays !== 'number' || b.workingDays < 0) add(`${p}/budget/workingDays`, 'workingDays must be >= 0');
      } else if ('share' in b) {
        if (typeof b.share !== 'number' || !(b.share > 0 && b.share <= 1)) add(`${p}/budget/share`, 'share must be in (0, 1]');
      } else add(`${p}/budget`, 'a budget is either {workingDays} or {share}');
      if (s.kind === 'final') add(`${p}/budget`, 'a final state has no budget');
    }
    if (!isMessage(s.label)) add(`${p}/label`, 'label needs vi and en');
  });

  const initial = states.get(def.initial);
  if (initial === undefined) add('/initial', `initial state ${def.initial} does not exist`);
  else if (initial.kind === 'final') add('/initial', 'the initial state cannot be final');
  if (![...states.values()].some((s) => s.kind === 'final')) add('/states', 'there must be at least one final state');

  const edges = new Map<string, Set<string>>();
  for (const name of states.keys()) edges.set(name, new Set());
  const pairs = new Set<string>();
  def.actions.forEach((a, i) => {
    const p = `/actions/${i}`;
    if (typeof a.name !== 'string' || !SNAKE.test(a.name)) add(`${p}/name`, 'action names are snake_case');
    if (!Array.isArray(a.from) || a.from.length === 0) add(`${p}/from`, 'an action needs at least one from-state');
    if (a.to !== undefined && !states.has(a.to)) add(`${p}/to`, `state ${a.to} does not exist`);
    (a.from ?? []).forEach((f, j) => {
      const s = states.get(f);
      if (s === undefined) add(`${p}/from/${j}`, `state ${f} does not exist`);
      else if (s.kind === 'final') add(`${p}/from/${j}`, `final state ${f} cannot have outgoing actions`);
      const key = `${f}\u0000${a.name}`;
      if (pairs.has(key)) add(`${p}/from/${j}`, `action ${a.name} is defined twice from state ${f}`);
      pairs.add(key);
      if (s !== undefined && (a.to === undefined || states.has(a.to))) edges.get(f)?.add(a.to ?? f);
    });
    if (!Array.isArray(a.roles) || a.roles.length === 0) add(`${p}/roles`, 'an action needs at least one role');
    (a.roles ?? []).forEach((r, j) => {
      if (!ROLES.includes(r)) add(`${p}/roles/${j}`, `unknown role ${r}`);
    });
    (a.guards ?? []).forEach((g, j) => {
      if (!GUARD_NAMES.includes(g.guard)) add(`${p}/guards/${j}/guard`, `unknown guard ${g.guard}`);
      (g.roles ?? []).forEach((r, k) => {
        if (!a.roles.includes(r)) add(`${p}/guards/${j}/roles/${k}`, `role ${r} is not one of the action's roles`);
      });
    });
    if (!EFFECT_NAMES.includes(a.effect)) add(`${p}/effect`, `unknown effect ${a.effect}`);
    if (typeof a.event !== 'string' || !EVENT.test(a.event)) add(`${p}/event`, 'events are named dossier.<snake_case>');
    if (a.input === null || typeof a.input !== 'object' || a.input['type'] !== 'object') add(`${p}/input`, 'the input schema must describe an object');
    if (!isMessage(a.label)) add(`${p}/label`, 'label needs vi and en');
    if (a.applicantLabel !== undefined && !isMessage(a.applicantLabel)) add(`${p}/applicantLabel`, 'applicantLabel needs vi and en');

    const to = a.to === undefined ? undefined : states.get(a.to);
    if (a.effect === 'receive' && to !== undefined && !to.countsClock) add(`${p}/to`, 'a receipt must lead to a state that counts the clock');
    if (a.effect === 'request_supplement' && to !== undefined && to.kind !== 'paused') add(`${p}/to`, 'a supplement request must lead to a paused state');
    if (a.effect === 'apologise' && a.to !== undefined) add(`${p}/to`, 'an apology keeps the dossier in its state (no to)');
    if (a.effect === 'apologise') {
      for (const f of a.from ?? []) if (states.get(f)?.countsClock === false) add(`${p}/from`, `an apology needs a running clock, not state ${f}`);
    }
    if (['approve', 'refuse', 'withdraw', 'return_result'].includes(a.effect) && a.to === undefined) add(`${p}/to`, `${a.effect} must change the state`);
  });

  // Every state reachable from the initial one; every non-final state can end.
  if (initial !== undefined) {
    const seen = new Set<string>([initial.name]);
    const queue = [initial.name];
    while (queue.length > 0) {
      const s = queue.pop() as string;
      for (const t of edges.get(s) ?? []) if (!seen.has(t)) {
        seen.add(t);
        queue.push(t);
      }
    }
    for (const s of states.keys()) if (!seen.has(s)) add('/states', `state ${s} cannot be reached from ${initial.name}`);
  }
  const canEnd = new Set<string>([...states.values()].filter((s) => s.kind === 'final').map((s) => s.name));
  let changed = true;
  while (changed) {
    changed = false;
    for (const [s, ts] of edges) if (!canEnd.has(s) && [...ts].some((t) => canEnd.has(t))) {
      canEnd.add(s);
      changed = true;
    }
  }
  for (const s of states.keys()) if (!canEnd.has(s)) add('/states', `no final state can be reached from ${s}`);
  return issues;
};
