-- // create setting change
-- A counter per kind of setting that the UI or the API can change while nodes run (sync groups,
-- off-site destinations), moved on in the same transaction as every change of it. Every node of a
-- cluster (and a standby beside its SQLite file) reads it where it uses those settings, and reads
-- them again only when it has moved: one row read per use, not the settings. No row until a
-- first change (a count of 0), so that copy-db finds a freshly migrated database empty.
CREATE TABLE setting_change (
  kind TEXT NOT NULL PRIMARY KEY,
  changes INTEGER NOT NULL
);

-- //@UNDO
DROP TABLE setting_change;
