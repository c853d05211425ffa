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
    jurisdiction_path TEXT COLLATE "C" PRIMARY KEY,
    live              BIGINT NOT NULL,
    party_org         BIGINT NOT NULL,
    party_work        BIGINT NOT NULL,
    regional          BIGINT NOT NULL,
    industry          BIGINT NOT NULL
);

INSERT INTO organization_coverage (jurisdiction_path, live, party_org, party_work, regional, industry)
SELECT jurisdiction_path, COUNT(*),
       COUNT(*) FILTER (WHERE party_org <> 'none'),
       COUNT(*) FILTER (WHERE party_org <> 'none' OR party_instructor_id IS NOT NULL),
       COUNT(*) FILTER (WHERE regional_hub_id IS NOT NULL),
       COUNT(*) FILTER (WHERE industry_hubs > 0)
FROM organizations WHERE status <> 'deregistered'
GROUP BY jurisdiction_path;

-- One row's share, added (sign 1) or taken out (sign -1).
CREATE FUNCTION organization_coverage_add(
    path TEXT, sign BIGINT, party TEXT, instructor UUID, regional_hub UUID, industry_hubs BIGINT
) RETURNS void LANGUAGE sql AS $$
    INSERT INTO organization_coverage AS c (jurisdiction_path, live, party_org, party_work, regional, industry)
    VALUES (path, sign,
            sign * (party <> 'none')::int,
            sign * (party <> 'none' OR instructor IS NOT NULL)::int,
            sign * (regional_hub IS NOT NULL)::int,
            sign * (industry_hubs > 0)::int)
    ON CONFLICT (jurisdiction_path) DO UPDATE SET
        live = c.live + EXCLUDED.live,
        party_org = c.party_org + EXCLUDED.party_org,
        party_work = c.party_work + EXCLUDED.party_work,
        regional = c.regional + EXCLUDED.regional,
        industry = c.industry + EXCLUDED.industry;
$$;

CREATE FUNCTION organizations_coverage_move() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') AND OLD.status <> 'deregistered' THEN
        PERFORM organization_coverage_add(OLD.jurisdiction_path, -1, OLD.party_org,
            OLD.party_instructor_id, OLD.regional_hub_id, OLD.industry_hubs);
    END IF;
    IF TG_OP IN ('UPDATE', 'INSERT') AND NEW.status <> 'deregistered' THEN
        PERFORM organization_coverage_add(NEW.jurisdiction_path, 1, NEW.party_org,
            NEW.party_instructor_id, NEW.regional_hub_id, NEW.industry_hubs);
    END IF;
    RETURN NULL;
END
$$;

CREATE TRIGGER organizations_coverage_insert AFTER INSERT ON organizations
FOR EACH ROW WHEN (NEW.status <> 'deregistered')
EXECUTE FUNCTION organizations_coverage_move();

CREATE TRIGGER organizations_coverage_delete AFTER DELETE ON organizations
FOR EACH ROW WHEN (OLD.status <> 'deregistered')
EXECUTE FUNCTION organizations_coverage_move();

-- An update takes the old row's share out and puts the new row's in, when a counted
-- column changed (most updates — an address, a phone — touch none).
CREATE TRIGGER organizations_coverage_update
AFTER UPDATE OF status, jurisdiction_path, party_org, party_instructor_id, regional_hub_id, industry_hubs ON organizations
FOR EACH ROW WHEN (
    OLD.status IS DISTINCT FROM NEW.status
    OR OLD.jurisdiction_path IS DISTINCT FROM NEW.jurisdiction_path
    OR OLD.party_org IS DISTINCT FROM NEW.party_org
    OR OLD.party_instructor_id IS DISTINCT FROM NEW.party_instructor_id
    OR OLD.regional_hub_id IS DISTINCT FROM NEW.regional_hub_id
    OR (OLD.industry_hubs > 0) IS DISTINCT FROM (NEW.industry_hubs > 0)
)
EXECUTE FUNCTION organizations_coverage_move();
