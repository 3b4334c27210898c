-- // safety runs and copies of deleted backups
-- backup_run.safety: the run is the safety backup a restore or sync takes before it changes the Pi-hole. One cut off by a stop
-- was recorded as a failed manual backup and turned the instance's status to error, as if the Pi-hole had failed; now it is
-- recorded as what it was. Markers written before say no: 0.
-- offsite_copy.backup_deleted: the copy's backup was deleted by hand, so the copy goes too (claimed, deleting = 1, and kept
-- claimed when its destination fails, to be tried again); until it is gone an adoption never brings that backup back.
-- The same statements serve SQLite and PostgreSQL.
ALTER TABLE backup_run ADD COLUMN safety INTEGER NOT NULL DEFAULT 0;
ALTER TABLE offsite_copy ADD COLUMN backup_deleted INTEGER NOT NULL DEFAULT 0;

-- //@UNDO
ALTER TABLE offsite_copy DROP COLUMN backup_deleted;
ALTER TABLE backup_run DROP COLUMN safety;
