-- Issue 12, item 6: resident requests 居民求助. A resident (no account) submits a need;
-- the street hub dispatches it to an organization; the resident rates it through a
-- private link whose token is stored only as its SHA-256.

-- The request number's sequence, per district (shard key) and year: one upsert
-- `… DO UPDATE SET last_seq = last_seq + 1 RETURNING last_seq` takes the next number
-- atomically on both engines; the unique key on the requests enforces it again.
CREATE TABLE request_counters (
    shard_key TEXT NOT NULL,
    year      INTEGER NOT NULL,
    last_seq  INTEGER NOT NULL CHECK (last_seq > 0),
    PRIMARY KEY (shard_key, year)
);

CREATE TABLE resident_requests (
    id             BLOB PRIMARY KEY,
    number         TEXT NOT NULL,
    shard_key      TEXT NOT NULL,
    year           INTEGER NOT NULL,
    seq            INTEGER NOT NULL CHECK (seq > 0),
    category       TEXT NOT NULL CHECK (category IN ('elderly','children','disability','employment','education','culture_sports','social_affairs','public_welfare','academic','charity_relief','environment','public_security','other')),
    community_code TEXT NOT NULL REFERENCES jurisdictions (code),
    community_path TEXT NOT NULL,
    street_path    TEXT NOT NULL,
    description    TEXT NOT NULL,
    phone          TEXT NOT NULL,
    token_hash     TEXT NOT NULL,
    state          TEXT NOT NULL CHECK (state IN ('submitted','assigned','accepted','declined','completed','confirmed','cancelled','closed')),
    assigned_org   BLOB REFERENCES organizations (id),
    rating         INTEGER CHECK (rating IS NULL OR (rating >= 1 AND rating <= 5)),
    rating_comment TEXT,
    created_at     TEXT NOT NULL,
    state_since    TEXT NOT NULL,
    due_at         TEXT,
    updated_at     TEXT NOT NULL,
    CHECK ((state = 'confirmed') = (rating IS NOT NULL)),
    CHECK (state IN ('submitted','declined','cancelled','closed') OR assigned_org IS NOT NULL),
    CHECK (state IN ('assigned','accepted','completed','confirmed','cancelled','closed') OR assigned_org IS NULL)
);
CREATE UNIQUE INDEX resident_requests_number ON resident_requests (number);
CREATE UNIQUE INDEX resident_requests_seq ON resident_requests (shard_key, year, seq);
CREATE UNIQUE INDEX resident_requests_token ON resident_requests (token_hash);
-- The dispatcher's queue: a street (or a subtree) by state, newest first.
CREATE INDEX resident_requests_queue ON resident_requests (street_path, state, created_at, id);
-- Overdue: open requests by due time within a street.
CREATE INDEX resident_requests_due ON resident_requests (street_path, due_at);
-- An organization's queue, and its open load for the ranking.
CREATE INDEX resident_requests_org ON resident_requests (assigned_org, state, created_at, id);

-- What happened to a request, in order: the resident's page tells it in words.
CREATE TABLE request_events (
    id              BLOB PRIMARY KEY,
    request_id      BLOB NOT NULL REFERENCES resident_requests (id),
    transition      TEXT NOT NULL CHECK (transition IN ('submit','assign','accept','decline','complete','confirm','cancel','close')),
    organization_id BLOB REFERENCES organizations (id),
    reason          TEXT NOT NULL,
    at              TEXT NOT NULL
);
CREATE INDEX request_events_request ON request_events (request_id, at, id);
