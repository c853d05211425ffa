-- A page of a district (or a street, or a community) by name walked the whole name
-- index with the subtree as a filter. Names begin with their community's, so at
-- 1,000,000 organizations a district's first 21 graded organizations in one domain lay
-- 271,294 entries into the name order (170 ms a page). This index keeps each
-- district's names together (`shard_key` is the district code), so such a walk passes
-- only its district's entries. Both name indexes now carry the domain mask, so a domain
-- filter is checked on the entry too, without a seek into the table.
DROP INDEX organizations_name_id;
CREATE INDEX organizations_name_id ON organizations (name, id, jurisdiction_path, status, grade, legal_form, stage, domains_mask);
CREATE INDEX organizations_shard_name ON organizations (shard_key, name, id, jurisdiction_path, status, grade, legal_form, stage, domains_mask);
