-- Motcua: the append-only, hash-chained audit log and the transactional outbox.
-- Runs unchanged on PostgreSQL 15+ and PGlite. See docs/decisions/0002-audit-chain-sealer.md.

-- One row per change. Application transactions only INSERT (no lock shared between them);
-- a single sealer later assigns the gapless chain position and the hash chain.
CREATE TABLE audit_log (
  id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,  -- insertion order (not commit order)
  at          timestamptz NOT NULL,             -- when the change happened (the caller's clock, UTC)
  actor_sub   text NOT NULL,                    -- OIDC subject of who did it ('system:<worker>' for workers)
  actor_roles text[] NOT NULL,
  action      text NOT NULL,                    -- e.g. 'dossier.submit'
  entity_type text NOT NULL,                    -- e.g. 'dossier'
  entity_id   text NOT NULL,
  before      jsonb,                            -- NULL when the entity did not exist
  after       jsonb,                            -- NULL when the entity was removed
  request_id  text,
  -- Sealing columns: NULL until the sealer sets all four at once; never changed afterwards.
  chain_pos   bigint,                           -- 1, 2, 3 ... without gaps, in sealing order
  prev_hash   text,                             -- hash of chain_pos - 1 (64 zeros for chain_pos 1)
  hash        text,                             -- sha256(prev_hash || canonical JSON of the content incl. chain_pos)
  sealed_at   timestamptz,
  CHECK ((chain_pos IS NULL) = (hash IS NULL) AND (hash IS NULL) = (prev_hash IS NULL) AND (prev_hash IS NULL) = (sealed_at IS NULL)),
  CHECK (chain_pos IS NULL OR chain_pos > 0)
);
-- Partial indexes: an insert touches neither the chain index nor (after sealing) the work queue.
CREATE UNIQUE INDEX audit_log_chain_pos ON audit_log (chain_pos) WHERE chain_pos IS NOT NULL;
CREATE INDEX audit_log_unsealed ON audit_log (id) WHERE chain_pos IS NULL;
CREATE INDEX audit_log_entity ON audit_log (entity_type, entity_id, id);

-- The head of the chain, moved by the sealer in the same transaction as the rows it seals.
-- It lets verify notice entries cut off the end of the chain.
CREATE TABLE audit_chain_head (
  singleton  boolean PRIMARY KEY DEFAULT true CHECK (singleton),
  last_pos   bigint NOT NULL,
  last_hash  text NOT NULL,
  updated_at timestamptz NOT NULL DEFAULT now()
);
INSERT INTO audit_chain_head (last_pos, last_hash) VALUES (0, repeat('0', 64));

CREATE FUNCTION audit_log_guard() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    IF NEW.chain_pos IS NOT NULL OR NEW.hash IS NOT NULL OR NEW.prev_hash IS NOT NULL OR NEW.sealed_at IS NOT NULL THEN
      RAISE EXCEPTION 'audit_log: entries are inserted unsealed; only the sealer seals them'
        USING ERRCODE = 'integrity_constraint_violation';
    END IF;
    RETURN NEW;
  ELSIF TG_OP = 'UPDATE' THEN
    IF (NEW.id, NEW.at, NEW.actor_sub, NEW.actor_roles, NEW.action, NEW.entity_type, NEW.entity_id,
        NEW.before, NEW.after, NEW.request_id)
       IS DISTINCT FROM
       (OLD.id, OLD.at, OLD.actor_sub, OLD.actor_roles, OLD.action, OLD.entity_type, OLD.entity_id,
        OLD.before, OLD.after, OLD.request_id) THEN
      RAISE EXCEPTION 'audit_log is append-only: entry % cannot be changed', OLD.id
        USING ERRCODE = 'integrity_constraint_violation';
    END IF;
    IF OLD.chain_pos IS NOT NULL THEN
      RAISE EXCEPTION 'audit_log: entry % is already sealed', OLD.id
        USING ERRCODE = 'integrity_constraint_violation';
    END IF;
    RETURN NEW;
  ELSE -- DELETE or TRUNCATE
    RAISE EXCEPTION 'audit_log is append-only: % is forbidden', TG_OP
      USING ERRCODE = 'integrity_constraint_violation';
  END IF;
END
$$;

CREATE TRIGGER audit_log_append_only
  BEFORE INSERT OR UPDATE OR DELETE ON audit_log
  FOR EACH ROW EXECUTE FUNCTION audit_log_guard();
CREATE TRIGGER audit_log_no_truncate
  BEFORE TRUNCATE ON audit_log
  FOR EACH STATEMENT EXECUTE FUNCTION audit_log_guard();

-- Side effects leave through here, written in the same transaction as the change.
CREATE TABLE outbox (
  id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  event_id        uuid NOT NULL UNIQUE,          -- stable id sent to receivers, for de-duplication
  topic           text NOT NULL,
  key             text NOT NULL,                 -- what the event is about (e.g. a dossier id)
  payload         jsonb NOT NULL,
  -- pending -> delivered | dead (gave up after max attempts) | skipped (no sink subscribed to the topic)
  status          text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'delivered', 'dead', 'skipped')),
  attempts        integer NOT NULL DEFAULT 0,    -- delivery attempts started (incremented when claimed)
  next_attempt_at timestamptz NOT NULL DEFAULT now(), -- due time; while claimed, the end of the lease
  claim_token     uuid,                          -- the worker's claim; a late worker cannot overwrite a newer claim
  last_error      text,
  created_at      timestamptz NOT NULL DEFAULT now(),
  delivered_at    timestamptz                    -- when delivered, given up or skipped
);
CREATE INDEX outbox_due ON outbox (next_attempt_at, id) WHERE status = 'pending';
CREATE INDEX outbox_dead ON outbox (id) WHERE status = 'dead';
