-- Motcua: the national catalogue as imported, and what the province offers of it.

-- The national catalogue names procedures performed by ministries and other bodies too.
ALTER TABLE procedures DROP CONSTRAINT procedures_level_check;
ALTER TABLE procedures ADD CONSTRAINT procedures_level_check CHECK (level IN ('province', 'commune', 'ministry', 'other'));
-- Where a version came from: 'demo', 'national:<file>', 'province:<file>'.
ALTER TABLE procedures ADD COLUMN source text;

-- What the province offers: a procedure at an agency, at an online level, with the
-- local overrides its council or people's committee decided. A procedure nobody offers
-- is in the catalogue but cannot be applied for.
CREATE TABLE procedure_offerings (
  procedure_code      text NOT NULL,
  agency_code         text NOT NULL REFERENCES agencies(code),
  online_level        text NOT NULL CHECK (online_level IN ('full', 'partial')),
  online_level_reason text,                       -- required when partial: the legal reason
  processing_days     integer CHECK (processing_days > 0),  -- a shortened deadline (never longer than the law's)
  fees                jsonb,                      -- fees set by the provincial council, replacing the catalogue's
  active              boolean NOT NULL DEFAULT true,
  updated_at          timestamptz NOT NULL DEFAULT now(),
  updated_by          text NOT NULL,
  PRIMARY KEY (procedure_code, agency_code),
  CHECK (online_level = 'full' OR online_level_reason IS NOT NULL)
);
CREATE INDEX procedure_offerings_agency ON procedure_offerings (agency_code) WHERE active;

-- Each import run and its report (what could not be parsed, per procedure).
CREATE TABLE catalogue_imports (
  id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  source      text NOT NULL,
  started_at  timestamptz NOT NULL,
  finished_at timestamptz NOT NULL,
  actor_sub   text NOT NULL,
  created     integer NOT NULL,
  updated     integer NOT NULL,
  unchanged   integer NOT NULL,
  skipped     integer NOT NULL,
  report      jsonb NOT NULL
);
