-- // offsite copy manifest pinned
-- Whether the manifest beside the copy at its destination says its backup is pinned: a disaster
-- recovery adopts the pin from it, so a pin set or removed after the upload is written there again
-- (the copy runs compare this with the backup's pin). A manifest written before it says nothing of a
-- pin, which reads as unpinned: 0.
ALTER TABLE offsite_copy ADD COLUMN manifest_pinned INTEGER NOT NULL DEFAULT 0;

-- //@UNDO
ALTER TABLE offsite_copy DROP COLUMN manifest_pinned;
