-- An audit record stored the previous record's hash a second time, as prev_hash: 65 bytes a
-- record, 85 MB at 1,000,000 organizations (issue 11: store each fact once). The hash
-- still covers it: verification walks the chain in order and knows the previous hash,
-- and pages and exports read it from the previous record (or the purge anchor).
ALTER TABLE audit_log DROP COLUMN prev_hash;
