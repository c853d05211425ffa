-- A registration's `created` change is not stored while the row still holds what was
-- registered (issue 11: store each fact once; the copies were 595 MB, and the changes'
-- rows and indexes 190 MB more, of 3 GB at 1,000,000 organizations). The history reads
-- it from the row: its time is `created_at`, its actor the new `created_by`, its text
-- the row's registered fields. The first write that changes a registered field writes
-- the change first, in its own transaction (`registry::creation::keep_creation!`);
-- this trigger refuses the write otherwise, so a writer that forgets cannot lose what
-- was registered. Registrations made before this migration keep their change.
ALTER TABLE organizations ADD COLUMN created_by TEXT;

CREATE TRIGGER organizations_creation_kept
BEFORE UPDATE OF name, legal_form, uscc, filing_number, domains_mask, jurisdiction_code, address,
    founded_on, legal_representative, contact_phone, staff_full_time, staff_part_time,
    volunteers, party_org, party_members, stage, grade, grade_awarded_on, is_demo
ON organizations
FOR EACH ROW
WHEN (NEW.name IS NOT OLD.name OR
      NEW.legal_form IS NOT OLD.legal_form OR
      NEW.uscc IS NOT OLD.uscc OR
      NEW.filing_number IS NOT OLD.filing_number OR
      NEW.domains_mask IS NOT OLD.domains_mask OR
      NEW.jurisdiction_code IS NOT OLD.jurisdiction_code OR
      NEW.address IS NOT OLD.address OR
      NEW.founded_on IS NOT OLD.founded_on OR
      NEW.legal_representative IS NOT OLD.legal_representative OR
      NEW.contact_phone IS NOT OLD.contact_phone OR
      NEW.staff_full_time IS NOT OLD.staff_full_time OR
      NEW.staff_part_time IS NOT OLD.staff_part_time OR
      NEW.volunteers IS NOT OLD.volunteers OR
      NEW.party_org IS NOT OLD.party_org OR
      NEW.party_members IS NOT OLD.party_members OR
      NEW.stage IS NOT OLD.stage OR
      NEW.grade IS NOT OLD.grade OR
      NEW.grade_awarded_on IS NOT OLD.grade_awarded_on OR
      NEW.is_demo IS NOT OLD.is_demo)
 AND NOT EXISTS (SELECT 1 FROM organization_changes
                 WHERE organization_id = OLD.id AND action = 'created')
BEGIN
    SELECT RAISE(ABORT, 'a registered field changed before the registration''s created change was kept');
END;
