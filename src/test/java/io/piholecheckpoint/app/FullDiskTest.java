package io.piholecheckpoint.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.sqlite.SQLiteErrorCode;
import org.sqlite.SQLiteException;

/**
 * A start on a full disk: SQLite's error codes as it raises them (a full disk cannot be made without root here; the outsider's
 * 2 MB tmpfs gave SQLITE_IOERR_SHMSIZE at the migration step's first read).
 */
class FullDiskTest {
  private static final Path DATA = Path.of("/srv/checkpoint/data");

  private static RuntimeException failed(SQLiteErrorCode code) {
    return new IllegalStateException("could not read the changelog of " + DATA + "/checkpoint.db",
        new SQLiteException("[" + code.name() + "] " + code.message, code));
  }

  @Test
  void anIoErrorOfTheSharedMemoryFileWithNothingFreeIsNamedAsTheFullDiskWithTheFolderAndWhatIsFree() {
    assertThat(FullDisk.message(failed(SQLiteErrorCode.SQLITE_IOERR_SHMSIZE), DATA, 0)).hasValueSatisfying(m -> assertThat(m)
        .startsWith("the disk under DATA_DIR (/srv/checkpoint/data) is full: 0 B free")
        .contains("free space on that disk (1 MB or more)").contains("SQLITE_IOERR_SHMSIZE"));
  }

  @Test
  void theDatabaseFileThatCannotGrowIsTheFullDiskWhateverTheFreeSpaceSays() {
    assertThat(FullDisk.message(failed(SQLiteErrorCode.SQLITE_FULL), DATA, 50_000_000)).hasValueSatisfying(m -> assertThat(m)
        .contains("is full: 50.0 MB free"));
  }

  @Test
  void anIoErrorWithRoomOnTheDiskIsNotCalledAFullDisk() {
    assertThat(FullDisk.message(failed(SQLiteErrorCode.SQLITE_IOERR_SHMSIZE), DATA, 50_000_000)).isEmpty();
    assertThat(FullDisk.message(failed(SQLiteErrorCode.SQLITE_CORRUPT), DATA, 0)).isEmpty();
    assertThat(FullDisk.message(new IllegalStateException("no SQLite in it"), DATA, 0)).isEmpty();
  }
}
