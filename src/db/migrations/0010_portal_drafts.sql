-- Citizen portal: application drafts kept on the server (not in the browser session, so
-- they survive its end) and the applicant's rating of the service once the result is returned.

-- One open draft per applicant and procedure (and case); a submitted draft keeps the code of
-- the dossier it became (a second press of "submit" then leads to that dossier).
CREATE TABLE portal_drafts (
  id              uuid PRIMARY KEY,
  owner_sub       text NOT NULL,
  procedure_code  text NOT NULL,
  variant_id      text,
  agency_code     text,
  form            jsonb NOT NULL DEFAULT '{}',
  step            integer NOT NULL DEFAULT 1,
  created_at      timestamptz NOT NULL DEFAULT now(),
  updated_at      timestamptz NOT NULL DEFAULT now(),
  submitted_at    timestamptz,
  dossier_code    text
);
CREATE UNIQUE INDEX portal_drafts_open ON portal_drafts (owner_sub, procedure_code) WHERE submitted_at IS NULL;
CREATE INDEX portal_drafts_owner ON portal_drafts (owner_sub, updated_at DESC);

-- The applicant's rating of how the dossier was handled: one per dossier, 1 to 5 with an
-- optional comment; what the satisfaction indicator counts.
CREATE TABLE dossier_ratings (
  dossier_id      uuid PRIMARY KEY REFERENCES dossiers(id),
  dossier_code    text NOT NULL,
  procedure_code  text NOT NULL,
  agency_code     text NOT NULL,
  rater_sub       text NOT NULL,
  score           smallint NOT NULL CHECK (score BETWEEN 1 AND 5),
  comment         text CHECK (comment IS NULL OR length(comment) <= 2000),
  rated_at        timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX dossier_ratings_agency ON dossier_ratings (agency_code, rated_at);
