-- // sync run skipped
-- PostgreSQL's variant of the script of the same name: it changes a CHECK in place, where SQLite
-- rebuilds the table.
ALTER TABLE sync_run DROP CONSTRAINT sync_run_outcome_check;
ALTER TABLE sync_run ADD CONSTRAINT sync_run_outcome_check
  CHECK (outcome IN ('SYNCED', 'IN_SYNC', 'PARTIAL', 'FAILED', 'SKIPPED'));

-- //@UNDO
-- skipped records go with the undo: the older schema has no word for them
DELETE FROM sync_run WHERE outcome = 'SKIPPED';
ALTER TABLE sync_run DROP CONSTRAINT sync_run_outcome_check;
ALTER TABLE sync_run ADD CONSTRAINT sync_run_outcome_check
  CHECK (outcome IN ('SYNCED', 'IN_SYNC', 'PARTIAL', 'FAILED'));
