-- A large subtree's page walks its sort's index and checks each entry against the
-- subtree (and the list's filters). With only (key, id) in the index every entry costs a
-- seek into the table to read the path: at 1,000,000 organizations the first page of a
-- district whose names start 5,000 entries into the name order took 30 ms. With the
-- columns the filters read in the index, SQLite checks them on the entry and seeks the
-- table only for the rows it returns (1 ms). Same names, so the plans stay as tested.
DROP INDEX organizations_name_id;
CREATE INDEX organizations_name_id ON organizations (name, id, jurisdiction_path, status, grade, legal_form, stage);
DROP INDEX organizations_founded_id;
CREATE INDEX organizations_founded_id ON organizations (founded_on, id, jurisdiction_path);
DROP INDEX organizations_updated_id;
CREATE INDEX organizations_updated_id ON organizations (updated_at, id, jurisdiction_path);
DROP INDEX organizations_staff_id;
CREATE INDEX organizations_staff_id ON organizations ((-(staff_full_time + staff_part_time)), id, jurisdiction_path);
