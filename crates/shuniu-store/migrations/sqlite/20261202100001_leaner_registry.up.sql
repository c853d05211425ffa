-- Footprint (issue 11): indexes that no query needs any more, each costing every
-- registration a write and the file its size. A list's total comes from the tallies; a
-- small subtree is range-scanned through `organizations_path_name` (or
-- `organizations_coverage`, which also starts with the path) and sorted; a large one walks
-- its sort's index. The (filter, path) indexes served neither.
DROP INDEX organizations_status_path;
DROP INDEX organizations_form_path;
DROP INDEX organizations_stage_path;
DROP INDEX organizations_grade_path;
DROP INDEX organizations_path_founded;
-- The daily grade expiry reads the graded organizations only.
CREATE INDEX organizations_graded ON organizations (grade_awarded_on) WHERE grade IS NOT NULL;

-- A domain row is its key: WITHOUT ROWID stores it once (in the key's B-tree) instead of
-- a rowid table plus a primary-key index holding the same three columns again.
CREATE TABLE organization_domains_keyed (
    domain            TEXT NOT NULL,
    jurisdiction_path TEXT NOT NULL,
    organization_id   BLOB NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
    PRIMARY KEY (domain, jurisdiction_path, organization_id)
) WITHOUT ROWID;
INSERT INTO organization_domains_keyed (domain, jurisdiction_path, organization_id)
    SELECT domain, jurisdiction_path, organization_id FROM organization_domains;
DROP TABLE organization_domains;
ALTER TABLE organization_domains_keyed RENAME TO organization_domains;
CREATE INDEX organization_domains_org ON organization_domains (organization_id);
