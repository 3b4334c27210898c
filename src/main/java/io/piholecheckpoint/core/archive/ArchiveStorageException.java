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
  private boolean encrypted;

  /** Refused before writing, for want of room: counts as a full disk. */
  public static ArchiveStorageException noRoom(String message) {
    ArchiveStorageException e = new ArchiveStorageException(message);
    e.noRoom = true;
    return e;
  }

  /**
   * An encrypted archive that could not be read once opened with the passphrase: only then is the passphrase advice; a
   * plain archive that cannot be read is a damaged or missing file, whatever the passphrase.
   */
  public static ArchiveStorageException ofEncrypted(String message) {
    ArchiveStorageException e = new ArchiveStorageException(message);
    e.encrypted = true;
    return e;
  }

  /** Whether the archive that could not be read is an encrypted one. */
  public boolean encrypted() {
    return encrypted;
  }

  /**
   * {@code e} as the storage failure it is when it says the disk is full: a write to the backup directory (a scratch copy
   * of an archive: decrypted, or its gravity.db unpacked) failed for want of room — our side, passing once space is freed,
   * not an archive that cannot be read. Empty for any other IOException.
   *
   * @param writing what was being written, as the message says it: "a scratch copy of backup 12's archive"
   */
  public static java.util.Optional<ArchiveStorageException> ifOutOfSpace(String writing, java.io.IOException e) {
    ArchiveStorageException full = new ArchiveStorageException("could not write " + writing + ": " + e.getMessage()
        + " — free space on the disk of BACKUP_DIR", e);
    return full.outOfSpace() ? java.util.Optional.of(full) : java.util.Optional.empty();
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
