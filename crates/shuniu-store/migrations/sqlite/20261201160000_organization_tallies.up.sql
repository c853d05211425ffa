-- Issue 11, item 2: totals of the organization list without scanning it. One row per
-- (node, status, legal form, grade, stage) holding how many organizations of that kind
-- are filed at the node or anywhere below it: an organization is counted at EVERY
-- ancestor of its jurisdiction (itself included) and at the root marker '' (everywhere),
-- so a node's total under any combination of these filters is one indexed lookup over
-- at most 3 × 4 × 6 × 4 = 288 rows, never a walk of the subtree. No grade is stored as
-- ''. Kept in the same transaction as every write that changes one of these columns
-- (registry/tallies.rs); rows whose count fell to 0 stay.
CREATE TABLE organization_tallies (
    jurisdiction_code TEXT NOT NULL,
    status            TEXT NOT NULL,
    legal_form        TEXT NOT NULL,
    grade             TEXT NOT NULL,
    stage             TEXT NOT NULL,
    n                 INTEGER NOT NULL,
    PRIMARY KEY (jurisdiction_code, status, legal_form, grade, stage)
);

-- The same per service domain (an organization has one or more, `organization_domains`):
-- counted once under each of its domains, so "domain X" totals read one domain's rows.
CREATE TABLE organization_domain_tallies (
    jurisdiction_code TEXT NOT NULL,
    domain            TEXT NOT NULL,
    status            TEXT NOT NULL,
    legal_form        TEXT NOT NULL,
    grade             TEXT NOT NULL,
    stage             TEXT NOT NULL,
    n                 INTEGER NOT NULL,
    PRIMARY KEY (jurisdiction_code, domain, status, legal_form, grade, stage)
);

-- Backfill from the registry as it stands (the same counts as `Store::recount_tallies`):
-- the ancestors of an organization are the nodes whose subtree range holds its path.
INSERT INTO organization_tallies (jurisdiction_code, status, legal_form, grade, stage, n)
SELECT j.code, o.status, o.legal_form, COALESCE(o.grade, ''), o.stage, COUNT(*)
FROM organizations o
JOIN jurisdictions j
  ON o.jurisdiction_path >= j.path AND o.jurisdiction_path < substr(j.path, 1, length(j.path) - 1) || '0'
GROUP BY j.code, o.status, o.legal_form, COALESCE(o.grade, ''), o.stage
UNION ALL
SELECT '', o.status, o.legal_form, COALESCE(o.grade, ''), o.stage, COUNT(*)
FROM organizations o
GROUP BY o.status, o.legal_form, COALESCE(o.grade, ''), o.stage;

INSERT INTO organization_domain_tallies (jurisdiction_code, domain, status, legal_form, grade, stage, n)
SELECT j.code, d.domain, o.status, o.legal_form, COALESCE(o.grade, ''), o.stage, COUNT(*)
FROM organizations o
JOIN organization_domains d ON d.organization_id = o.id
JOIN jurisdictions j
  ON o.jurisdiction_path >= j.path AND o.jurisdiction_path < substr(j.path, 1, length(j.path) - 1) || '0'
GROUP BY j.code, d.domain, o.status, o.legal_form, COALESCE(o.grade, ''), o.stage
UNION ALL
SELECT '', d.domain, o.status, o.legal_form, COALESCE(o.grade, ''), o.stage, COUNT(*)
FROM organizations o
JOIN organization_domains d ON d.organization_id = o.id
GROUP BY d.domain, o.status, o.legal_form, COALESCE(o.grade, ''), o.stage;
