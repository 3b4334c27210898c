-- // create offsite destination
-- Off-site destinations added on the Settings page or the API, beside those of OFFSITE_<NAME>_*
-- variables. Each setting is one row under the suffix its variable would have (URL, REGION,
-- PASSWORD …), so that both paths go through the same rules; secrets (PASSWORD, SECRET_ACCESS_KEY,
-- PRIVATE_KEY, PRIVATE_KEY_PASSPHRASE) are stored sealed with the field encryption key, as the
-- passwords of Pi-holes added here are. Plain types only (TEXT, INTEGER), written once for SQLite and PostgreSQL.
CREATE TABLE offsite_destination (
  name TEXT NOT NULL PRIMARY KEY,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);

CREATE TABLE offsite_destination_setting (
  destination TEXT NOT NULL,
  suffix TEXT NOT NULL,
  value TEXT NOT NULL,
  PRIMARY KEY (destination, suffix)
);

-- //@UNDO
DROP TABLE offsite_destination_setting;
DROP TABLE offsite_destination;
