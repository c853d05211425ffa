DROP INDEX organizations_regional_hub;
DROP INDEX organizations_instructor;
CREATE INDEX organizations_instructor ON organizations (party_instructor_id);
DROP INDEX organizations_coverage;
