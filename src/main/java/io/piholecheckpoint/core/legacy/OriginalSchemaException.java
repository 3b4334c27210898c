package io.piholecheckpoint.core.legacy;

/** The file is not a database of Pi-hole Checkpoint 1.x (no such tables or columns, not SQLite, unreadable). */
public class OriginalSchemaException extends RuntimeException {
  public OriginalSchemaException(String message, Throwable cause) {
    super(message, cause);
  }
}
