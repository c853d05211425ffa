-- Issue 12, item 7: residents' complaints 投诉. A resident (no account) complains about
-- an organization, or about a request it handled; the organization owes a first
-- response by `due_at` (working days, a setting); an unanswered complaint past it is
-- escalated to the street (`escalated_at`); the official records the outcome, public
-- on the organization's page without the complainant's identity.

-- The complaint number's sequence, per district (shard key) and year.
CREATE TABLE complaint_counters (
    shard_key TEXT NOT NULL,
    year      BIGINT NOT NULL,
    last_seq  BIGINT NOT NULL CHECK (last_seq > 0),
    PRIMARY KEY (shard_key, year)
);

CREATE TABLE complaints (
    id              UUID PRIMARY KEY,
    number          TEXT NOT NULL,
    shard_key       TEXT NOT NULL,
    year            BIGINT NOT NULL,
    seq             BIGINT NOT NULL CHECK (seq > 0),
    organization_id UUID NOT NULL REFERENCES organizations (id),
    request_id      UUID REFERENCES resident_requests (id),
    -- Where it is handled: the street of the request or of the organization.
    street_path     TEXT COLLATE "C" NOT NULL,
    category        TEXT NOT NULL CHECK (category IN ('service_quality','attitude','not_delivered','fees','safety','other')),
    description     TEXT NOT NULL,
    phone           TEXT NOT NULL,
    phone_source    TEXT NOT NULL CHECK (phone_source IN ('verified','given')),
    token_hash      TEXT NOT NULL,
    state           TEXT NOT NULL CHECK (state IN ('submitted','answered','resolved','closed')),
    filed_at        TIMESTAMPTZ NOT NULL,
    due_at          TIMESTAMPTZ NOT NULL,
    response        TEXT,
    responded_at    TIMESTAMPTZ,
    escalated_at    TIMESTAMPTZ,
    outcome         TEXT CHECK (outcome IS NULL OR outcome IN ('upheld','partly_upheld','not_upheld')),
    outcome_text    TEXT,
    decided_at      TIMESTAMPTZ,
    updated_at      TIMESTAMPTZ NOT NULL,
    CHECK ((response IS NULL) = (responded_at IS NULL)),
    CHECK (state <> 'answered' OR response IS NOT NULL),
    CHECK ((state IN ('resolved','closed')) = (outcome IS NOT NULL)),
    CHECK ((outcome IS NULL) = (decided_at IS NULL)),
    CHECK ((outcome IS NULL) = (outcome_text IS NULL))
);
CREATE UNIQUE INDEX complaints_number ON complaints (number);
CREATE UNIQUE INDEX complaints_seq ON complaints (shard_key, year, seq);
CREATE UNIQUE INDEX complaints_token ON complaints (token_hash);
-- The official's queue: a street (or a subtree) by state, newest first.
CREATE INDEX complaints_queue ON complaints (street_path, state, filed_at, id);
-- An organization's complaints: its queue, its public record and its facts.
CREATE INDEX complaints_org ON complaints (organization_id, state, filed_at, id);
-- The escalation sweep: unanswered complaints by due time.
CREATE INDEX complaints_due ON complaints (state, due_at);
-- Every complaint newest first (administrators), and the escalated ones.
CREATE INDEX complaints_filed ON complaints (filed_at, id);
CREATE INDEX complaints_escalated ON complaints (escalated_at, filed_at);
-- Complaints about one request.
CREATE INDEX complaints_request ON complaints (request_id);
