ALTER TABLE audit_log ADD COLUMN prev_hash TEXT NOT NULL DEFAULT '';
ALTER TABLE audit_log DISABLE TRIGGER audit_log_no_update;
UPDATE audit_log SET prev_hash = COALESCE(
    (SELECT p.hash FROM audit_log p WHERE p.seq = audit_log.seq - 1),
    (SELECT h.base_hash FROM audit_head h WHERE h.id = 1), '');
ALTER TABLE audit_log ENABLE TRIGGER audit_log_no_update;
