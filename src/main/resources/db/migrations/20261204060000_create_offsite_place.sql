-- // create offsite place
-- Where each destination's copies were made (its description: kind, server, folder), so that a
-- destination whose URL changed, or a name now configured somewhere else, is seen at its next run:
-- the copy records of the old place no longer count there. Plain types only, written once for
-- SQLite and PostgreSQL.
CREATE TABLE offsite_place (
  destination TEXT NOT NULL PRIMARY KEY,
  place TEXT NOT NULL,
  since INTEGER NOT NULL
);

-- //@UNDO
DROP TABLE offsite_place;
