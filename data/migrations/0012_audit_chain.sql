-- The audit log becomes a hash chain: each event carries the hash of the one before and its
-- own (data/audit.py), and one head row names the last; a changed or deleted event breaks the
-- chain, and `python -m data verify-audit` (and the admin page) find where.
ALTER TABLE audit_log ADD COLUMN prev_hash VARCHAR;
ALTER TABLE audit_log ADD COLUMN row_hash VARCHAR;
CREATE TABLE audit_head (
    id            INTEGER PRIMARY KEY,  -- always 1
    last_event_id BIGINT NOT NULL,
    last_hash     VARCHAR NOT NULL
);
INSERT INTO audit_head (id, last_event_id, last_hash)
VALUES (1, 0, '0000000000000000000000000000000000000000000000000000000000000000');
