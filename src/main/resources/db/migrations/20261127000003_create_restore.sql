-- // create restore
-- The audit trail of restores; a running restore is also the job a page polls.
CREATE TABLE restore (
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

CREATE INDEX restore_by_target ON restore (target_id, id);

-- //@UNDO
DROP TABLE restore;
