-- Footprint (issue 11): indexes that no query needs any more, each costing every
-- registration a write and the database its size. A list's total comes from the tallies;
-- a small subtree is range-scanned through `organizations_path_name` (or
-- `organizations_coverage`, which also starts with the path) and sorted; a large one walks
-- its sort's index. The (filter, path) indexes served neither. (SQLite also rebuilds
-- `organization_domains` WITHOUT ROWID; a PostgreSQL table has no rowid to drop.)
DROP INDEX organizations_status_path;
DROP INDEX organizations_form_path;
DROP INDEX organizations_stage_path;
DROP INDEX organizations_grade_path;
DROP INDEX organizations_path_founded;
-- The daily grade expiry reads the graded organizations only.
CREATE INDEX organizations_graded ON organizations (grade_awarded_on) WHERE grade IS NOT NULL;
