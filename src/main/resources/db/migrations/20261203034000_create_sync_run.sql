-- // create sync run
-- What each sync run did to each replica: the history the API pages through, and whether a
-- replica's safety backup was taken already (SYNC_<GROUP>_SNAPSHOT=first).
CREATE TABLE sync_run (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  sync_group TEXT NOT NULL,
  primary_id INTEGER NOT NULL REFERENCES instance (id) ON DELETE CASCADE,
  replica_id INTEGER NOT NULL REFERENCES instance (id) ON DELETE CASCADE,
  source_backup_id INTEGER,
  outcome TEXT NOT NULL CHECK (outcome IN ('SYNCED', 'IN_SYNC', 'PARTIAL', 'FAILED')),
  code TEXT,
  message TEXT NOT NULL,
  changes TEXT,
  refused_settings TEXT NOT NULL DEFAULT '',
  snapshot_id INTEGER,
  started_at INTEGER NOT NULL,
  finished_at INTEGER NOT NULL
);

CREATE INDEX sync_run_by_group ON sync_run (sync_group, id);
CREATE INDEX sync_run_by_replica ON sync_run (sync_group, replica_id, snapshot_id);

-- //@UNDO
DROP TABLE sync_run;
