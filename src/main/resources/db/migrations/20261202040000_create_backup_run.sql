-- // create backup run
-- A backup in progress, written in its own transaction when it starts and deleted when it
-- ends: a row left at the next start means the process died mid-run (e.g. out of memory),
-- and that run must not be retried in a loop by the catch-up.
CREATE TABLE backup_run (
  instance_id INTEGER PRIMARY KEY REFERENCES instance (id) ON DELETE CASCADE,
  trigger TEXT NOT NULL CHECK (trigger IN ('SCHEDULED', 'MANUAL', 'RECOVERED', 'IMPORTED')),
  started_at INTEGER NOT NULL
);

-- //@UNDO
DROP TABLE backup_run;
