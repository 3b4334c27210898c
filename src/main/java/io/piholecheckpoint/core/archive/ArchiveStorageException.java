package io.piholecheckpoint.core.archive;

/** The backup directory could not take an archive (full disk, permissions, …). */
public class ArchiveStorageException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public ArchiveStorageException(String message) {
    super(message);
  }

  public ArchiveStorageException(String message, Throwable cause) {
    super(message, cause);
  }

  private boolean noRoom;

  /** Refused before writing, for want of room: counts as a full disk. */
  public static ArchiveStorageException noRoom(String message) {
    ArchiveStorageException e = new ArchiveStorageException(message);
    e.noRoom = true;
    return e;
  }

  /** Whether the disk was full (ENOSPC) or a quota was reached, as the OS said it. */
  public boolean outOfSpace() {
    if (noRoom) {
      return true;
    }
    for (Throwable t = getCause(); t != null; t = t.getCause()) {
      String text = t.getMessage() == null ? "" : t.getMessage();
      if (text.contains("No space left on device") || text.contains("Disk quota exceeded")) {
        return true;
      }
    }
    return false;
  }
}
