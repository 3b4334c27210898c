-- // backup deleting
-- A backup whose deletion has been decided (by retention or on request) is claimed first, in one
-- transaction conditioned on pinned = 0, and only then loses its file and its record: a pin set
-- between retention's read and the file's deletion used to lose a pinned archive. A claimed row
-- cannot be pinned; a claim left by a process that died is completed at the next start.
ALTER TABLE backup ADD COLUMN deleting INTEGER NOT NULL DEFAULT 0;

-- //@UNDO
ALTER TABLE backup DROP COLUMN deleting;
