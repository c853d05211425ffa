-- Coverage counters (issue 11: no count over a large range per request). Per node — the
-- organizations filed exactly there, by their path — how many live (not deregistered)
-- organizations there are, and how many of them have a party organization, are reached
-- by party work (an organization or an instructor), are in a regional hub, are in an
-- industry hub. A subtree's coverage is the sum of its nodes' rows: a range read of at
-- most a few thousand small rows, whatever the number of organizations.
--
-- Kept by triggers, not by the store's Rust: the counted columns are written by eight
-- paths, some of them set-based (a hub's revocation clears every member's hub in one
-- UPDATE), and a trigger moves the counters for every row any statement touches, in the
-- statement's own transaction.
CREATE TABLE organization_coverage (
    jurisdiction_path TEXT PRIMARY KEY,
    live              INTEGER NOT NULL,
    party_org         INTEGER NOT NULL,
    party_work        INTEGER NOT NULL,
    regional          INTEGER NOT NULL,
    industry          INTEGER NOT NULL
) WITHOUT ROWID;

INSERT INTO organization_coverage (jurisdiction_path, live, party_org, party_work, regional, industry)
SELECT jurisdiction_path, COUNT(*),
       SUM(party_org <> 'none'),
       SUM(party_org <> 'none' OR party_instructor_id IS NOT NULL),
       SUM(regional_hub_id IS NOT NULL),
       SUM(industry_hubs > 0)
FROM organizations WHERE status <> 'deregistered'
GROUP BY jurisdiction_path;

CREATE TRIGGER organizations_coverage_insert AFTER INSERT ON organizations
WHEN NEW.status <> 'deregistered'
BEGIN
    INSERT INTO organization_coverage (jurisdiction_path, live, party_org, party_work, regional, industry)
    VALUES (NEW.jurisdiction_path, 1,
            NEW.party_org <> 'none',
            NEW.party_org <> 'none' OR NEW.party_instructor_id IS NOT NULL,
            NEW.regional_hub_id IS NOT NULL,
            NEW.industry_hubs > 0)
    ON CONFLICT (jurisdiction_path) DO UPDATE SET
        live = live + excluded.live,
        party_org = party_org + excluded.party_org,
        party_work = party_work + excluded.party_work,
        regional = regional + excluded.regional,
        industry = industry + excluded.industry;
END;

CREATE TRIGGER organizations_coverage_delete AFTER DELETE ON organizations
WHEN OLD.status <> 'deregistered'
BEGIN
    UPDATE organization_coverage SET
        live = live - 1,
        party_org = party_org - (OLD.party_org <> 'none'),
        party_work = party_work - (OLD.party_org <> 'none' OR OLD.party_instructor_id IS NOT NULL),
        regional = regional - (OLD.regional_hub_id IS NOT NULL),
        industry = industry - (OLD.industry_hubs > 0)
    WHERE jurisdiction_path = OLD.jurisdiction_path;
END;

-- An update takes the old row's share out and puts the new row's in, when a counted
-- column changed (most updates — an address, a phone — touch none).
CREATE TRIGGER organizations_coverage_update
AFTER UPDATE OF status, jurisdiction_path, party_org, party_instructor_id, regional_hub_id, industry_hubs ON organizations
WHEN OLD.status IS NOT NEW.status
  OR OLD.jurisdiction_path IS NOT NEW.jurisdiction_path
  OR OLD.party_org IS NOT NEW.party_org
  OR OLD.party_instructor_id IS NOT NEW.party_instructor_id
  OR OLD.regional_hub_id IS NOT NEW.regional_hub_id
  OR (OLD.industry_hubs > 0) IS NOT (NEW.industry_hubs > 0)
BEGIN
    UPDATE organization_coverage SET
        live = live - 1,
        party_org = party_org - (OLD.party_org <> 'none'),
        party_work = party_work - (OLD.party_org <> 'none' OR OLD.party_instructor_id IS NOT NULL),
        regional = regional - (OLD.regional_hub_id IS NOT NULL),
        industry = industry - (OLD.industry_hubs > 0)
    WHERE jurisdiction_path = OLD.jurisdiction_path AND OLD.status <> 'deregistered';
    INSERT INTO organization_coverage (jurisdiction_path, live, party_org, party_work, regional, industry)
    SELECT NEW.jurisdiction_path, 1,
           NEW.party_org <> 'none',
           NEW.party_org <> 'none' OR NEW.party_instructor_id IS NOT NULL,
           NEW.regional_hub_id IS NOT NULL,
           NEW.industry_hubs > 0
    WHERE NEW.status <> 'deregistered'
    ON CONFLICT (jurisdiction_path) DO UPDATE SET
        live = live + excluded.live,
        party_org = party_org + excluded.party_org,
        party_work = party_work + excluded.party_work,
        regional = regional + excluded.regional,
        industry = industry + excluded.industry;
END;
