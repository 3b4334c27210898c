-- // offsite copy manifest accepted
-- Whether the manifest beside the copy says its backup was accepted (flagged suspicious, then accepted by a person): a
-- disaster recovery adopts it from there, so an acceptance after the upload is written there again, as a pin is. A manifest
-- written before it says nothing of it, which reads as not accepted: 0. The same statement serves SQLite and PostgreSQL.
ALTER TABLE offsite_copy ADD COLUMN manifest_accepted INTEGER NOT NULL DEFAULT 0;

-- //@UNDO
ALTER TABLE offsite_copy DROP COLUMN manifest_accepted;
