package io.piholecheckpoint.core.health;

/**
 * @param error what failed, or null when the database answered
 * @param writeRefused the last write it refused for a full disk, and what to do, until a write succeeds again; null when none
 */
public record DatabaseStatus(boolean reachable, String schemaVersion, String error, String writeRefused) {
  public DatabaseStatus(boolean reachable, String schemaVersion, String error) {
    this(reachable, schemaVersion, error, null);
  }

  public boolean writable() {
    return writeRefused == null;
  }

  public DatabaseStatus withWriteRefused(String refused) {
    return new DatabaseStatus(reachable, schemaVersion, error, refused);
  }
}
