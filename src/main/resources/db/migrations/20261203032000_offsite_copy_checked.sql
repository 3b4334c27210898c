-- // offsite copy checked
-- When a verified copy was last read back from its destination by the daily re-check (null: not
-- since it was verified). The re-check takes those not looked at for longest, so every copy is
-- looked at within a week and a few every day.
ALTER TABLE offsite_copy ADD COLUMN checked_at INTEGER;

-- //@UNDO
ALTER TABLE offsite_copy DROP COLUMN checked_at;
