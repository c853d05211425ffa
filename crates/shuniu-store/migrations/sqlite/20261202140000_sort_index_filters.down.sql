DROP INDEX organizations_staff_id;
CREATE INDEX organizations_staff_id ON organizations ((-(staff_full_time + staff_part_time)), id);
DROP INDEX organizations_updated_id;
CREATE INDEX organizations_updated_id ON organizations (updated_at, id);
DROP INDEX organizations_founded_id;
CREATE INDEX organizations_founded_id ON organizations (founded_on, id);
DROP INDEX organizations_name_id;
CREATE INDEX organizations_name_id ON organizations (name, id);
