-- Motcua core: agencies, the procedure catalogue, workflow definitions, files, dossiers.
-- Runs unchanged on PostgreSQL 15+ and PGlite (PostgreSQL 18).

CREATE TABLE agencies (
  code        text PRIMARY KEY,              -- agency identifier code (Circular 01/2018 art. 19), e.g. 000.00.04.H12
  name        text NOT NULL,
  level       text NOT NULL CHECK (level IN ('province', 'commune', 'ministry', 'other')),
  parent_code text REFERENCES agencies(code),
  created_at  timestamptz NOT NULL DEFAULT now()
);

-- Every catalogue version of a procedure is kept: a dossier keeps the version it was submitted under.
CREATE TABLE procedures (
  code        text NOT NULL,
  version     integer NOT NULL CHECK (version > 0),
  is_current  boolean NOT NULL DEFAULT true,
  name        text NOT NULL,
  field       text NOT NULL,
  level       text NOT NULL CHECK (level IN ('province', 'commune')),
  online_level text NOT NULL CHECK (online_level IN ('full', 'partial')),
  legal_processing_days integer NOT NULL CHECK (legal_processing_days >= 0),
  workflow_id text NOT NULL,
  workflow_version integer NOT NULL,
  data        jsonb NOT NULL,               -- the whole Procedure (fees, documents, form, legal basis, result...)
  created_at  timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (code, version)
);
CREATE UNIQUE INDEX procedures_one_current ON procedures (code) WHERE is_current;

CREATE TABLE workflow_definitions (
  id         text NOT NULL,
  version    integer NOT NULL,
  definition jsonb NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (id, version)
);

CREATE TABLE files (
  id          uuid PRIMARY KEY,
  sha256      text NOT NULL CHECK (sha256 ~ '^[0-9a-f]{64}$'),
  size_bytes  bigint NOT NULL CHECK (size_bytes > 0),
  media_type  text NOT NULL,
  file_name   text,
  owner_sub   text NOT NULL,
  storage_key text NOT NULL,
  created_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX files_owner ON files (owner_sub, created_at DESC);
CREATE INDEX files_sha ON files (sha256);

-- Daily sequence per receiving agency for dossier codes.
CREATE TABLE dossier_code_counters (
  agency_code text NOT NULL,
  day         date NOT NULL,
  last_seq    integer NOT NULL,
  PRIMARY KEY (agency_code, day)
);

CREATE TABLE dossiers (
  id               uuid PRIMARY KEY,
  code             text NOT NULL UNIQUE,
  procedure_code   text NOT NULL,
  procedure_version integer NOT NULL,
  workflow_id      text NOT NULL,
  workflow_version integer NOT NULL,
  agency_code      text NOT NULL REFERENCES agencies(code),
  current_agency_code text NOT NULL,
  applicant_sub    text NOT NULL,
  applicant        jsonb NOT NULL,           -- who applied, from the identity claims
  form             jsonb NOT NULL,           -- the validated, normalised eForm
  status           text NOT NULL,
  assignee_sub     text,
  submitted_at     timestamptz NOT NULL,
  received_at      timestamptz,
  due_at           timestamptz,
  snapshot         jsonb NOT NULL,           -- the workflow engine's view of the dossier
  revision         integer NOT NULL DEFAULT 1, -- optimistic concurrency
  idempotency_key  text,
  request_hash     text,
  created_at       timestamptz NOT NULL DEFAULT now(),
  updated_at       timestamptz NOT NULL DEFAULT now(),
  FOREIGN KEY (procedure_code, procedure_version) REFERENCES procedures (code, version)
);
CREATE UNIQUE INDEX dossiers_idempotency ON dossiers (applicant_sub, idempotency_key) WHERE idempotency_key IS NOT NULL;
CREATE INDEX dossiers_applicant ON dossiers (applicant_sub, submitted_at DESC);
CREATE INDEX dossiers_queue ON dossiers (current_agency_code, status, due_at);

-- The dossier's history: one row per action taken (the log a dossier's status is derived from).
CREATE TABLE dossier_events (
  dossier_id  uuid NOT NULL REFERENCES dossiers(id),
  seq         integer NOT NULL,
  type        text NOT NULL,
  action      text,
  actor_sub   text NOT NULL,
  actor_roles text[] NOT NULL,
  at          timestamptz NOT NULL,
  status_from text,
  status_to   text NOT NULL,
  data        jsonb NOT NULL DEFAULT '{}',
  PRIMARY KEY (dossier_id, seq)
);

-- Files attached to a dossier (form attachments, supplements, results), by the field that names them.
CREATE TABLE dossier_files (
  dossier_id uuid NOT NULL REFERENCES dossiers(id),
  file_id    uuid NOT NULL REFERENCES files(id),
  role       text NOT NULL,                 -- 'form', 'supplement', 'result', ...
  pointer    text NOT NULL,                 -- the field, e.g. /attachments/birthCertificate
  PRIMARY KEY (dossier_id, file_id, pointer)
);
CREATE INDEX dossier_files_file ON dossier_files (file_id);
