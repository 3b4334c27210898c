-- // offsite copy deleting
-- A copy the destination's retention decided to delete is claimed first, in one transaction that
-- holds its backup's row and finds it unpinned, and only then loses its objects: a pin set between
-- the pruning's read and the deletion used to lose the pinned backup's off-site copy. A backup with
-- a claimed copy cannot be pinned until the deletion is done; a claim left by a process that
-- stopped is completed by the destination's next pruning.
ALTER TABLE offsite_copy ADD COLUMN deleting INTEGER NOT NULL DEFAULT 0;

-- //@UNDO
ALTER TABLE offsite_copy DROP COLUMN deleting;
