-- // setting rows need their owner
-- PostgreSQL's variant of the script of the same name: it adds the foreign keys in place, where
-- SQLite builds the tables again. Rows orphaned before are deleted first: nothing reads them.
DELETE FROM offsite_destination_setting WHERE destination NOT IN (SELECT name FROM offsite_destination);
ALTER TABLE offsite_destination_setting ADD CONSTRAINT offsite_destination_setting_owner
  FOREIGN KEY (destination) REFERENCES offsite_destination (name) ON DELETE CASCADE;

DELETE FROM sync_group_setting WHERE sync_group NOT IN (SELECT name FROM sync_group);
ALTER TABLE sync_group_setting ADD CONSTRAINT sync_group_setting_owner
  FOREIGN KEY (sync_group) REFERENCES sync_group (name) ON DELETE CASCADE;

-- //@UNDO
ALTER TABLE sync_group_setting DROP CONSTRAINT sync_group_setting_owner;
ALTER TABLE offsite_destination_setting DROP CONSTRAINT offsite_destination_setting_owner;
