-- // restore queued and unverified
-- A restore waiting for its turn is QUEUED, not RUNNING; one that changed the Pi-hole but could
-- not check the result (Pi-hole Checkpoint stopped, the check failed) is UNVERIFIED, not FAILED,
-- which now means that nothing was sent to the Pi-hole. SQLite cannot change a CHECK: the table
-- is rebuilt with the same rows.
CREATE TABLE restore_new (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  backup_id INTEGER NOT NULL,
  target_id INTEGER NOT NULL REFERENCES instance (id) ON DELETE CASCADE,
  mode TEXT NOT NULL CHECK (mode IN ('LISTS', 'LISTS_AND_DNS', 'ALL_BUT_IDENTITY', 'EXACT', 'CUSTOM')),
  state TEXT NOT NULL CHECK (state IN ('QUEUED', 'RUNNING', 'VERIFIED', 'DIFFERENT', 'UNVERIFIED', 'FAILED')),
  snapshot_id INTEGER,
  message TEXT NOT NULL,
  refused_settings TEXT NOT NULL DEFAULT '',
  differences TEXT NOT NULL DEFAULT '',
  started_at INTEGER NOT NULL,
  finished_at INTEGER
);

INSERT INTO restore_new SELECT id, backup_id, target_id, mode, state, snapshot_id, message, refused_settings, differences, started_at, finished_at
FROM restore;

DROP TABLE restore;

ALTER TABLE restore_new RENAME TO restore;

CREATE INDEX restore_by_target ON restore (target_id, id);

-- //@UNDO
CREATE TABLE restore_old (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  backup_id INTEGER NOT NULL,
  target_id INTEGER NOT NULL REFERENCES instance (id) ON DELETE CASCADE,
  mode TEXT NOT NULL CHECK (mode IN ('LISTS', 'LISTS_AND_DNS', 'ALL_BUT_IDENTITY', 'EXACT', 'CUSTOM')),
  state TEXT NOT NULL CHECK (state IN ('RUNNING', 'VERIFIED', 'DIFFERENT', 'FAILED')),
  snapshot_id INTEGER,
  message TEXT NOT NULL,
  refused_settings TEXT NOT NULL DEFAULT '',
  differences TEXT NOT NULL DEFAULT '',
  started_at INTEGER NOT NULL,
  finished_at INTEGER
);

INSERT INTO restore_old SELECT id, backup_id, target_id, mode,
  CASE state WHEN 'QUEUED' THEN 'RUNNING' WHEN 'UNVERIFIED' THEN 'DIFFERENT' ELSE state END,
  snapshot_id, message, refused_settings, differences, started_at, finished_at
FROM restore;

DROP TABLE restore;

ALTER TABLE restore_old RENAME TO restore;

CREATE INDEX restore_by_target ON restore (target_id, id);
