-- // backup node
-- The node (NODE_NAME) that ran each backup, and that runs each one in progress: in a cluster a
-- run left by a node that died is told from one under way on a node that lives. Null in rows
-- written before nodes were recorded.
ALTER TABLE backup ADD COLUMN node TEXT;
ALTER TABLE backup_run ADD COLUMN node TEXT;

-- //@UNDO
ALTER TABLE backup_run DROP COLUMN node;
ALTER TABLE backup DROP COLUMN node;
