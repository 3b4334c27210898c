-- // create sync group
-- Sync groups added on the Sync page or the API, beside those of SYNC_<GROUP>_* variables. Each
-- setting is one row under the suffix its variable would have (MODE, WHEN …), so that both paths
-- go through the same rules; PRIMARY and REPLICAS hold instance ids (comma-separated), not names,
-- as the instances' names can change. No foreign key on them: a group whose Pi-hole is deleted is
-- kept, disabled with why, until it is changed or deleted. Plain types only (TEXT, INTEGER),
-- written once for SQLite and PostgreSQL.
CREATE TABLE sync_group (
  name TEXT NOT NULL PRIMARY KEY,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);

CREATE TABLE sync_group_setting (
  sync_group TEXT NOT NULL,
  suffix TEXT NOT NULL,
  value TEXT NOT NULL,
  PRIMARY KEY (sync_group, suffix)
);

-- //@UNDO
DROP TABLE sync_group_setting;
DROP TABLE sync_group;
