DROP INDEX organizations_graded;
CREATE INDEX organizations_path_founded ON organizations (jurisdiction_path, founded_on);
CREATE INDEX organizations_status_path ON organizations (status, jurisdiction_path);
CREATE INDEX organizations_form_path ON organizations (legal_form, jurisdiction_path);
CREATE INDEX organizations_stage_path ON organizations (stage, jurisdiction_path);
CREATE INDEX organizations_grade_path ON organizations (grade, jurisdiction_path);
