/**
 * The workflow definitions shipped with Motcua. A dossier keeps the (id, version) it
 * started with: look its definition up with getDefinition; new dossiers use
 * latestDefinition. Add a new version as a new object; never edit a shipped one.
 */
import type { WorkflowDefinition } from '../types.ts';
import { standardOneStop } from './standard-one-stop.ts';

export { standardOneStop };

/** Every shipped definition, every version (e.g. to install them in the database). */
export const DEFINITIONS: readonly WorkflowDefinition[] = Object.freeze([standardOneStop]);
const SHIPPED = DEFINITIONS;

/** The definition with this id and version, or undefined. */
export const getDefinition = (id: string, version: number): WorkflowDefinition | undefined =>
  SHIPPED.find((d) => d.id === id && d.version === version);

/** The highest version of the definition with this id, or undefined. */
export const latestDefinition = (id: string): WorkflowDefinition | undefined => {
  let best: WorkflowDefinition | undefined;
  for (const d of SHIPPED) if (d.id === id && (best === undefined || d.version > best.version)) best = d;
  return best;
};

/** Every shipped (id, version). */
export const listDefinitions = (): { id: string; version: number }[] => SHIPPED.map((d) => ({ id: d.id, version: d.version }));
