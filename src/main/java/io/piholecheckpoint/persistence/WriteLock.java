package io.piholecheckpoint.persistence;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * Waits, at a start, until this process may write to the SQLite file. The schema check only reads, and passes beside a
 * process that holds the file's write lock (a sqlite3 shell after BEGIN IMMEDIATE, a copy tool): the start's own writes
 * that follow (the instances from the environment, the sessions' key) would each be refused after the 5 s busy wait and
 * stop the start, where DATABASE_CONNECT_WAIT_SECONDS promises that it waits such a process out.
 */
public final class WriteLock {
  private WriteLock() {
  }

  /**
   * Takes the write lock and lets it go at once, tried again as {@link Migrations#waitingOutBusy} does (a line in the log
   * at each busy wait, the connect wait in all); nothing on PostgreSQL, whose writes wait on rows, not on the whole file.
   *
   * @throws Migrations.StayedBusy when another connection still holds it after the connect wait, saying what to do
   */
  public static void awaitFree(Database database) {
    if (database.dialect() != Dialect.SQLITE) {
      return;
    }
    Migrations.waitingOutBusy(database, () -> {
      try (Connection connection = database.dataSource().getConnection(); Statement statement = connection.createStatement()) {
        statement.execute("BEGIN IMMEDIATE");
        statement.execute("ROLLBACK");
        return null;
      } catch (SQLException e) {
        throw new IllegalStateException("could not take the write lock of " + database.describe() + ": " + e.getMessage(), e);
      }
    });
  }
}
