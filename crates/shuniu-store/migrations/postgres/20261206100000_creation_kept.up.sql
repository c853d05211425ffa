-- A registration's `created` change is not stored while the row still holds what was
-- registered (issue 11: store each fact once; the copies were 595 MB, and the changes'
-- rows and indexes 190 MB more, of 3 GB at 1,000,000 organizations). The history reads
-- it from the row: its time is `created_at`, its actor the new `created_by`, its text
-- the row's registered fields. The first write that changes a registered field writes
-- the change first, in its own transaction (`registry::creation::keep_creation!`);
-- this trigger refuses the write otherwise, so a writer that forgets cannot lose what
-- was registered. Registrations made before this migration keep their change.
ALTER TABLE organizations ADD COLUMN created_by TEXT;

CREATE FUNCTION organizations_creation_kept() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF (NEW.name, NEW.legal_form, NEW.uscc, NEW.filing_number, NEW.domains_mask, NEW.jurisdiction_code, NEW.address, NEW.founded_on, NEW.legal_representative, NEW.contact_phone, NEW.staff_full_time, NEW.staff_part_time, NEW.volunteers, NEW.party_org, NEW.party_members, NEW.stage, NEW.grade, NEW.grade_awarded_on, NEW.is_demo)
       IS DISTINCT FROM
       (OLD.name, OLD.legal_form, OLD.uscc, OLD.filing_number, OLD.domains_mask, OLD.jurisdiction_code, OLD.address, OLD.founded_on, OLD.legal_representative, OLD.contact_phone, OLD.staff_full_time, OLD.staff_part_time, OLD.volunteers, OLD.party_org, OLD.party_members, OLD.stage, OLD.grade, OLD.grade_awarded_on, OLD.is_demo)
       AND NOT EXISTS (SELECT 1 FROM organization_changes
                       WHERE organization_id = OLD.id AND action = 'created')
    THEN
        RAISE EXCEPTION 'a registered field changed before the registration''s created change was kept';
    END IF;
    RETURN NEW;
END
$$;
CREATE TRIGGER organizations_creation_kept
BEFORE UPDATE OF name, legal_form, uscc, filing_number, domains_mask, jurisdiction_code, address,
    founded_on, legal_representative, contact_phone, staff_full_time, staff_part_time,
    volunteers, party_org, party_members, stage, grade, grade_awarded_on, is_demo
ON organizations
FOR EACH ROW EXECUTE FUNCTION organizations_creation_kept();
