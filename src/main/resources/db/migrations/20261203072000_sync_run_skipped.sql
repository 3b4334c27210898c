-- // sync run skipped
-- A replica (or primary) that is switched off is left alone by a sync run, and the run records it as
-- SKIPPED. SQLite cannot change a CHECK constraint in place: the table is built again with the wider
-- one, rows copied, indexes made again. Nothing references sync_run by foreign key.
CREATE TABLE sync_run_new (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  sync_group TEXT NOT NULL,
  primary_id INTEGER NOT NULL REFERENCES instance (id) ON DELETE CASCADE,
  replica_id INTEGER NOT NULL REFERENCES instance (id) ON DELETE CASCADE,
  source_backup_id INTEGER,
  outcome TEXT NOT NULL CHECK (outcome IN ('SYNCED', 'IN_SYNC', 'PARTIAL', 'FAILED', 'SKIPPED')),
  code TEXT,
  message TEXT NOT NULL,
  changes TEXT,
  refused_settings TEXT NOT NULL DEFAULT '',
  snapshot_id INTEGER,
  started_at INTEGER NOT NULL,
  finished_at INTEGER NOT NULL
);

INSERT INTO sync_run_new (id, sync_group, primary_id, replica_id, source_backup_id, outcome, code, message, changes, refused_settings, snapshot_id, started_at, finished_at)
SELECT id, sync_group, primary_id, replica_id, source_backup_id, outcome, code, message, changes, refused_settings, snapshot_id, started_at, finished_at
FROM sync_run;
DROP TABLE sync_run;
ALTER TABLE sync_run_new RENAME TO sync_run;

CREATE INDEX sync_run_by_group ON sync_run (sync_group, id);
CREATE INDEX sync_run_by_replica ON sync_run (sync_group, replica_id, snapshot_id);

-- //@UNDO
-- skipped records go with the undo: the older schema has no word for them
CREATE TABLE sync_run_new (
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

INSERT INTO sync_run_new (id, sync_group, primary_id, replica_id, source_backup_id, outcome, code, message, changes, refused_settings, snapshot_id, started_at, finished_at)
SELECT id, sync_group, primary_id, replica_id, source_backup_id, outcome, code, message, changes, refused_settings, snapshot_id, started_at, finished_at
FROM sync_run
WHERE outcome <> 'SKIPPED';
DROP TABLE sync_run;
ALTER TABLE sync_run_new RENAME TO sync_run;

CREATE INDEX sync_run_by_group ON sync_run (sync_group, id);
CREATE INDEX sync_run_by_replica ON sync_run (sync_group, replica_id, snapshot_id);
