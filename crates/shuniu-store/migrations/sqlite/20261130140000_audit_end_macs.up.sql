-- The chain's ends authenticated with the audit key: head_mac over (seq, hash) of the
-- last record, base_mac over (base_seq, base_hash) of the purge anchor. SQL cannot
-- compute them (the key is outside the database): `Store::migrate` seals the ends
-- right after this migration is applied, and every append and purge keeps them sealed.
-- NULL means never sealed, which verification reports as a break.
ALTER TABLE audit_head ADD COLUMN head_mac TEXT;
ALTER TABLE audit_head ADD COLUMN base_mac TEXT;
