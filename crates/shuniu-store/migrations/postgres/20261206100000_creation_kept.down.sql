DROP TRIGGER organizations_creation_kept ON organizations;
DROP FUNCTION organizations_creation_kept();
ALTER TABLE organizations DROP COLUMN created_by;
