-- // create sync turn
-- A sync group's run in progress, with the node (NODE_NAME) that runs it: written when the run
-- starts, deleted when it ends. Every node sees it, so that a group running on one node is not
-- deleted through another, and the run of a node that stopped checking in is recorded as
-- interrupted by the node that recovers it (a row left at a single node's start: the process died
-- in the run). Plain types only, written once for SQLite and PostgreSQL.
CREATE TABLE sync_turn (
  sync_group TEXT NOT NULL PRIMARY KEY,
  node TEXT,
  started_at INTEGER NOT NULL
);

-- //@UNDO
DROP TABLE sync_turn;
