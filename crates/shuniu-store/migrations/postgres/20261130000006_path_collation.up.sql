-- Subtrees are half-open ranges of materialised paths ('320000/320100/320102/' up to
-- '320000/320100/3201020'), which rely on '/' sorting just before '0' — byte order.
-- A database created with a natural-language collation (en_US.UTF-8, ICU) orders
-- punctuation differently and would cut subtrees wrongly, so path columns compare
-- bytewise whatever the database's default ("C").
ALTER TABLE jurisdictions ALTER COLUMN path TYPE TEXT COLLATE "C";
DROP INDEX jurisdictions_path;
ALTER TABLE organizations ALTER COLUMN jurisdiction_path TYPE TEXT COLLATE "C";
ALTER TABLE organization_domains ALTER COLUMN jurisdiction_path TYPE TEXT COLLATE "C";
ALTER TABLE audit_log ALTER COLUMN jurisdiction_path TYPE TEXT COLLATE "C";
ALTER TABLE hubs ALTER COLUMN jurisdiction_path TYPE TEXT COLLATE "C";
ALTER TABLE venues ALTER COLUMN jurisdiction_path TYPE TEXT COLLATE "C";
ALTER TABLE party_instructors ALTER COLUMN jurisdiction_path TYPE TEXT COLLATE "C";
