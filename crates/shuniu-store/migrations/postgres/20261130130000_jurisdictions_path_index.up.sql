-- Migration …_path_collation dropped the text_pattern_ops index on jurisdictions.path
-- (under COLLATE "C" a plain btree serves range scans) but made no plain one in its
-- place; SQLite has kept its `jurisdictions_path` since the first migration. Found by
-- the migration parity test.
CREATE INDEX jurisdictions_path ON jurisdictions (path);
