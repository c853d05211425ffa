ALTER TABLE audit_head DROP COLUMN base_mac;
ALTER TABLE audit_head DROP COLUMN head_mac;
