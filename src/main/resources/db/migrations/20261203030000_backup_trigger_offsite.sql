-- // backup trigger offsite
-- Backups adopted from an off-site destination's manifests (a fresh install after a disaster) are
-- marked OFFSITE. SQLite cannot change a CHECK constraint in place: the table is built again with
-- the wider one, rows copied, indexes made again. Nothing references backup by foreign key.
CREATE TABLE backup_new (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  instance_id INTEGER NOT NULL REFERENCES instance (id) ON DELETE CASCADE,
  status TEXT NOT NULL CHECK (status IN ('SUCCESS', 'FAILED')),
  trigger_kind TEXT NOT NULL CHECK (trigger_kind IN ('MANUAL', 'SCHEDULED', 'RECOVERED', 'IMPORTED', 'OFFSITE')),
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

INSERT INTO backup_new (id, instance_id, status, trigger_kind, file_name, size_bytes, sha256, content_hash, core_version, ftl_version,
  web_version, groups_count, adlists_count, allow_exact_count, allow_regex_count, deny_exact_count, deny_regex_count,
  clients_count, dns_records_count, cnames_count, changed_settings_count, change_summary, error_code, error_message,
  started_at, finished_at, still_current_at, pinned, suspicious, file_missing, verify_error)
SELECT id, instance_id, status, trigger_kind, file_name, size_bytes, sha256, content_hash, core_version, ftl_version,
  web_version, groups_count, adlists_count, allow_exact_count, allow_regex_count, deny_exact_count, deny_regex_count,
  clients_count, dns_records_count, cnames_count, changed_settings_count, change_summary, error_code, error_message,
  started_at, finished_at, still_current_at, pinned, suspicious, file_missing, verify_error
FROM backup;
DROP TABLE backup;
ALTER TABLE backup_new RENAME TO backup;

CREATE INDEX backup_by_instance ON backup (instance_id, finished_at DESC);
CREATE INDEX backup_by_time ON backup (finished_at DESC);
-- history pages (newest id first) and the dashboard's few newest rows per instance
CREATE INDEX backup_by_instance_id ON backup (instance_id, id);
-- covers the per-instance counts and sizes of the dashboard
CREATE INDEX backup_stats ON backup (status, instance_id, size_bytes, finished_at);

-- //@UNDO
-- adopted records go with the undo: the older schema has no word for them
CREATE TABLE backup_new (
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

INSERT INTO backup_new (id, instance_id, status, trigger_kind, file_name, size_bytes, sha256, content_hash, core_version, ftl_version,
  web_version, groups_count, adlists_count, allow_exact_count, allow_regex_count, deny_exact_count, deny_regex_count,
  clients_count, dns_records_count, cnames_count, changed_settings_count, change_summary, error_code, error_message,
  started_at, finished_at, still_current_at, pinned, suspicious, file_missing, verify_error)
SELECT id, instance_id, status, trigger_kind, file_name, size_bytes, sha256, content_hash, core_version, ftl_version,
  web_version, groups_count, adlists_count, allow_exact_count, allow_regex_count, deny_exact_count, deny_regex_count,
  clients_count, dns_records_count, cnames_count, changed_settings_count, change_summary, error_code, error_message,
  started_at, finished_at, still_current_at, pinned, suspicious, file_missing, verify_error
FROM backup
WHERE trigger_kind <> 'OFFSITE';
DROP TABLE backup;
ALTER TABLE backup_new RENAME TO backup;

CREATE INDEX backup_by_instance ON backup (instance_id, finished_at DESC);
CREATE INDEX backup_by_time ON backup (finished_at DESC);
-- history pages (newest id first) and the dashboard's few newest rows per instance
CREATE INDEX backup_by_instance_id ON backup (instance_id, id);
-- covers the per-instance counts and sizes of the dashboard
CREATE INDEX backup_stats ON backup (status, instance_id, size_bytes, finished_at);
