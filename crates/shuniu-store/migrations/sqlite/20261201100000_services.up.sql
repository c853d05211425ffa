-- Issue 12, items 1 and 2: an organization's public contact and its service catalogue.
-- Both are the organization's own disclosure (自行申报), shown in full: no person's data.

-- The phone, hours and address residents use to reach the organization's services
-- (the registry's contact phone is a person's and stays masked).
CREATE TABLE organization_contacts (
    organization_id BLOB PRIMARY KEY REFERENCES organizations (id),
    service_phone   TEXT NOT NULL,
    service_hours   TEXT NOT NULL,
    address         TEXT NOT NULL,
    updated_at      TEXT NOT NULL
);

-- The services an organization offers. `jurisdiction_path` is where the service is
-- given (the venue's node, the community chosen, or the organization's own node for
-- services at home), so "services in this street" is one index range.
CREATE TABLE services (
    id                BLOB PRIMARY KEY,
    shard_key         TEXT NOT NULL,
    organization_id   BLOB NOT NULL REFERENCES organizations (id),
    name              TEXT NOT NULL,
    category          TEXT NOT NULL CHECK (category IN ('elderly','children','disability','employment','education','culture_sports','social_affairs','public_welfare','academic','charity_relief','environment','public_security','other')),
    target_group      TEXT NOT NULL,
    eligibility       TEXT NOT NULL,
    place_kind        TEXT NOT NULL CHECK (place_kind IN ('venue','community','home')),
    venue_id          BLOB REFERENCES venues (id),
    jurisdiction_code TEXT NOT NULL REFERENCES jurisdictions (code),
    jurisdiction_path TEXT NOT NULL,
    schedule          TEXT NOT NULL,
    fee_fen           INTEGER NOT NULL CHECK (fee_fen >= 0),
    capacity          INTEGER CHECK (capacity IS NULL OR capacity > 0),
    status            TEXT NOT NULL CHECK (status IN ('active','paused','ended')),
    created_at        TEXT NOT NULL,
    updated_at        TEXT NOT NULL,
    CHECK ((place_kind = 'venue') = (venue_id IS NOT NULL))
);
CREATE INDEX services_org ON services (organization_id, name, id);
-- The public list: by place (a subtree), or by category within a place; sorted by name.
CREATE INDEX services_place ON services (jurisdiction_path, name, id);
CREATE INDEX services_category ON services (category, jurisdiction_path, name, id);
-- HSDS pages walk every service in id order.
CREATE INDEX services_status_id ON services (status, id);
