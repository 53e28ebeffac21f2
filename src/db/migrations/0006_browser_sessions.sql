-- Motcua: browser sessions of the relying party (GET /auth/login, /auth/callback).
-- Runs unchanged on PostgreSQL 15+ and PGlite. See src/modules/sessions/README.md.

-- A login under way: what the callback needs to finish it (PKCE verifier, state, nonce,
-- where to go back to). Keyed by the SHA-256 of the random value in the browser's
-- short-lived login cookie; used once.
CREATE TABLE auth_logins (
  id_hash text PRIMARY KEY,
  state text NOT NULL,
  nonce text NOT NULL,
  code_verifier text NOT NULL,
  return_to text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  expires_at timestamptz NOT NULL
);
CREATE INDEX auth_logins_expires ON auth_logins (expires_at);

-- A logged-in browser. The cookie holds a random 256-bit value; only its SHA-256 is
-- stored, so a copy of the database does not log anybody in. The tokens stay on the
-- server: the browser never sees them.
CREATE TABLE auth_sessions (
  id_hash text PRIMARY KEY,
  sub text NOT NULL,
  claims jsonb NOT NULL,
  csrf_token text NOT NULL,
  access_token text NOT NULL,
  access_expires_at timestamptz NOT NULL,
  refresh_token text,
  id_token text,
  created_at timestamptz NOT NULL DEFAULT now(),
  last_seen_at timestamptz NOT NULL DEFAULT now(),
  expires_at timestamptz NOT NULL,
  revoked_at timestamptz
);
CREATE INDEX auth_sessions_sub ON auth_sessions (sub);
CREATE INDEX auth_sessions_expires ON auth_sessions (expires_at);
