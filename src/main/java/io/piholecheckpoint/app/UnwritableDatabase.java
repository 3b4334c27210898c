package io.piholecheckpoint.app;

import io.piholecheckpoint.core.job.DatabaseOutages;
import java.nio.file.Path;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * A start whose first write the database refused (an immutable or read-only {@code checkpoint.db}, its folder or its mount
 * read-only, a failing disk), told in one line: what failed, where, and what to do — not MyBatis' dump of the statement, its
 * mapper file and escaped newlines (outsider 49 F9).
 */
final class UnwritableDatabase {
  private UnwritableDatabase() {
  }

  /** What to tell the user about {@code failure}, when the database refused a write for storage that takes none; empty for anything else. */
  static Optional<String> message(Throwable failure, Supplier<Path> dataDir) {
    return Optional.ofNullable(DatabaseOutages.unwritable(failure)).map(refused -> "its first write to the database was refused: " + refused
        + where(dataDir) + "; start again once that is fixed (nothing was written)");
  }

  private static String where(Supplier<Path> dataDir) {
    try {
      return " (DATA_DIR is " + dataDir.get() + ")";
    } catch (RuntimeException e) {
      return ""; // the settings themselves were not read: the refusal's own words name DATA_DIR
    }
  }
}
