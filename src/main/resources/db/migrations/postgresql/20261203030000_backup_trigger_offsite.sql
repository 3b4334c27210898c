-- // backup trigger offsite
-- PostgreSQL's variant of the script of the same name: it changes a CHECK in place, where SQLite
-- rebuilds the table.
ALTER TABLE backup DROP CONSTRAINT backup_trigger_kind_check;
ALTER TABLE backup ADD CONSTRAINT backup_trigger_kind_check
  CHECK (trigger_kind IN ('MANUAL', 'SCHEDULED', 'RECOVERED', 'IMPORTED', 'OFFSITE'));

-- //@UNDO
-- adopted records go with the undo: the older schema has no word for them
DELETE FROM backup WHERE trigger_kind = 'OFFSITE';
ALTER TABLE backup DROP CONSTRAINT backup_trigger_kind_check;
ALTER TABLE backup ADD CONSTRAINT backup_trigger_kind_check
  CHECK (trigger_kind IN ('MANUAL', 'SCHEDULED', 'RECOVERED', 'IMPORTED'));
