/**
 * Who may do what: the route policies, and who may see a dossier, its files and its result (also as SQL inside list queries).
 * The module's one public face: other modules, the pages and the CLI import only this file.
 */
export { callerFrom, officerUnits } from './caller.ts';
export {
  actorFor,
  APPLICANT_FILE_ROLES,
  applicantMaySeeFile,
  canSeeDossier,
  canSeeDossierFile,
  type DossierFacts,
  isOwnDossier,
  visibleDossierBranches,
  visibleDossierFilesSql,
  visibleDossiersSql,
} from './dossier-access.ts';
export { compilePolicy, decideRoute, policy, policyOf, type RoutePolicy, UNDECLARED } from './policy.ts';
export { knowsPublicLookupSecret } from './public-lookup.ts';
export { type AccessResolver, createAccessResolver } from './resolver.ts';
export { recordRoutes } from './route-table.ts';
