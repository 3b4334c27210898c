-- // create instance and backup
-- Times are epoch milliseconds (UTC); enums are stored by name.
CREATE TABLE instance (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  name TEXT NOT NULL,
  slug TEXT NOT NULL,
  origin TEXT NOT NULL CHECK (origin IN ('ENV', 'UI')),
  env_prefix TEXT UNIQUE,
  url TEXT NOT NULL,
  tls_mode TEXT NOT NULL DEFAULT 'SYSTEM' CHECK (tls_mode IN ('SYSTEM', 'CA_FILE', 'FINGERPRINT', 'INSECURE')),
  tls_ca_file TEXT,
  tls_ca_pem TEXT,
  tls_fingerprint TEXT,
  timeout_seconds INTEGER CHECK (timeout_seconds > 0),
  schedule_kind TEXT NOT NULL CHECK (schedule_kind IN ('HOURLY', 'DAILY', 'WEEKLY', 'CRON')),
  schedule_time TEXT NOT NULL,
  schedule_day TEXT NOT NULL,
  schedule_cron TEXT,
  max_backups INTEGER NOT NULL CHECK (max_backups >= 0),
  max_age_days INTEGER NOT NULL CHECK (max_age_days >= 0),
  keep_daily INTEGER NOT NULL DEFAULT 0 CHECK (keep_daily >= 0),
  keep_weekly INTEGER NOT NULL DEFAULT 0 CHECK (keep_weekly >= 0),
  keep_monthly INTEGER NOT NULL DEFAULT 0 CHECK (keep_monthly >= 0),
  skip_unchanged INTEGER NOT NULL DEFAULT 0,
  active INTEGER NOT NULL DEFAULT 1,
  paused INTEGER NOT NULL DEFAULT 0,
  removed INTEGER NOT NULL DEFAULT 0,
  password_sealed TEXT,
  totp_secret_sealed TEXT,
  status TEXT NOT NULL DEFAULT 'UNKNOWN',
  status_message TEXT,
  status_at INTEGER,
  pihole_version TEXT,
  seats_in_use INTEGER,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);

CREATE TABLE backup (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  instance_id INTEGER NOT NULL REFERENCES instance (id) ON DELETE CASCADE,
  status TEXT NOT NULL CHECK (status IN ('SUCCESS', 'FAILED')),
  trigger_kind TEXT NOT NULL CHECK (trigger_kind IN ('MANUAL', 'SCHEDULED', 'RECOVERED', 'IMPORTED')),
  file_name TEXT UNIQUE,
  size_bytes INTEGER,
  sha256 TEXT,
  content_hash TEXT,
  core_version TEXT,
  ftl_version TEXT,
  web_version TEXT,
  groups_count INTEGER,
  adlists_count INTEGER,
  allow_exact_count INTEGER,
  allow_regex_count INTEGER,
  deny_exact_count INTEGER,
  deny_regex_count INTEGER,
  clients_count INTEGER,
  dns_records_count INTEGER,
  cnames_count INTEGER,
  changed_settings_count INTEGER,
  change_summary TEXT,
  error_code TEXT,
  error_message TEXT,
  started_at INTEGER NOT NULL,
  finished_at INTEGER NOT NULL,
  still_current_at INTEGER,
  pinned INTEGER NOT NULL DEFAULT 0,
  suspicious INTEGER NOT NULL DEFAULT 0,
  file_missing INTEGER NOT NULL DEFAULT 0,
  verify_error TEXT,
  CHECK ((status = 'SUCCESS') = (file_name IS NOT NULL AND sha256 IS NOT NULL AND content_hash IS NOT NULL))
);

CREATE INDEX backup_by_instance ON backup (instance_id, finished_at DESC);
CREATE INDEX backup_by_time ON backup (finished_at DESC);
-- history pages (newest id first) and the dashboard's few newest rows per instance
CREATE INDEX backup_by_instance_id ON backup (instance_id, id);
-- covers the per-instance counts and sizes of the dashboard
CREATE INDEX backup_stats ON backup (status, instance_id, size_bytes, finished_at);

-- //@UNDO
DROP TABLE backup;
DROP TABLE instance;
