package io.piholecheckpoint.core.job;

import java.util.Optional;

/**
 * SQLite: the database file the app opened is no longer the file at its path (removed, renamed away, or another file moved
 * in) while the app runs. The pool's connections still hold the old file, so a write would be accepted and lost at the next
 * start, or land in a file the app never checked; the persistence adapter refuses it before anything is written. Nothing
 * passes until a restart (or the old file is put back): no request or job should try again.
 */
public final class DatabaseFileGoneException extends RuntimeException {
  public DatabaseFileGoneException(String message) {
    super(message);
  }

  /** @param cause a statement that failed on a connection that found no file, or another one, at the path */
  public DatabaseFileGoneException(String message, Throwable cause) {
    super(message, cause);
  }

  /** The one behind {@code failure}, which a caller may have wrapped; empty when the file was not found gone. */
  public static Optional<DatabaseFileGoneException> in(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof DatabaseFileGoneException gone) {
        return Optional.of(gone);
      }
    }
    return Optional.empty();
  }
}
