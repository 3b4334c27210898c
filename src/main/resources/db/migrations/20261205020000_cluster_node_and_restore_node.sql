-- // cluster node and restore node
-- restore.node: the node (NODE_NAME) that runs each restore, so that the restores of a node that
-- stopped checking in are marked interrupted by the others at once, not left "running" until the
-- whole cluster restarts. cluster_node: the nodes another node found dead (Quartz's recovery
-- deletes their check-in row), with their last check-in, so that /health lists a dead node as
-- down for a day instead of forgetting it. Plain types only, written once for SQLite and PostgreSQL.
ALTER TABLE restore ADD COLUMN node TEXT;

CREATE TABLE cluster_node (
  name TEXT NOT NULL PRIMARY KEY,
  last_checkin INTEGER,
  down_at INTEGER NOT NULL
);

-- //@UNDO
DROP TABLE cluster_node;
ALTER TABLE restore DROP COLUMN node;
