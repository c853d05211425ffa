DROP INDEX organizations_shard_name;
DROP INDEX organizations_name_id;
CREATE INDEX organizations_name_id ON organizations (name, id, jurisdiction_path, status, grade, legal_form, stage);
