-- Accounts. Officials are bound to a jurisdiction, hub staff and organization members
-- to an organization (the policy reads these bindings).
CREATE TABLE users (
    id                   BLOB PRIMARY KEY,
    username             TEXT NOT NULL UNIQUE,
    display_name         TEXT NOT NULL,
    role                 TEXT NOT NULL CHECK (role IN ('admin','official','hub_staff','org_member','expert')),
    jurisdiction_code    TEXT REFERENCES jurisdictions (code),
    organization_id      BLOB REFERENCES organizations (id),
    password_hash        TEXT NOT NULL,
    must_change_password INTEGER NOT NULL,
    disabled             INTEGER NOT NULL DEFAULT 0,
    failed_logins        INTEGER NOT NULL DEFAULT 0,
    locked_until         TEXT,
    password_changed_at  TEXT NOT NULL,
    created_at           TEXT NOT NULL,
    CHECK ((role = 'official') = (jurisdiction_code IS NOT NULL)),
    CHECK ((role IN ('hub_staff','org_member')) = (organization_id IS NOT NULL))
);

-- Server-side sessions; the cookie holds a random token, the table only its hash.
CREATE TABLE sessions (
    token_hash   TEXT PRIMARY KEY,
    user_id      BLOB NOT NULL REFERENCES users (id),
    csrf_token   TEXT NOT NULL,
    created_at   TEXT NOT NULL,
    last_seen_at TEXT NOT NULL,
    ended_at     TEXT
);
CREATE INDEX sessions_user ON sessions (user_id);

-- API tokens: shown once, stored hashed, revocable, expiring.
CREATE TABLE api_tokens (
    id           BLOB PRIMARY KEY,
    user_id      BLOB NOT NULL REFERENCES users (id),
    name         TEXT NOT NULL,
    token_hash   TEXT NOT NULL UNIQUE,
    created_at   TEXT NOT NULL,
    expires_at   TEXT NOT NULL,
    revoked_at   TEXT,
    last_used_at TEXT
);
CREATE INDEX api_tokens_user ON api_tokens (user_id);

-- The audit trail: append-only, each record chained to the previous by an HMAC.
CREATE TABLE audit_log (
    seq               INTEGER PRIMARY KEY,
    at                TEXT NOT NULL,
    actor             TEXT NOT NULL,
    role              TEXT NOT NULL,
    source            TEXT NOT NULL,
    action            TEXT NOT NULL,
    object            TEXT NOT NULL,
    outcome           TEXT NOT NULL CHECK (outcome IN ('success','failure')),
    details           TEXT NOT NULL,
    jurisdiction_path TEXT,
    prev_hash         TEXT NOT NULL,
    hash              TEXT NOT NULL
);
CREATE INDEX audit_log_at ON audit_log (at);
CREATE INDEX audit_log_path ON audit_log (jurisdiction_path, seq);
CREATE INDEX audit_log_actor ON audit_log (actor, seq);
CREATE INDEX audit_log_action ON audit_log (action, seq);

-- The chain's ends: the last record (catches cuts at the end) and the anchor the
-- remaining chain starts from after records past retention were purged.
CREATE TABLE audit_head (
    id        INTEGER PRIMARY KEY CHECK (id = 1),
    seq       INTEGER NOT NULL,
    hash      TEXT NOT NULL,
    base_seq  INTEGER NOT NULL,
    base_hash TEXT NOT NULL
);
INSERT INTO audit_head (id, seq, hash, base_seq, base_hash) VALUES
    (1, 0, '0000000000000000000000000000000000000000000000000000000000000000',
     0, '0000000000000000000000000000000000000000000000000000000000000000');

-- Append-only: the application never updates or deletes audit records; the database
-- refuses it too, except a purge past retention that first marks itself in audit_purge.
CREATE TABLE audit_purge (id INTEGER PRIMARY KEY CHECK (id = 1), active INTEGER NOT NULL);
INSERT INTO audit_purge (id, active) VALUES (1, 0);
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN
    SELECT RAISE(ABORT, 'audit_log is append-only');
END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
    WHEN (SELECT active FROM audit_purge WHERE id = 1) = 0
BEGIN
    SELECT RAISE(ABORT, 'audit_log is append-only');
END;
