-- // create offsite copy
-- The durable queue of off-site copies: one row per backup and destination (OFFSITE_<NAME>_*).
-- No foreign key to backup: a copy outlives its local backup, whose retention may delete it
-- first; the instance, file and backup time kept here are what the destination's own retention
-- and the page need then. sent_bytes and sent_sha256 are those of the uploaded (encrypted)
-- bytes, kept between the upload and its check so that a restart in between still verifies.
CREATE TABLE offsite_copy (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  backup_id INTEGER NOT NULL,
  instance_id INTEGER NOT NULL,
  destination TEXT NOT NULL,
  state TEXT NOT NULL CHECK (state IN ('PENDING', 'COPIED', 'VERIFIED', 'FAILED')),
  attempts INTEGER NOT NULL DEFAULT 0,
  last_error TEXT,
  file_name TEXT NOT NULL,
  remote_key TEXT NOT NULL,
  backup_at INTEGER NOT NULL,
  sent_bytes INTEGER,
  sent_sha256 TEXT,
  queued_at INTEGER NOT NULL,
  next_attempt_at INTEGER,
  copied_at INTEGER,
  verified_at INTEGER,
  failed_since INTEGER,
  UNIQUE (backup_id, destination)
);

CREATE INDEX offsite_copy_due ON offsite_copy (next_attempt_at) WHERE state <> 'VERIFIED';
CREATE INDEX offsite_copy_by_instance ON offsite_copy (destination, instance_id, backup_at DESC);

-- //@UNDO
DROP TABLE offsite_copy;
