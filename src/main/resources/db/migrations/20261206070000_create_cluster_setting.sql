-- // create cluster setting
-- What every node of a cluster must share, as the nodes that ran wrote it: the SCHEDULE_SPREAD the
-- shared triggers were made with, and the id written into the archive store they share. A node that
-- starts with another value while others run is refused before it touches a trigger or an archive.
-- Plain types only, written once for SQLite and PostgreSQL (SQLite never writes it: one process).
CREATE TABLE cluster_setting (
  name TEXT NOT NULL PRIMARY KEY,
  value TEXT NOT NULL
);

-- //@UNDO
DROP TABLE cluster_setting;
