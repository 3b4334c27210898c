package io.piholecheckpoint.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.apache.ibatis.exceptions.PersistenceException;
import org.junit.jupiter.api.Test;
import org.sqlite.SQLiteErrorCode;
import org.sqlite.SQLiteException;

/**
 * Outsider 49 F9: an immutable checkpoint.db (chattr +i, which a test cannot set without root) refused the server's first write,
 * and the start ended in MyBatis' dump of it. The failure as MyBatis raised it then.
 */
class UnwritableDatabaseTest {
  private static final Path DATA = Path.of("/srv/checkpoint/data");

  @Test
  void aReadOnlyDatabaseAtTheStartIsToldInOneLineWithWhereAndWhatToDoWithoutTheStatement() {
    RuntimeException refused = new PersistenceException("\n### Error updating database.  Cause: org.sqlite.SQLiteException: [SQLITE_READONLY]"
        + " Attempt to write a readonly database\n### The error may exist in io/piholecheckpoint/persistence/SessionMapper.xml\n### SQL:"
        + " INSERT INTO app_secret (name, value, created_at) VALUES (?, ?, ?)", new SQLiteException("[SQLITE_READONLY] Attempt to write a"
        + " readonly database (attempt to write a readonly database)", SQLiteErrorCode.SQLITE_READONLY));

    assertThat(UnwritableDatabase.message(refused, () -> DATA)).hasValueSatisfying(m -> assertThat(m)
        .startsWith("its first write to the database was refused: the database file cannot be written (SQLITE_READONLY)")
        .contains("not immutable (lsattr)", "(DATA_DIR is /srv/checkpoint/data)", "start again once that is fixed")
        .doesNotContain("###", "\n", "INSERT", "SessionMapper"));
  }

  @Test
  void anotherFailureIsNotCalledUnwritable() {
    assertThat(UnwritableDatabase.message(new IllegalStateException("no SQLite in it"), () -> DATA)).isEmpty();
    assertThat(UnwritableDatabase.message(new IllegalStateException("x", new SQLiteException("[SQLITE_CORRUPT] malformed",
        SQLiteErrorCode.SQLITE_CORRUPT)), () -> DATA)).isEmpty();
  }
}
