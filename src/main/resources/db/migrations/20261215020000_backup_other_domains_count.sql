-- // backup other domains count
-- Domains of a type the build does not know (a newer Pi-hole's, or a damaged row) were listed by the contents page and
-- counted by the diff, but left out of a backup's stored counts: 4 known and 2 unknown showed as "4 domains". Backups
-- stored before keep null here, read as none: their counts show as they did (their archives are not opened again).
-- The same statement serves SQLite and PostgreSQL.
ALTER TABLE backup ADD COLUMN other_domains_count INTEGER;

-- //@UNDO
ALTER TABLE backup DROP COLUMN other_domains_count;
