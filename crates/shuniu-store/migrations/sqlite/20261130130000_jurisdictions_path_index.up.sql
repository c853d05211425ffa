-- PostgreSQL gets back the index on jurisdictions.path that SQLite has had since the
-- first migration; nothing changes here. Kept so both folders stay in step.
SELECT 1;
