-- // create original import
-- The history of Pi-hole Checkpoint 1.x carried over from its db.sqlite3. One import per
-- database; started_at without finished_at is an import cut short, which the next start completes.
CREATE TABLE original_import (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  source TEXT NOT NULL,
  started_at INTEGER NOT NULL,
  finished_at INTEGER,
  instances INTEGER NOT NULL DEFAULT 0,
  records INTEGER NOT NULL DEFAULT 0,
  skipped INTEGER NOT NULL DEFAULT 0,
  note TEXT
);

-- Every record of the original that was looked at, imported (backup_id) or skipped (NULL), written
-- in the transaction of its batch: a re-run goes on after the highest id. No foreign key: a backup
-- that retention deletes later must not be imported again.
CREATE TABLE original_record (
  original_id INTEGER PRIMARY KEY,
  backup_id INTEGER
);

-- Which instance of ours each instance of the original became, and the schedule and retention it
-- had there: the defaults of that instance's PIHOLE_<P>_* variables left unset.
CREATE TABLE original_instance (
  original_id INTEGER PRIMARY KEY,
  instance_id INTEGER NOT NULL REFERENCES instance (id) ON DELETE CASCADE,
  env_prefix TEXT,
  schedule_kind TEXT NOT NULL CHECK (schedule_kind IN ('HOURLY', 'DAILY', 'WEEKLY')),
  schedule_time TEXT NOT NULL,
  schedule_day TEXT NOT NULL,
  max_backups INTEGER NOT NULL CHECK (max_backups >= 0),
  max_age_days INTEGER NOT NULL CHECK (max_age_days >= 0)
);

-- //@UNDO
DROP TABLE original_instance;
DROP TABLE original_record;
DROP TABLE original_import;
