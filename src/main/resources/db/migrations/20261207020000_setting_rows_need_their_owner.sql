-- // setting rows need their owner
-- A setting row of an off-site destination or a sync group added in the UI cannot outlive its
-- destination or group: a foreign key, deleting with it. The writes already lock the owner's row
-- first (a change saved while the owner was deleted left its settings behind); the key makes an
-- orphan impossible whatever writes next. Rows orphaned before are deleted first: nothing reads them.
-- SQLite cannot add a foreign key in place: the tables are built again, rows copied.
DELETE FROM offsite_destination_setting WHERE destination NOT IN (SELECT name FROM offsite_destination);
CREATE TABLE offsite_destination_setting_new (
  destination TEXT NOT NULL REFERENCES offsite_destination (name) ON DELETE CASCADE,
  suffix TEXT NOT NULL,
  value TEXT NOT NULL,
  PRIMARY KEY (destination, suffix)
);
INSERT INTO offsite_destination_setting_new (destination, suffix, value)
SELECT destination, suffix, value
FROM offsite_destination_setting;
DROP TABLE offsite_destination_setting;
ALTER TABLE offsite_destination_setting_new RENAME TO offsite_destination_setting;

DELETE FROM sync_group_setting WHERE sync_group NOT IN (SELECT name FROM sync_group);
CREATE TABLE sync_group_setting_new (
  sync_group TEXT NOT NULL REFERENCES sync_group (name) ON DELETE CASCADE,
  suffix TEXT NOT NULL,
  value TEXT NOT NULL,
  PRIMARY KEY (sync_group, suffix)
);
INSERT INTO sync_group_setting_new (sync_group, suffix, value)
SELECT sync_group, suffix, value
FROM sync_group_setting;
DROP TABLE sync_group_setting;
ALTER TABLE sync_group_setting_new RENAME TO sync_group_setting;

-- //@UNDO
CREATE TABLE offsite_destination_setting_new (
  destination TEXT NOT NULL,
  suffix TEXT NOT NULL,
  value TEXT NOT NULL,
  PRIMARY KEY (destination, suffix)
);
INSERT INTO offsite_destination_setting_new (destination, suffix, value)
SELECT destination, suffix, value
FROM offsite_destination_setting;
DROP TABLE offsite_destination_setting;
ALTER TABLE offsite_destination_setting_new RENAME TO offsite_destination_setting;

CREATE TABLE sync_group_setting_new (
  sync_group TEXT NOT NULL,
  suffix TEXT NOT NULL,
  value TEXT NOT NULL,
  PRIMARY KEY (sync_group, suffix)
);
INSERT INTO sync_group_setting_new (sync_group, suffix, value)
SELECT sync_group, suffix, value
FROM sync_group_setting;
DROP TABLE sync_group_setting;
ALTER TABLE sync_group_setting_new RENAME TO sync_group_setting;
