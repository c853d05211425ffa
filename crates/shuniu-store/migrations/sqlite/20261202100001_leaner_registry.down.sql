CREATE TABLE organization_domains_rowid (
    domain            TEXT NOT NULL,
    jurisdiction_path TEXT NOT NULL,
    organization_id   BLOB NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
    PRIMARY KEY (domain, jurisdiction_path, organization_id)
);
INSERT INTO organization_domains_rowid (domain, jurisdiction_path, organization_id)
    SELECT domain, jurisdiction_path, organization_id FROM organization_domains;
DROP TABLE organization_domains;
ALTER TABLE organization_domains_rowid RENAME TO organization_domains;
CREATE INDEX organization_domains_org ON organization_domains (organization_id);

DROP INDEX organizations_graded;
CREATE INDEX organizations_path_founded ON organizations (jurisdiction_path, founded_on);
CREATE INDEX organizations_status_path ON organizations (status, jurisdiction_path);
CREATE INDEX organizations_form_path ON organizations (legal_form, jurisdiction_path);
CREATE INDEX organizations_stage_path ON organizations (stage, jurisdiction_path);
CREATE INDEX organizations_grade_path ON organizations (grade, jurisdiction_path);
