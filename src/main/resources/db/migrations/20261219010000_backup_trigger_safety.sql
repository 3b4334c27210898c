-- // backup trigger safety
-- The backup a restore or sync takes of a Pi-hole before it changes it was recorded MANUAL, listed and filtered as the user's
-- own "Back up now" (outsider 46 F8): SAFETY now. SQLite cannot change a CHECK constraint in place: the table is built again
-- with the wider one, rows copied, indexes made again. Nothing references backup by foreign key.
-- backup_run (the marker of a run in progress) likewise takes the word.
-- Earlier rows are told apart where that is sure: a backup a restore or a sync run names as its safety backup (snapshot_id).
-- One whose restore or run is no longer on record (a sync group deleted with its history) stays MANUAL.
CREATE TABLE backup_new (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  instance_id INTEGER NOT NULL REFERENCES instance (id) ON DELETE CASCADE,
  status TEXT NOT NULL CHECK (status IN ('SUCCESS', 'FAILED')),
  trigger_kind TEXT NOT NULL CHECK (trigger_kind IN ('MANUAL', 'SCHEDULED', 'RECOVERED', 'IMPORTED', 'OFFSITE', 'SAFETY')),
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
  node TEXT,
  deleting INTEGER NOT NULL DEFAULT 0,
  run_key TEXT,
  other_domains_count INTEGER,
  accepted INTEGER NOT NULL DEFAULT 0,
  CHECK ((status = 'SUCCESS') = (file_name IS NOT NULL AND sha256 IS NOT NULL AND content_hash IS NOT NULL))
);

INSERT INTO backup_new (id, instance_id, status, trigger_kind, file_name, size_bytes, sha256, content_hash, core_version, ftl_version,
  web_version, groups_count, adlists_count, allow_exact_count, allow_regex_count, deny_exact_count, deny_regex_count,
  clients_count, dns_records_count, cnames_count, changed_settings_count, change_summary, error_code, error_message,
  started_at, finished_at, still_current_at, pinned, suspicious, file_missing, verify_error, node, deleting, run_key,
  other_domains_count, accepted)
SELECT id, instance_id, status, CASE WHEN trigger_kind = 'MANUAL' AND (id IN (SELECT snapshot_id FROM restore WHERE snapshot_id IS NOT NULL)
    OR id IN (SELECT snapshot_id FROM sync_run WHERE snapshot_id IS NOT NULL)) THEN 'SAFETY' ELSE trigger_kind END AS trigger_kind, file_name, size_bytes, sha256, content_hash, core_version, ftl_version,
  web_version, groups_count, adlists_count, allow_exact_count, allow_regex_count, deny_exact_count, deny_regex_count,
  clients_count, dns_records_count, cnames_count, changed_settings_count, change_summary, error_code, error_message,
  started_at, finished_at, still_current_at, pinned, suspicious, file_missing, verify_error, node, deleting, run_key,
  other_domains_count, accepted
FROM backup;
DROP TABLE backup;
ALTER TABLE backup_new RENAME TO backup;

CREATE INDEX backup_by_instance ON backup (instance_id, finished_at DESC);
CREATE INDEX backup_by_time ON backup (finished_at DESC);
-- history pages (newest id first) and the dashboard's few newest rows per instance
CREATE INDEX backup_by_instance_id ON backup (instance_id, id);
-- covers the per-instance counts and sizes of the dashboard
CREATE INDEX backup_stats ON backup (status, instance_id, size_bytes, finished_at);
CREATE UNIQUE INDEX backup_run_key ON backup (run_key);

CREATE TABLE backup_run_new (
  instance_id INTEGER PRIMARY KEY REFERENCES instance (id) ON DELETE CASCADE,
  trigger TEXT NOT NULL CHECK (trigger IN ('SCHEDULED', 'MANUAL', 'RECOVERED', 'IMPORTED', 'SAFETY')),
  started_at INTEGER NOT NULL,
  node TEXT,
  safety INTEGER NOT NULL DEFAULT 0
);
INSERT INTO backup_run_new (instance_id, trigger, started_at, node, safety)
SELECT instance_id, trigger, started_at, node, safety FROM backup_run;
DROP TABLE backup_run;
ALTER TABLE backup_run_new RENAME TO backup_run;

-- //@UNDO
-- the older schema has no word for them: manual, as they were recorded before
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
  node TEXT,
  deleting INTEGER NOT NULL DEFAULT 0,
  run_key TEXT,
  other_domains_count INTEGER,
  accepted INTEGER NOT NULL DEFAULT 0,
  CHECK ((status = 'SUCCESS') = (file_name IS NOT NULL AND sha256 IS NOT NULL AND content_hash IS NOT NULL))
);

INSERT INTO backup_new (id, instance_id, status, trigger_kind, file_name, size_bytes, sha256, content_hash, core_version, ftl_version,
  web_version, groups_count, adlists_count, allow_exact_count, allow_regex_count, deny_exact_count, deny_regex_count,
  clients_count, dns_records_count, cnames_count, changed_settings_count, change_summary, error_code, error_message,
  started_at, finished_at, still_current_at, pinned, suspicious, file_missing, verify_error, node, deleting, run_key,
  other_domains_count, accepted)
SELECT id, instance_id, status, CASE WHEN trigger_kind = 'SAFETY' THEN 'MANUAL' ELSE trigger_kind END AS trigger_kind, file_name, size_bytes, sha256, content_hash, core_version, ftl_version,
  web_version, groups_count, adlists_count, allow_exact_count, allow_regex_count, deny_exact_count, deny_regex_count,
  clients_count, dns_records_count, cnames_count, changed_settings_count, change_summary, error_code, error_message,
  started_at, finished_at, still_current_at, pinned, suspicious, file_missing, verify_error, node, deleting, run_key,
  other_domains_count, accepted
FROM backup;
DROP TABLE backup;
ALTER TABLE backup_new RENAME TO backup;

CREATE INDEX backup_by_instance ON backup (instance_id, finished_at DESC);
CREATE INDEX backup_by_time ON backup (finished_at DESC);
-- history pages (newest id first) and the dashboard's few newest rows per instance
CREATE INDEX backup_by_instance_id ON backup (instance_id, id);
-- covers the per-instance counts and sizes of the dashboard
CREATE INDEX backup_stats ON backup (status, instance_id, size_bytes, finished_at);
CREATE UNIQUE INDEX backup_run_key ON backup (run_key);

CREATE TABLE backup_run_new (
  instance_id INTEGER PRIMARY KEY REFERENCES instance (id) ON DELETE CASCADE,
  trigger TEXT NOT NULL CHECK (trigger IN ('SCHEDULED', 'MANUAL', 'RECOVERED', 'IMPORTED')),
  started_at INTEGER NOT NULL,
  node TEXT,
  safety INTEGER NOT NULL DEFAULT 0
);
INSERT INTO backup_run_new (instance_id, trigger, started_at, node, safety)
SELECT instance_id, CASE WHEN trigger = 'SAFETY' THEN 'MANUAL' ELSE trigger END, started_at, node, safety FROM backup_run;
DROP TABLE backup_run;
ALTER TABLE backup_run_new RENAME TO backup_run;
