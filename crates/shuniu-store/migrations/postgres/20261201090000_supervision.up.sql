-- Issue 9: supervision of the registry — change registration, annual reports,
-- assessment and grades, credit lists (DOMAIN.md §5).

-- A name is unique among the live registered organizations of one registration
-- authority. The district is the authority of district-registered organizations and
-- `shard_key` is the district (or the city / province node an organization sits at).
-- Filed community organizations are filed by streets and are left out.
CREATE UNIQUE INDEX organizations_live_name ON organizations (shard_key, name)
    WHERE status <> 'deregistered' AND legal_form <> 'community_filed';

-- Registered facts the organization row does not hold (written only by approved
-- change applications or the authority's import).
CREATE TABLE organization_registration (
    organization_id        UUID PRIMARY KEY REFERENCES organizations (id),
    business_scope         TEXT NOT NULL,
    competent_unit         TEXT,
    registered_capital_fen BIGINT CHECK (registered_capital_fen >= 0),
    updated_at             TIMESTAMPTZ NOT NULL
);

-- Change applications 变更登记: one open application per organization, so that every
-- application's "from" values describe the record it will change.
CREATE TABLE change_applications (
    id              UUID PRIMARY KEY,
    shard_key       TEXT NOT NULL,
    organization_id UUID NOT NULL REFERENCES organizations (id),
    authority_path  TEXT COLLATE "C" NOT NULL,
    status          TEXT NOT NULL CHECK (status IN ('submitted','approved','returned','withdrawn')),
    attachments     TEXT NOT NULL,
    note            TEXT NOT NULL,
    submitted_by    TEXT NOT NULL,
    submitted_at    TIMESTAMPTZ NOT NULL,
    decided_by      TEXT,
    decided_on      DATE,
    decided_at      TIMESTAMPTZ,
    decision_reason TEXT,
    CHECK ((status = 'submitted') = (decided_at IS NULL))
);
CREATE UNIQUE INDEX change_applications_one_open ON change_applications (organization_id) WHERE status = 'submitted';
CREATE INDEX change_applications_authority ON change_applications (authority_path, status, submitted_at);
CREATE INDEX change_applications_org ON change_applications (organization_id, submitted_at);

CREATE TABLE change_application_fields (
    application_id UUID NOT NULL REFERENCES change_applications (id),
    field          TEXT NOT NULL CHECK (field IN ('name','legal_form','legal_representative','address','business_scope','competent_unit','registered_capital','founded_on','jurisdiction','uscc','filing_number')),
    from_value     TEXT NOT NULL,
    to_value       TEXT NOT NULL,
    PRIMARY KEY (application_id, field)
);

-- Annual reports 年报 and their review 年检: one per organization and year.
CREATE TABLE annual_reports (
    id                     UUID PRIMARY KEY,
    shard_key              TEXT NOT NULL,
    organization_id        UUID NOT NULL REFERENCES organizations (id),
    year                   BIGINT NOT NULL CHECK (year >= 1990),
    activities             TEXT NOT NULL,
    income_fen             BIGINT NOT NULL CHECK (income_fen >= 0),
    expenditure_fen        BIGINT NOT NULL CHECK (expenditure_fen >= 0),
    net_assets_fen         BIGINT NOT NULL,
    donations_fen          BIGINT NOT NULL CHECK (donations_fen >= 0),
    government_funding_fen BIGINT NOT NULL CHECK (government_funding_fen >= 0),
    staff_full_time        BIGINT NOT NULL CHECK (staff_full_time >= 0),
    staff_part_time        BIGINT NOT NULL CHECK (staff_part_time >= 0),
    volunteers             BIGINT NOT NULL CHECK (volunteers >= 0),
    party_building         TEXT NOT NULL,
    major_events           TEXT NOT NULL,
    submitted_on           DATE NOT NULL,
    due_on                 DATE NOT NULL,
    late                   BOOLEAN NOT NULL,
    review_kind            TEXT NOT NULL CHECK (review_kind IN ('full','simplified')),
    outcome                TEXT CHECK (outcome IN ('qualified','basically_qualified','unqualified')),
    review_reasons         TEXT,
    reviewed_by            TEXT,
    reviewed_on            DATE,
    created_at             TIMESTAMPTZ NOT NULL,
    UNIQUE (organization_id, year),
    CHECK ((outcome IS NULL) = (reviewed_on IS NULL))
);
CREATE INDEX annual_reports_year ON annual_reports (year, outcome);

-- Assessment rounds 评估 opened by an authority, applications, and grade awards.
CREATE TABLE assessment_rounds (
    id                UUID PRIMARY KEY,
    authority_code    TEXT NOT NULL REFERENCES jurisdictions (code),
    authority_path    TEXT COLLATE "C" NOT NULL,
    year              BIGINT NOT NULL CHECK (year >= 1990),
    title             TEXT NOT NULL,
    opens_on          DATE NOT NULL,
    closes_on         DATE NOT NULL,
    notice_days       BIGINT NOT NULL CHECK (notice_days > 0),
    created_at        TIMESTAMPTZ NOT NULL,
    CHECK (closes_on >= opens_on)
);
CREATE INDEX assessment_rounds_authority ON assessment_rounds (authority_path, year);

CREATE TABLE assessment_applications (
    id               UUID PRIMARY KEY,
    round_id         UUID NOT NULL REFERENCES assessment_rounds (id),
    organization_id  UUID NOT NULL REFERENCES organizations (id),
    table_kind       TEXT NOT NULL CHECK (table_kind IN ('industry_association','academic_group','public_welfare_group','service_institution','foundation')),
    stage            TEXT NOT NULL CHECK (stage IN ('applied','refused','scored','notice','awarded','not_graded','withdrawn')),
    applied_on       DATE NOT NULL,
    scores           TEXT,
    total            BIGINT CHECK (total >= 0 AND total <= 1000),
    grade            TEXT CHECK (grade IN ('1A','2A','3A','4A','5A')),
    notice_starts_on DATE,
    reason           TEXT,
    updated_at       TIMESTAMPTZ NOT NULL,
    UNIQUE (round_id, organization_id)
);
CREATE INDEX assessment_applications_org ON assessment_applications (organization_id);

-- Every award of a grade. An award never changes but for its end (lowered, withdrawn,
-- superseded); at most one award per organization is open.
CREATE TABLE grade_awards (
    id              UUID PRIMARY KEY,
    organization_id UUID NOT NULL REFERENCES organizations (id),
    grade           TEXT NOT NULL CHECK (grade IN ('1A','2A','3A','4A','5A')),
    awarded_on      DATE NOT NULL,
    expires_on      DATE NOT NULL,
    source          TEXT NOT NULL CHECK (source IN ('assessment','import','lowered')),
    application_id  UUID REFERENCES assessment_applications (id),
    document        TEXT NOT NULL,
    ended_on        DATE,
    end_reason      TEXT,
    created_at      TIMESTAMPTZ NOT NULL,
    CHECK (expires_on > awarded_on)
);
CREATE UNIQUE INDEX grade_awards_one_open ON grade_awards (organization_id) WHERE ended_on IS NULL;
CREATE INDEX grade_awards_org ON grade_awards (organization_id, awarded_on);

-- What officials record that the credit lists follow (penalties, findings, orders).
CREATE TABLE credit_events (
    id              UUID PRIMARY KEY,
    organization_id UUID NOT NULL REFERENCES organizations (id),
    occurred_on     DATE NOT NULL,
    kind            TEXT NOT NULL CHECK (kind IN ('warning','fine','suspend_order','revocation','court_dishonest_debtor','false_change_revoked','correction_ordered','correction_done','unreachable','reachable','party_org_missing','party_org_set_up')),
    amount_fen      BIGINT CHECK (amount_fen >= 0),
    due_on          DATE,
    refers_to       UUID REFERENCES credit_events (id),
    note            TEXT NOT NULL,
    recorded_by     TEXT NOT NULL,
    created_at      TIMESTAMPTZ NOT NULL,
    CHECK ((kind = 'fine') = (amount_fen IS NOT NULL)),
    CHECK ((kind = 'correction_ordered') = (due_on IS NOT NULL)),
    CHECK ((kind = 'correction_done') = (refers_to IS NOT NULL))
);
CREATE INDEX credit_events_org ON credit_events (organization_id, occurred_on);

-- Credit listings 活动异常名录 / 严重违法失信名单. A row is never deleted: removal is
-- recorded on it. A cause is listed once (the unique key), so two supervise runs
-- racing each other list it once.
CREATE TABLE credit_listings (
    id                 UUID PRIMARY KEY,
    shard_key          TEXT NOT NULL,
    organization_id    UUID NOT NULL REFERENCES organizations (id),
    jurisdiction_path  TEXT COLLATE "C" NOT NULL,
    list_kind          TEXT NOT NULL CHECK (list_kind IN ('abnormal','serious')),
    trigger_code       TEXT NOT NULL CHECK (trigger_code IN ('late_annual_report','no_party_organization','correction_not_done','warning_or_small_fine','unreachable','abnormal_two_years','false_change_registration','ordered_to_suspend','large_fine','repeated_penalties','court_dishonest_debtor','registration_revoked')),
    cause              TEXT NOT NULL,
    listed_on          DATE NOT NULL,
    reason_zh          TEXT NOT NULL,
    reason_en          TEXT NOT NULL,
    basis_zh           TEXT NOT NULL,
    basis_en           TEXT NOT NULL,
    listed_by          TEXT NOT NULL,
    removed_on         DATE,
    removal_reason_zh  TEXT,
    removal_reason_en  TEXT,
    removed_by         TEXT,
    created_at         TIMESTAMPTZ NOT NULL,
    UNIQUE (organization_id, list_kind, trigger_code, cause),
    CHECK ((removed_on IS NULL) = (removed_by IS NULL)),
    CHECK (removed_on IS NULL OR removed_on >= listed_on)
);
CREATE INDEX credit_listings_list_path ON credit_listings (list_kind, jurisdiction_path, listed_on);
CREATE INDEX credit_listings_open ON credit_listings (organization_id) WHERE removed_on IS NULL;
