ALTER TABLE party_instructors ALTER COLUMN jurisdiction_path TYPE TEXT COLLATE "default";
ALTER TABLE venues ALTER COLUMN jurisdiction_path TYPE TEXT COLLATE "default";
ALTER TABLE hubs ALTER COLUMN jurisdiction_path TYPE TEXT COLLATE "default";
ALTER TABLE audit_log ALTER COLUMN jurisdiction_path TYPE TEXT COLLATE "default";
ALTER TABLE organization_domains ALTER COLUMN jurisdiction_path TYPE TEXT COLLATE "default";
ALTER TABLE organizations ALTER COLUMN jurisdiction_path TYPE TEXT COLLATE "default";
ALTER TABLE jurisdictions ALTER COLUMN path TYPE TEXT COLLATE "default";
CREATE INDEX jurisdictions_path ON jurisdictions (path text_pattern_ops);
