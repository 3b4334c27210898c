-- // create instance and backup
-- Times are epoch milliseconds (UTC); enums are stored by name.
CREATE TABLE instance (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  name TEXT NOT NULL,
  slug TEXT NOT NULL,
  origin TEXT NOT NULL CHECK (origin IN ('ENV', 'UI')),
  env_prefix TEXT UNIQUE,
  url TEXT NOT NULL,
  verify_tls INTEGER NOT NULL DEFAULT 1,
  schedule_kind TEXT NOT NULL CHECK (schedule_kind IN ('HOURLY', 'DAILY', 'WEEKLY', 'CRON')),
  schedule_time TEXT NOT NULL,
  schedule_day TEXT NOT NULL,
  schedule_cron TEXT,
  max_backups INTEGER NOT NULL CHECK (max_backups >= 0),
  max_age_days INTEGER NOT NULL CHECK (max_age_days >= 0),
  active INTEGER NOT NULL DEFAULT 1,
  removed INTEGER NOT NULL DEFAULT 0,
  status TEXT NOT NULL DEFAULT 'UNKNOWN',
  status_message TEXT,
  status_at INTEGER,
  pihole_version TEXT,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);

CREATE TABLE backup (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  instance_id INTEGER NOT NULL REFERENCES instance (id) ON DELETE CASCADE,
  status TEXT NOT NULL CHECK (status IN ('SUCCESS', 'FAILED')),
  trigger_kind TEXT NOT NULL CHECK (trigger_kind IN ('MANUAL', 'SCHEDULED')),
  file_name TEXT UNIQUE,
  size_bytes INTEGER NOT NULL DEFAULT 0,
  sha256 TEXT,
  pihole_version TEXT,
  error_code TEXT,
  error_message TEXT,
  started_at INTEGER NOT NULL,
  finished_at INTEGER NOT NULL,
  CHECK ((status = 'SUCCESS') = (file_name IS NOT NULL AND sha256 IS NOT NULL))
);

CREATE INDEX backup_by_instance ON backup (instance_id, finished_at DESC);
CREATE INDEX backup_by_time ON backup (finished_at DESC);

-- //@UNDO
DROP TABLE backup;
DROP TABLE instance;
