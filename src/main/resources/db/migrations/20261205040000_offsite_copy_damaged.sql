-- // offsite copy damaged
-- When a copy that had been verified was found not to be what was sent (changed at the destination,
-- or gone) by a re-check, a fetch or a verify; null otherwise, and again once it is verified anew.
-- Every path that would read the copy answers from it the same way (it failed verification), not
-- with "missing", and the copy loses its verified time with it.
ALTER TABLE offsite_copy ADD COLUMN damaged_at INTEGER;

-- //@UNDO
ALTER TABLE offsite_copy DROP COLUMN damaged_at;
