-- // refuse unknown migrations
-- A marker, with nothing to change: every build that carries this migration refuses a database
-- holding migrations it does not know — in `entrypoint.sh migrate` (MyBatis Migrations alone
-- applies what is pending and ignores the rest) and at the server's start — naming them, and
-- telling the operator to upgrade the node. An older build started on a newer build's database
-- once ran and rewrote the shared Quartz triggers. A database that holds this id was migrated by
-- a build with the check; a build from before it meets the id as unknown and is refused at start.
-- A rolling upgrade stays allowed: a newer build knows all of an older one's migrations.
SELECT 1;

-- //@UNDO
SELECT 1;
