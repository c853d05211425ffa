-- Issue 4: hubs (一核两轴, 1+1+X), memberships, service parks and bookings, party building.

-- The core 核 of a district: its social-organization party-building work committee.
CREATE TABLE hub_cores (
    jurisdiction_code TEXT PRIMARY KEY REFERENCES jurisdictions (code),
    name_zh           TEXT NOT NULL,
    name_en           TEXT NOT NULL,
    updated_at        TEXT NOT NULL
);

-- Recognitions 认定. A revoked recognition stays as history; an organization holds at
-- most one standing recognition, and a jurisdiction node at most one regional hub.
CREATE TABLE hubs (
    id                BLOB PRIMARY KEY,
    shard_key         TEXT NOT NULL,
    organization_id   BLOB NOT NULL REFERENCES organizations (id),
    kind              TEXT NOT NULL CHECK (kind IN ('regional','industry')),
    level             TEXT NOT NULL CHECK (level IN ('province','city','district','street')),
    jurisdiction_code TEXT NOT NULL REFERENCES jurisdictions (code),
    jurisdiction_path TEXT NOT NULL,
    base_body         TEXT NOT NULL,
    fields_mask       INTEGER NOT NULL,
    recognizing_body  TEXT NOT NULL,
    document_number   TEXT NOT NULL,
    recognized_on     TEXT NOT NULL,
    functions_mask    INTEGER NOT NULL CHECK (functions_mask > 0),
    status            TEXT NOT NULL CHECK (status IN ('recognized','revoked')),
    revoked_on        TEXT,
    revoke_reason     TEXT,
    member_count      INTEGER NOT NULL DEFAULT 0 CHECK (member_count >= 0),
    created_at        TEXT NOT NULL,
    updated_at        TEXT NOT NULL,
    CHECK ((status = 'revoked') = (revoked_on IS NOT NULL))
);
CREATE UNIQUE INDEX hubs_one_recognition ON hubs (organization_id) WHERE status = 'recognized';
CREATE UNIQUE INDEX hubs_one_regional_per_node ON hubs (jurisdiction_code) WHERE status = 'recognized' AND kind = 'regional';
CREATE INDEX hubs_kind_path ON hubs (kind, status, jurisdiction_path);

-- Memberships. `hub_kind` and `hub_organization_id` are copied from the hub so that the
-- rules below are plain constraints: one live membership per pair, one live regional
-- membership per organization, never a hub in itself.
CREATE TABLE hub_memberships (
    id                  BLOB PRIMARY KEY,
    shard_key           TEXT NOT NULL,
    hub_id              BLOB NOT NULL REFERENCES hubs (id),
    hub_organization_id BLOB NOT NULL REFERENCES organizations (id),
    hub_kind            TEXT NOT NULL CHECK (hub_kind IN ('regional','industry')),
    organization_id     BLOB NOT NULL REFERENCES organizations (id),
    status              TEXT NOT NULL CHECK (status IN ('pending','active','rejected','suspended','left','withdrawn')),
    initiating          INTEGER NOT NULL DEFAULT 0,
    reason              TEXT,
    applied_on          TEXT NOT NULL,
    decided_on          TEXT,
    created_at          TEXT NOT NULL,
    updated_at          TEXT NOT NULL,
    CHECK (hub_organization_id <> organization_id)
);
CREATE UNIQUE INDEX hub_memberships_one_live_pair ON hub_memberships (hub_id, organization_id) WHERE status IN ('pending','active','suspended');
CREATE UNIQUE INDEX hub_memberships_one_regional ON hub_memberships (organization_id) WHERE hub_kind = 'regional' AND status IN ('pending','active','suspended');
CREATE INDEX hub_memberships_hub ON hub_memberships (hub_id, status);
CREATE INDEX hub_memberships_org ON hub_memberships (organization_id, status);
CREATE INDEX hub_memberships_hub_org ON hub_memberships (hub_organization_id, status);

-- Every step of every membership.
CREATE TABLE membership_events (
    id            BLOB PRIMARY KEY,
    membership_id BLOB NOT NULL REFERENCES hub_memberships (id),
    at            TEXT NOT NULL,
    actor         TEXT NOT NULL,
    action        TEXT NOT NULL,
    from_status   TEXT,
    to_status     TEXT NOT NULL,
    reason        TEXT
);
CREATE INDEX membership_events_membership ON membership_events (membership_id, at);

-- Service parks 服务园 and other venues lent to social organizations.
CREATE TABLE venues (
    id                          BLOB PRIMARY KEY,
    shard_key                   TEXT NOT NULL,
    hub_id                      BLOB REFERENCES hubs (id),
    name                        TEXT NOT NULL,
    address                     TEXT NOT NULL,
    jurisdiction_code           TEXT NOT NULL REFERENCES jurisdictions (code),
    jurisdiction_path           TEXT NOT NULL,
    area_m2                     INTEGER NOT NULL CHECK (area_m2 > 0),
    owner                       TEXT NOT NULL,
    free_of_charge              INTEGER NOT NULL,
    terms                       TEXT NOT NULL,
    utilities_waived            INTEGER NOT NULL,
    obligation                  TEXT NOT NULL,
    obligation_hours_per_quarter INTEGER NOT NULL CHECK (obligation_hours_per_quarter >= 0),
    created_at                  TEXT NOT NULL,
    updated_at                  TEXT NOT NULL
);
CREATE INDEX venues_path ON venues (jurisdiction_path);
CREATE INDEX venues_hub ON venues (hub_id);

