DROP INDEX organizations_staff_id;
DROP INDEX organizations_updated_id;
DROP INDEX organizations_founded_id;
DROP INDEX organizations_name_id;
CREATE INDEX organizations_name ON organizations (name);
CREATE INDEX organizations_updated ON organizations (updated_at);
