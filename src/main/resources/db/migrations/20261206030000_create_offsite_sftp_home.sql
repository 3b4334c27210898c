-- // create offsite sftp home
-- The home folder an SFTP server gave a user (its answer for "." when a /~/ destination connected),
-- by user@host:port: a restart knows at once that sftp://u@nas/~/x and sftp://u@nas/home/u/x are one
-- place, instead of letting both start until the first connection tells again. Plain types only,
-- written once for SQLite and PostgreSQL.
CREATE TABLE offsite_sftp_home (
  server TEXT NOT NULL PRIMARY KEY,
  home TEXT NOT NULL,
  learned_at INTEGER NOT NULL
);

-- //@UNDO
DROP TABLE offsite_sftp_home;
