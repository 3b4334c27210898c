-- // create web session and job
-- What a browser or script started must outlive the process and be seen by every node that
-- shares this database. web_session: the signed-in browsers, by a keyed hash of the session id
-- (the id itself lives only in the cookie), last_seen written at most once a minute. app_secret:
-- the key of those hashes and of the CSRF tokens when SESSION_SECRET is not set, made once by
-- the first node to start. job: backups and sync runs asked for through the UI or the API, from
-- queued to done or failed (one unfinished job per kind and subject, across nodes), kept a week
-- after they finish. Plain types only, written once for SQLite and PostgreSQL.
CREATE TABLE app_secret (
  name TEXT NOT NULL PRIMARY KEY,
  value TEXT NOT NULL,
  created_at INTEGER NOT NULL
);

CREATE TABLE web_session (
  id_hash TEXT NOT NULL PRIMARY KEY,
  created_at INTEGER NOT NULL,
  last_seen INTEGER NOT NULL
);

CREATE INDEX web_session_last_seen ON web_session (last_seen);

CREATE TABLE job (
  id TEXT NOT NULL PRIMARY KEY,
  kind TEXT NOT NULL CHECK (kind IN ('BACKUP', 'SYNC')),
  subject TEXT NOT NULL,
  node TEXT NOT NULL,
  state TEXT NOT NULL,
  bytes INTEGER NOT NULL,
  expected_bytes INTEGER,
  records TEXT NOT NULL,
  error_code TEXT,
  error TEXT,
  queued_at INTEGER NOT NULL,
  finished_at INTEGER
);

CREATE UNIQUE INDEX job_one_unfinished ON job (kind, subject) WHERE finished_at IS NULL;

CREATE INDEX job_finished_at ON job (finished_at);

-- //@UNDO
DROP TABLE job;
DROP TABLE web_session;
DROP TABLE app_secret;
