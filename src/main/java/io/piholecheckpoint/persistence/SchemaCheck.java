package io.piholecheckpoint.persistence;

import java.nio.file.Files;
import java.nio.file.Path;

/** Refuses to run on a database that is missing, behind, or newer than this build (holds migrations it does not know). */
public final class SchemaCheck {
  private SchemaCheck() {
  }

  public static void requireFile(Path file) {
    if (!Files.isRegularFile(file)) {
      throw new SchemaException("There is no database at " + file + ": " + Migrations.HINT + ".");
    }
  }

  /** Waits out a database another connection holds for a moment, as the migration does (see {@link Migrations#waitingOutBusy}). */
  public static Migrations.State requireCurrent(Database database) {
    return Migrations.waitingOutBusy(database, () -> check(database));
  }

  private static Migrations.State check(Database database) {
    if (database.dialect() == Dialect.POSTGRESQL) {
      try (java.sql.Connection reachable = Migrations.connect(database)) {
        // signed in: the status below fails only for what it is about
      } catch (java.sql.SQLException e) {
        throw new SchemaException("could not close a connection to " + database.describe() + ": " + e.getMessage());
      }
    }
    Migrations.requireKnown(database);
    Migrations.State state = Migrations.state(database);
    if (state.pending() > 0) {
      throw new SchemaException("The database at %s is behind this version of Pi-hole Checkpoint (%d migration(s) pending): %s."
          .formatted(database.describe(), state.pending(), Migrations.HINT));
    }
    return state;
  }

  public static class SchemaException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    SchemaException(String message) {
      super(message);
    }
  }
}
