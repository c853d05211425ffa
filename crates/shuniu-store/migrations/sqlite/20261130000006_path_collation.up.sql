-- PostgreSQL pins path columns to byte order (COLLATE "C"); SQLite already compares
-- text bytewise (BINARY), so nothing changes here. Kept so both folders stay in step.
SELECT 1;
