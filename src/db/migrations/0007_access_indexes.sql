-- Motcua: the indexes the access-controlled dossier lists need (src/modules/authorization).
-- Runs unchanged on PostgreSQL 15+ and PGlite.
--
-- A list applies the access rule inside its query, one branch per condition (the
-- applicant, a business's tax code, the unit holding the dossier, the unit that
-- received it); each branch is an ordered index scan, newest first, stopped at the page
-- size. See listVisibleDossiers in src/modules/dossiers/store.ts and bench/queue.bench.ts.

-- Own dossiers, newest first (replaces dossiers_applicant, which had no tie-breaker).
DROP INDEX IF EXISTS dossiers_applicant;
CREATE INDEX dossiers_applicant_recent ON dossiers (applicant_sub, submitted_at DESC, id DESC);

-- Every login of a business sees the business's dossiers (only business dossiers are indexed).
CREATE INDEX dossiers_tax_code_recent ON dossiers ((applicant->>'taxCode'), submitted_at DESC, id DESC) WHERE applicant->>'taxCode' IS NOT NULL;

-- An officer's queue: the dossiers their unit holds now, all or of one status.
CREATE INDEX dossiers_current_recent ON dossiers (current_agency_code, submitted_at DESC, id DESC);
CREATE INDEX dossiers_current_status_recent ON dossiers (current_agency_code, status, submitted_at DESC, id DESC);

-- The receiving unit keeps sight of what it transferred: only transferred dossiers are
-- indexed (the others are in its own queue above), so a status with no match in a large
-- unit does not walk the whole unit.
CREATE INDEX dossiers_transferred_from ON dossiers (agency_code, submitted_at DESC, id DESC) WHERE agency_code <> current_agency_code;

-- The caller's roles are read on every request, revoked grants included (a grant revoked
-- later than "now" still counts): role_grants_sub covers only unrevoked ones.
CREATE INDEX role_grants_sub_all ON role_grants (sub);
