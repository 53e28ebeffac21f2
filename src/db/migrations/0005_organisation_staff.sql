-- Motcua: the province's organisation (units) and its staff with their roles per unit.
-- Runs unchanged on PostgreSQL 15+ and PGlite. See docs/decisions/0008-organisation-units-and-role-grants.md.

-- A unit is an agency: the province's People's Committee, its departments and centres,
-- its communes, wards and special zones. Rows made before this migration keep kind NULL.
ALTER TABLE agencies ADD COLUMN kind text
  CHECK (kind IN ('people_committee', 'service_centre', 'department', 'police', 'commune', 'ward', 'special_zone', 'other'));
ALTER TABLE agencies ADD COLUMN name_en text;
-- The administrative unit code of the national list (vn-units: 2 digits a province, 5 a commune or ward).
ALTER TABLE agencies ADD COLUMN admin_unit_code text UNIQUE;
ALTER TABLE agencies ADD COLUMN active boolean NOT NULL DEFAULT true;
-- A merged unit stays (its dossiers and history name it) but is inactive and points to the unit it became part of.
ALTER TABLE agencies ADD COLUMN merged_into text REFERENCES agencies(code);
ALTER TABLE agencies ADD COLUMN merged_at timestamptz;
ALTER TABLE agencies ADD COLUMN updated_at timestamptz NOT NULL DEFAULT now();
ALTER TABLE agencies ADD CONSTRAINT agencies_merge_consistent
  CHECK ((merged_into IS NULL) = (merged_at IS NULL) AND (merged_into IS NULL OR NOT active) AND merged_into IS DISTINCT FROM code);
CREATE INDEX agencies_parent ON agencies (parent_code);

-- A person who works for the province, known by the OpenID Connect subject of their login.
CREATE TABLE staff (
  sub        text PRIMARY KEY,
  name       text NOT NULL,
  email      text,
  active     boolean NOT NULL DEFAULT true,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);

-- A role a person holds in a unit, from valid_from until valid_until (open-ended when NULL).
-- A delegation (acting leader) is a grant with delegated_by set: it must end.
CREATE TABLE role_grants (
  id           uuid PRIMARY KEY,
  sub          text NOT NULL REFERENCES staff(sub),
  unit_code    text NOT NULL REFERENCES agencies(code),
  role         text NOT NULL CHECK (role IN ('reception', 'specialist', 'leader', 'unit_admin', 'province_admin', 'auditor')),
  valid_from   timestamptz NOT NULL,
  valid_until  timestamptz,
  delegated_by text REFERENCES staff(sub),
  granted_by   text NOT NULL,
  granted_at   timestamptz NOT NULL,
  revoked_at   timestamptz,
  revoked_by   text,
  CHECK (valid_until IS NULL OR valid_until > valid_from),
  CHECK (delegated_by IS NULL OR valid_until IS NOT NULL),
  CHECK ((revoked_at IS NULL) = (revoked_by IS NULL))
);
-- One standing grant of a role in a unit per person (granting it again changes nothing).
CREATE UNIQUE INDEX role_grants_one_standing ON role_grants (sub, unit_code, role) WHERE revoked_at IS NULL AND delegated_by IS NULL;
CREATE INDEX role_grants_sub ON role_grants (sub) WHERE revoked_at IS NULL;
CREATE INDEX role_grants_unit ON role_grants (unit_code, role) WHERE revoked_at IS NULL;
