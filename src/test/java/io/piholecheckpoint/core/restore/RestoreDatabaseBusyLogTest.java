package io.piholecheckpoint.core.restore;

import static org.assertj.core.api.Assertions.assertThat;

import io.piholecheckpoint.core.job.DatabaseBusyException;
import io.piholecheckpoint.core.restore.parts.RestoreMode;
import io.piholecheckpoint.core.restore.record.Restore;
import io.piholecheckpoint.testing.CapturedOutput;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * A busy database that cuts a restore short is expected and documented: one WARN line saying what was cut short, what state the
 * Pi-hole is in and what to do, as every other path says it ({@code JobFailures}), not a WARN with MyBatis' stack trace.
 */
class RestoreDatabaseBusyLogTest {
  private static final Instant NOW = Instant.parse("2026-12-06T21:30:00Z");
  private static final Restore RUNNING = new Restore(5, 3, 1, RestoreMode.LISTS, Restore.State.RUNNING, 7L, "importing", List.of(),
      List.of(), NOW, null);

  private static RuntimeException busy() {
    return new IllegalStateException("### Error querying database", new DatabaseBusyException(DatabaseBusyException.Access.WRITE,
        DatabaseBusyException.Limit.FILE_LOCKED, new SQLException("[SQLITE_BUSY] The database file is locked (database is locked)")));
  }

  @Test
  void aRestoreCutShortBeforeItChangedThePiholeIsOneWarnLineSayingWhatToDo() {
    String logged = logged(() -> RestoreOutcome.failureMessage(RUNNING, "Pi-hole 'Home'", 7L, busy()));

    assertThat(logged.lines().filter(l -> l.contains("Restore 5 of backup 3"))).singleElement().asString()
        .contains("WARN", "Restore 5 of backup 3 to Pi-hole 'Home' was cut short: the database was busy",
            "nothing was sent to the Pi-hole yet; safety backup 7 was taken; ask for it again then");
    assertThat(logged).doesNotContain("\tat ", "Exception", "SQLITE_BUSY");
  }

  @Test
  void aRestoreWhoseCheckWasCutShortIsOneWarnLineNamingTheBackupThatUndoesIt() {
    RestoreOutcome.Progress progress = new RestoreOutcome.Progress(RUNNING, "Pi-hole 'Home'", r -> { });
    progress.changed = true;

    String logged = logged(() -> RestoreOutcome.failed(progress, busy(), false, NOW));

    assertThat(logged.lines().filter(l -> l.contains("Restore 5 of backup 3"))).singleElement().asString()
        .contains("WARN", "Restore 5 of backup 3 to Pi-hole 'Home' changed the Pi-hole, then its check was cut short: the database was busy",
            "safety backup 7 (pinned) holds what it had before — restore it to undo");
    assertThat(logged).doesNotContain("\tat ", "Exception", "SQLITE_BUSY");
  }

  private static String logged(Supplier<?> restoreEnding) {
    try (CapturedOutput output = CapturedOutput.start()) {
      restoreEnding.get();
      return output.text();
    }
  }
}
