/**
 * The dossier workflow as data: definitions (states with tags, actions with effects), the engine, and what states mean.
 * The module's one public face: other modules, the pages and the CLI import only this file.
 */
export { DEFINITIONS, getDefinition, latestDefinition } from './definitions/index.ts';
export { allowedActions, decide, startDossier } from './engine.ts';
export { applicantEventLabel, applicantStateLabel, hasTag, stateLabel, statesTagged, type WorkflowRef } from './meaning.ts';
export {
  type Actor,
  type DossierSnapshot,
  type EffectName,
  type JsonSchema,
  type Role,
  SUBMISSION,
  type WorkflowDefinition,
  type WorkflowEvent,
} from './types.ts';