CREATE TABLE spaces (
    id         BLOB PRIMARY KEY,
    venue_id   BLOB NOT NULL REFERENCES venues (id),
    name       TEXT NOT NULL,
    kind       TEXT NOT NULL CHECK (kind IN ('office','activity_room','meeting_room')),
    capacity   INTEGER NOT NULL CHECK (capacity > 0),
    area_m2    INTEGER NOT NULL CHECK (area_m2 >= 0),
    created_at TEXT NOT NULL
);
CREATE INDEX spaces_venue ON spaces (venue_id);

-- Offices allocated for a period (inclusive dates). Overlaps are refused inside a
-- transaction that first locks the space's row.
CREATE TABLE office_allocations (
    id              BLOB PRIMARY KEY,
    space_id        BLOB NOT NULL REFERENCES spaces (id),
    organization_id BLOB NOT NULL REFERENCES organizations (id),
    starts_on       TEXT NOT NULL,
    ends_on         TEXT NOT NULL,
    ended_early_on  TEXT,
    created_at      TEXT NOT NULL,
    CHECK (ends_on >= starts_on)
);
CREATE INDEX office_allocations_space ON office_allocations (space_id, starts_on);
CREATE INDEX office_allocations_org ON office_allocations (organization_id);

-- Room bookings. Their slots are claimed in `booking_slots` under a primary key on
-- (space, slot start): two overlapping bookings would claim a common slot, which the
-- database refuses whatever the interleaving.
CREATE TABLE bookings (
    id              BLOB PRIMARY KEY,
    number          TEXT NOT NULL UNIQUE,
    space_id        BLOB NOT NULL REFERENCES spaces (id),
    organization_id BLOB NOT NULL REFERENCES organizations (id),
    starts_at       TEXT NOT NULL,
    ends_at         TEXT NOT NULL,
    purpose         TEXT NOT NULL,
    attendees       INTEGER NOT NULL CHECK (attendees >= 0),
    status          TEXT NOT NULL CHECK (status IN ('confirmed','cancelled')),
    booked_by       TEXT NOT NULL,
    created_at      TEXT NOT NULL,
    cancelled_at    TEXT,
    CHECK (ends_at > starts_at)
);
CREATE INDEX bookings_space ON bookings (space_id, starts_at);
CREATE INDEX bookings_org ON bookings (organization_id, starts_at);

CREATE TABLE booking_slots (
    space_id   BLOB NOT NULL REFERENCES spaces (id),
    slot_start TEXT NOT NULL,
    booking_id BLOB NOT NULL REFERENCES bookings (id),
    PRIMARY KEY (space_id, slot_start)
);
CREATE INDEX booking_slots_booking ON booking_slots (booking_id);

-- Human numbers (booking numbers …): one counter per name, bumped in the writing transaction.
CREATE TABLE number_sequences (
    name  TEXT PRIMARY KEY,
    value INTEGER NOT NULL
);

-- Service delivered to residents against a venue's obligation, per organization and quarter.
CREATE TABLE obligation_reports (
    id               BLOB PRIMARY KEY,
    venue_id         BLOB NOT NULL REFERENCES venues (id),
    organization_id  BLOB NOT NULL REFERENCES organizations (id),
    year             INTEGER NOT NULL,
    quarter          INTEGER NOT NULL CHECK (quarter BETWEEN 1 AND 4),
    service_hours    INTEGER NOT NULL CHECK (service_hours >= 0),
    residents_served INTEGER NOT NULL CHECK (residents_served >= 0),
    note             TEXT NOT NULL,
    reported_by      TEXT NOT NULL,
    reported_at      TEXT NOT NULL,
    UNIQUE (venue_id, organization_id, year, quarter)
);
CREATE INDEX obligation_reports_venue ON obligation_reports (venue_id, year, quarter);

-- Party-building instructors 党建指导员.
CREATE TABLE party_instructors (
    id                BLOB PRIMARY KEY,
    shard_key         TEXT NOT NULL,
    name              TEXT NOT NULL,
    phone             TEXT,
    jurisdiction_code TEXT NOT NULL REFERENCES jurisdictions (code),
    jurisdiction_path TEXT NOT NULL,
    workplace         TEXT NOT NULL,
    created_at        TEXT NOT NULL,
    updated_at        TEXT NOT NULL
);
CREATE INDEX party_instructors_path ON party_instructors (jurisdiction_path);

-- On the organization: its instructor, and hub coverage counters kept in the same
-- transaction as membership changes (the regional hub it is an active member of; how
-- many industry hubs), so that coverage is one range scan.
ALTER TABLE organizations ADD COLUMN party_instructor_id BLOB;
ALTER TABLE organizations ADD COLUMN regional_hub_id BLOB;
ALTER TABLE organizations ADD COLUMN industry_hubs INTEGER NOT NULL DEFAULT 0;
CREATE INDEX organizations_instructor ON organizations (party_instructor_id);
