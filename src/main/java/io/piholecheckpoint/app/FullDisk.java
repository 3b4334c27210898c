package io.piholecheckpoint.app;

import io.piholecheckpoint.core.units.ByteSize;
import io.piholecheckpoint.core.units.Causes;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.function.Supplier;
import org.sqlite.SQLiteException;

/**
 * A start (the migration step's, the server's) that SQLite refused because the disk under DATA_DIR is full, named as that.
 * SQLite says SQLITE_FULL only when the database file itself cannot grow; opening a file in WAL mode first maps its
 * shared-memory file ({@code checkpoint.db-shm}), and a full disk fails that as an I/O error ("SQLITE_IOERR_SHMSIZE … disk I/O
 * error") that never says the disk is full. Such an error with almost nothing free is that.
 */
final class FullDisk {
  /** Exit code of the migration step for a full disk: ENOSPC's number, so that a supervisor can tell it from a setting. */
  static final int EXIT_CODE = 28;
  /** Less than this free beside an I/O error: the error is the full disk (SQLite's -shm alone takes 32 KiB, a write's -wal more). */
  static final long NEARLY_FULL = 1024 * 1024;
  private static final int SQLITE_FULL = 13;
  private static final int SQLITE_IOERR = 10;

  private FullDisk() {
  }

  /** What to tell the user about {@code failure}, when it is the disk under {@code dataDir} being full; empty for anything else. */
  static Optional<String> message(Throwable failure, Supplier<Path> dataDir) {
    if (Causes.find(failure, SQLiteException.class).isEmpty()) {
      return Optional.empty();
    }
    try {
      Path folder = dataDir.get();
      return message(failure, folder, Files.getFileStore(folder).getUsableSpace());
    } catch (IOException | RuntimeException e) {
      return Optional.empty(); // DATA_DIR itself unusable: the failure's own message says more
    }
  }

  static Optional<String> message(Throwable failure, Path dataDir, long freeBytes) {
    return Causes.find(failure, SQLiteException.class).filter(sqlite -> {
      int primary = sqlite.getResultCode().code & 0xff;
      return primary == SQLITE_FULL || primary == SQLITE_IOERR && freeBytes < NEARLY_FULL;
    }).map(sqlite -> ("the disk under DATA_DIR (%s) is full: %s free, and SQLite needs room beside checkpoint.db to open it"
        + " (its -shm and -wal files: at least 32 KiB, some MB while it writes; it said: %s) — free space on that disk (1 MB or more), or"
        + " move DATA_DIR to a larger one, and start again; nothing in the database was changed")
        .formatted(dataDir, ByteSize.format(freeBytes), sqlite.getMessage()));
  }
}
