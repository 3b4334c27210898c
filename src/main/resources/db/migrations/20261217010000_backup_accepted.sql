-- // backup accepted
-- A backup flagged suspicious that a person accepted as the Pi-hole's real content (a deliberate large clean-up):
-- accepting clears suspicious in the same UPDATE, so it is the baseline, counts in retention and can be synced from;
-- this column only remembers that it was once flagged, for the badge. The same statement serves SQLite and PostgreSQL.
ALTER TABLE backup ADD COLUMN accepted INTEGER NOT NULL DEFAULT 0;

-- //@UNDO
ALTER TABLE backup DROP COLUMN accepted;
