-- // sync turn snapshot
-- The safety backup of the replica a group's run is at, noted on the run's turn as soon as it is
-- pinned and before anything is sent: a run whose node is killed then (a kill -9 in the import) is
-- recorded as interrupted by the node or start that finds the turn left, naming the backup to
-- restore from. The run's own record is written only at its end. Null while no safety backup is taken.
ALTER TABLE sync_turn ADD COLUMN replica_id INTEGER;
ALTER TABLE sync_turn ADD COLUMN snapshot_id INTEGER;

-- //@UNDO
ALTER TABLE sync_turn DROP COLUMN snapshot_id;
ALTER TABLE sync_turn DROP COLUMN replica_id;
