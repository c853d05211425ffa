-- Jurisdiction tree. `path` ('320000/320100/320102/') makes a subtree one range scan.
CREATE TABLE jurisdictions (
    code        TEXT PRIMARY KEY,
    name_zh     TEXT NOT NULL,
    name_en     TEXT NOT NULL,
    level       TEXT NOT NULL CHECK (level IN ('province','city','district','street','community')),
    parent_code TEXT REFERENCES jurisdictions (code),
    path        TEXT NOT NULL UNIQUE
);
CREATE INDEX jurisdictions_parent ON jurisdictions (parent_code);
CREATE INDEX jurisdictions_path ON jurisdictions (path);

-- The registry. `shard_key` is the district code of the jurisdiction: the distribution
-- column on a sharded Postgres-compatible engine (see docs/ARCHITECTURE.md).
CREATE TABLE organizations (
    id                   BLOB PRIMARY KEY,
    shard_key            TEXT NOT NULL,
    name                 TEXT NOT NULL,
    legal_form           TEXT NOT NULL CHECK (legal_form IN ('social_group','social_service_institution','foundation','community_filed')),
    uscc                 TEXT UNIQUE,
    filing_number        TEXT UNIQUE,
    domains_mask         INTEGER NOT NULL,
    jurisdiction_code    TEXT NOT NULL REFERENCES jurisdictions (code),
    jurisdiction_path    TEXT NOT NULL,
    address              TEXT NOT NULL,
    founded_on           TEXT NOT NULL,
    legal_representative TEXT NOT NULL,
    contact_phone        TEXT,
    staff_full_time      INTEGER NOT NULL CHECK (staff_full_time >= 0),
    staff_part_time      INTEGER NOT NULL CHECK (staff_part_time >= 0),
    volunteers           INTEGER NOT NULL CHECK (volunteers >= 0),
    party_org            TEXT NOT NULL CHECK (party_org IN ('none','own_branch','joint_branch')),
    party_members        INTEGER NOT NULL CHECK (party_members >= 0),
    stage                TEXT NOT NULL CHECK (stage IN ('germination','start_up','growth','mature')),
    grade                TEXT CHECK (grade IN ('1A','2A','3A','4A','5A')),
    grade_awarded_on     TEXT,
    is_demo              INTEGER NOT NULL DEFAULT 0,
    status               TEXT NOT NULL CHECK (status IN ('active','suspended','deregistered')),
    status_reason        TEXT,
    status_changed_on    TEXT,
    created_at           TEXT NOT NULL,
    updated_at           TEXT NOT NULL,
    CHECK ((legal_form = 'community_filed') = (filing_number IS NOT NULL)),
    CHECK ((legal_form = 'community_filed') = (uscc IS NULL))
);
CREATE INDEX organizations_path_name ON organizations (jurisdiction_path, name);
CREATE INDEX organizations_path_founded ON organizations (jurisdiction_path, founded_on);
CREATE INDEX organizations_status_path ON organizations (status, jurisdiction_path);
CREATE INDEX organizations_form_path ON organizations (legal_form, jurisdiction_path);
CREATE INDEX organizations_stage_path ON organizations (stage, jurisdiction_path);
CREATE INDEX organizations_grade_path ON organizations (grade, jurisdiction_path);
CREATE INDEX organizations_name ON organizations (name);
CREATE INDEX organizations_updated ON organizations (updated_at);

-- One row per (organization, domain): the indexed side of `domains_mask`. It carries the
-- jurisdiction path too, so "domain X within jurisdiction Y" is one index range.
CREATE TABLE organization_domains (
    domain            TEXT NOT NULL,
    jurisdiction_path TEXT NOT NULL,
    organization_id   BLOB NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
    PRIMARY KEY (domain, jurisdiction_path, organization_id)
);
CREATE INDEX organization_domains_org ON organization_domains (organization_id);

-- Change history: who changed which fields from what to what.
CREATE TABLE organization_changes (
    id              BLOB PRIMARY KEY,
    organization_id BLOB NOT NULL REFERENCES organizations (id),
    changed_at      TEXT NOT NULL,
    actor           TEXT NOT NULL,
    action          TEXT NOT NULL,
    changes         TEXT NOT NULL
);
CREATE INDEX organization_changes_org ON organization_changes (organization_id, changed_at);

-- Per-jurisdiction counters of live (not deregistered) organizations, kept in the same
-- transaction as every registry write, so that tree totals never scan the registry.
CREATE TABLE jurisdiction_stats (
    jurisdiction_code TEXT PRIMARY KEY REFERENCES jurisdictions (code),
    organizations     INTEGER NOT NULL DEFAULT 0,
    staff             INTEGER NOT NULL DEFAULT 0
);
