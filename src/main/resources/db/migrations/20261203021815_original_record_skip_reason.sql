-- // original record skip reason
-- Why a record of Pi-hole Checkpoint 1.x was skipped (core.legacy.SkipReason's name), so that
-- Settings can say it, grouped; NULL for one imported, and for those skipped before this column.
ALTER TABLE original_record ADD COLUMN skip_reason TEXT;

-- An import that could not read 1.x's database (to the end) was marked finished, with a note, and
-- never tried again: it is unfinished again, so the next start goes on with it.
UPDATE original_import SET finished_at = NULL, note = NULL WHERE note IS NOT NULL;

-- //@UNDO
ALTER TABLE original_record DROP COLUMN skip_reason;
