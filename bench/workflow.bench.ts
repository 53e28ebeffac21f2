/**
 * Workflow engine throughput: transitions per second on one core, over the full happy
 * path of the standard one-stop flow (receive, assign, start_processing,
 * submit_for_approval, approve, return_result), with the Monday-to-Friday test calendar.
 * Target: >= 200,000 transitions/s.
 *
 *   node_modules/.bin/node bench/workflow.bench.ts [seconds]
 */
import { decide, startDossier } from '../src/modules/workflow/engine.ts';
import { standardOneStop } from '../src/modules/workflow/definitions/standard-one-stop.ts';
import { mondayToFridayCalendar } from '../src/modules/workflow/test-calendar.ts';
import { AGENCY, actors, happyPath } from '../src/modules/workflow/test-fixtures.ts';
import type { DossierSnapshot } from '../src/modules/workflow/types.ts';

const TARGET = 200_000;
const seconds = Number(process.argv[2] ?? 3);
const def = standardOneStop;
const start = startDossier(def, { applicantSub: actors.applicant.sub, agencyCode: AGENCY, legalProcessingDays: 15 }, new Date('2026-03-02T01:00:00Z')).dossier;
const steps = happyPath.map((s) => ({ ...s, input: s.input ?? {} }));

/** One dossier through the whole happy path; returns the number of transitions. */
const onePath = (): number => {
  let d: DossierSnapshot = start;
  for (let i = 0; i < steps.length; i++) {
    const s = steps[i]!;
    const r = decide(def, d, s.actor, s.action, s.input, s.now, mondayToFridayCalendar);
    if (!r.ok) throw new Error(`${s.action} refused: ${r.refusal.message.en}`);
    d = r.dossier;
  }
  if (d.status !== 'returned') throw new Error(`ended in ${d.status}`);
  return steps.length;
};

// Warm up the JIT.
const warmEnd = performance.now() + 500;
while (performance.now() < warmEnd) onePath();

let transitions = 0;
let paths = 0;
const t0 = performance.now();
const end = t0 + seconds * 1000;
while (performance.now() < end) {
  for (let k = 0; k < 100; k++) transitions += onePath();
  paths += 100;
}
const elapsed = (performance.now() - t0) / 1000;
const perSecond = transitions / elapsed;

console.log(`workflow engine (standard-one-stop v1, happy path of ${steps.length} transitions, one core)`);
console.log(`  ${transitions.toLocaleString('en')} transitions (${paths.toLocaleString('en')} dossiers) in ${elapsed.toFixed(2)} s`);
console.log(`  ${Math.round(perSecond).toLocaleString('en')} transitions/s (${(1e6 / perSecond).toFixed(2)} µs each); target ${TARGET.toLocaleString('en')}/s: ${perSecond >= TARGET ? 'met' : 'NOT met'}`);
