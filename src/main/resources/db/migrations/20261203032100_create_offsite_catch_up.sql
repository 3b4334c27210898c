-- // create offsite catch up
-- Per destination and instance, the newest backup the catch-up has considered: backups up to it
-- were queued then, if the destination's retention kept them, and are never queued again by the
-- catch-up (a restart, or a copy pruned there since, does not send them twice). Backups made
-- before a destination was configured, imported or found in the backup directory have higher ids
-- than the mark and are caught up once.
CREATE TABLE offsite_catch_up (
  destination TEXT NOT NULL,
  instance_id INTEGER NOT NULL,
  through_backup_id INTEGER NOT NULL,
  caught_up_at INTEGER NOT NULL,
  PRIMARY KEY (destination, instance_id)
);

-- //@UNDO
DROP TABLE offsite_catch_up;
