-- // create changelog
-- The changelog table of MyBatis Migrations, with an inline primary key: SQLite cannot add
-- one afterwards, and Migrations' own bootstrap would create it without.
CREATE TABLE changelog (
  ID NUMERIC(20, 0) NOT NULL PRIMARY KEY,
  APPLIED_AT VARCHAR(25) NOT NULL,
  DESCRIPTION VARCHAR(255) NOT NULL
);

-- //@UNDO
DROP TABLE changelog;
