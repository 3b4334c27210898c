-- // backup trigger safety
-- PostgreSQL's variant of the script of the same name: it changes the CHECK in place, where SQLite rebuilds the table.
-- Earlier rows are told apart where that is sure: a backup a restore or a sync run names as its safety backup (snapshot_id).
ALTER TABLE backup DROP CONSTRAINT backup_trigger_kind_check;
ALTER TABLE backup ADD CONSTRAINT backup_trigger_kind_check
  CHECK (trigger_kind IN ('MANUAL', 'SCHEDULED', 'RECOVERED', 'IMPORTED', 'OFFSITE', 'SAFETY'));
UPDATE backup SET trigger_kind = 'SAFETY'
WHERE trigger_kind = 'MANUAL'
  AND (id IN (SELECT snapshot_id FROM restore WHERE snapshot_id IS NOT NULL)
       OR id IN (SELECT snapshot_id FROM sync_run WHERE snapshot_id IS NOT NULL));
ALTER TABLE backup_run DROP CONSTRAINT backup_run_trigger_check;
ALTER TABLE backup_run ADD CONSTRAINT backup_run_trigger_check CHECK (trigger IN ('SCHEDULED', 'MANUAL', 'RECOVERED', 'IMPORTED', 'SAFETY'));

-- //@UNDO
UPDATE backup_run SET trigger = 'MANUAL' WHERE trigger = 'SAFETY';
ALTER TABLE backup_run DROP CONSTRAINT backup_run_trigger_check;
ALTER TABLE backup_run ADD CONSTRAINT backup_run_trigger_check CHECK (trigger IN ('SCHEDULED', 'MANUAL', 'RECOVERED', 'IMPORTED'));
UPDATE backup SET trigger_kind = 'MANUAL' WHERE trigger_kind = 'SAFETY';
ALTER TABLE backup DROP CONSTRAINT backup_trigger_kind_check;
ALTER TABLE backup ADD CONSTRAINT backup_trigger_kind_check
  CHECK (trigger_kind IN ('MANUAL', 'SCHEDULED', 'RECOVERED', 'IMPORTED', 'OFFSITE'));
