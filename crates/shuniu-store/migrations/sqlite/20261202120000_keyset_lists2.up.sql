-- Keyset pages of the complaint and request queues, annual reports, assessment rounds,
-- the public credit lists and the accounts: each list's order has an index ending on
-- id, so a page walks it from its cursor and stops after the page instead of reading
-- the whole range and sorting it.
-- An organization's complaints and requests, newest first (also with no state asked).
CREATE INDEX complaints_org_filed ON complaints (organization_id, filed_at, id);
CREATE INDEX resident_requests_created ON resident_requests (created_at, id);
CREATE INDEX resident_requests_org_created ON resident_requests (assigned_org, created_at, id);
-- The review queue: unreviewed first, newest year (negated, to walk one way), then
-- the order they came in (AnnualQueue's walk).
CREATE INDEX annual_reports_queue_order ON annual_reports ((CASE WHEN outcome IS NULL THEN 0 ELSE 1 END), (-year), submitted_on, id);
CREATE INDEX assessment_rounds_order ON assessment_rounds (year, opens_on, id);
CREATE INDEX credit_listings_kind_listed ON credit_listings (list_kind, listed_on, id);
