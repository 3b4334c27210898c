-- // create offsite adoption note
-- What the last adoption from each destination skipped, and why, and noted (an instance re-created
-- without the address its manifest names): shown on Settings after a restart, not only in the log.
-- Replaced whole at each adoption of the destination. Plain types only, written once for SQLite and
-- PostgreSQL.
CREATE TABLE offsite_adoption_note (
  destination TEXT NOT NULL,
  position INTEGER NOT NULL,
  skipped INTEGER NOT NULL,
  note TEXT NOT NULL,
  noted_at INTEGER NOT NULL,
  PRIMARY KEY (destination, position)
);

-- //@UNDO
DROP TABLE offsite_adoption_note;
