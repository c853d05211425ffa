-- Every order of the organization list has an index ending on id, so that a page of a
-- large range walks the order's index from its cursor and stops after the page (keyset)
-- instead of reading the whole range and sorting it. (name, id) and (updated_at, id)
-- replace the single-column indexes they extend.
DROP INDEX organizations_name;
DROP INDEX organizations_updated;
CREATE INDEX organizations_name_id ON organizations (name, id);
CREATE INDEX organizations_founded_id ON organizations (founded_on, id);
CREATE INDEX organizations_updated_id ON organizations (updated_at, id);
-- The "most staff first" order walks the negated sum ascending (see OrgSort::walk).
CREATE INDEX organizations_staff_id ON organizations ((-(staff_full_time + staff_part_time)), id);
