-- // end records once
-- Each run's record carries a key of its run, unique: the record of how a backup ended (or that it was
-- interrupted) is written by its own node's end, retried through a database outage, and by another
-- node's recovery. A retry whose first commit went through (its reply lost in the outage) and an
-- interrupted mark committed at the same instant as the run's own end both met no unique row before,
-- and left two records of one run. Backups: instance/start/node; sync runs: group/replica/start/end/outcome.
-- Rows written before this have no key (NULL, which a unique index does not compare).
ALTER TABLE backup ADD COLUMN run_key TEXT;
CREATE UNIQUE INDEX backup_run_key ON backup (run_key);
ALTER TABLE sync_run ADD COLUMN run_key TEXT;
CREATE UNIQUE INDEX sync_run_run_key ON sync_run (run_key);

-- //@UNDO
DROP INDEX sync_run_run_key;
ALTER TABLE sync_run DROP COLUMN run_key;
DROP INDEX backup_run_key;
ALTER TABLE backup DROP COLUMN run_key;
