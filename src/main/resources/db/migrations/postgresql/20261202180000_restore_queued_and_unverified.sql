-- // restore queued and unverified
-- PostgreSQL's variant of the script of the same name: it changes a CHECK in place, where SQLite
-- rebuilds the table.
ALTER TABLE restore DROP CONSTRAINT restore_state_check;
ALTER TABLE restore ADD CONSTRAINT restore_state_check
  CHECK (state IN ('QUEUED', 'RUNNING', 'VERIFIED', 'DIFFERENT', 'UNVERIFIED', 'FAILED'));

-- //@UNDO
ALTER TABLE restore DROP CONSTRAINT restore_state_check;
UPDATE restore SET state = CASE state WHEN 'QUEUED' THEN 'RUNNING' WHEN 'UNVERIFIED' THEN 'DIFFERENT' ELSE state END;
ALTER TABLE restore ADD CONSTRAINT restore_state_check CHECK (state IN ('RUNNING', 'VERIFIED', 'DIFFERENT', 'FAILED'));
