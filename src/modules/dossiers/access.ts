/**
 * Who may see a dossier and its files: decided by the authorization module
 * (src/modules/authorization/dossier-access.ts); re-exported here for the modules that
 * read dossiers (files, dossiers).
 */
export {
  APPLICANT_FILE_ROLES,
  actorFor,
  applicantMaySeeFile,
  canSeeDossier,
  canSeeDossierFile,
  isOwnDossier,
  visibleDossierBranches,
  visibleDossierFilesSql,
  visibleDossiersSql,
  type DossierFacts,
} from '../authorization/index.ts';
