-- Coverage at province scale (see examples/bench.rs).
-- Coverage figures and "not covered" counts of a subtree read only these columns: a
-- covering index turns a 1M-row table walk (random row lookups) into one index range scan.
CREATE INDEX organizations_coverage ON organizations (jurisdiction_path, status, party_org, party_instructor_id, regional_hub_id, industry_hubs);
-- Most organizations have no instructor / no regional hub: index only those that do,
-- so that `… IS NULL` (the "not covered" filters) is never planned through these
-- indexes, and so that revoking a regional hub finds its members by index.
DROP INDEX organizations_instructor;
CREATE INDEX organizations_instructor ON organizations (party_instructor_id) WHERE party_instructor_id IS NOT NULL;
CREATE INDEX organizations_regional_hub ON organizations (regional_hub_id) WHERE regional_hub_id IS NOT NULL;
