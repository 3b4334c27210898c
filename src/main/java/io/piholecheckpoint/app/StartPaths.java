package io.piholecheckpoint.app;

import io.piholecheckpoint.core.files.OwnedPaths;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;

/**
 * The places under DATA_DIR and BACKUP_DIR that would stop a start later, alone, checked with the other settings so that the
 * one refusal names them all: each check reads what is there and makes nothing.
 */
final class StartPaths {
  private StartPaths() {
  }

  /**
   * DATA_DIR apart from BACKUP_DIR: inside it, the catalogue would lie among the archives, and travel wherever a copy of the
   * backups folder goes.
   */
  static Void dataOutsideBackups(Path dataDir, Path backupDir) {
    Path data = real(dataDir);
    Path backups = real(backupDir);
    if (data.startsWith(backups)) {
      throw new AppConfig.ConfigException(("DATA_DIR=%s is %s BACKUP_DIR=%s: the database (checkpoint.db) would sit among the archives,"
          + " and go wherever a copy of the backups folder goes — give DATA_DIR a folder of its own outside BACKUP_DIR (e.g."
          + " DATA_DIR=/app/data and BACKUP_DIR=/app/backups), moving what is in it there").formatted(dataDir, data.equals(backups) ? "the same folder as"
          : "inside", backupDir));
    }
    return null;
  }

  /** The folder the start makes for the uploads: none yet, or a folder, as {@link UploadFolder} takes it. */
  static Void uploads(Path backupDir) {
    if (!Files.isDirectory(backupDir)) {
      return null; // none yet (the start makes it), or BACKUP_DIR's own problem, named as such
    }
    try {
      OwnedPaths.folderIfThere(backupDir.resolve(".uploads"));
      return null;
    } catch (IOException e) {
      throw new AppConfig.ConfigException(e.getMessage());
    }
  }

  /** SQLite's write-ahead log beside the catalogue: none yet, or a file; a folder in its place keeps the catalogue from opening. */
  static Void writeAheadLog(Path dataDir) {
    Path wal = AppConfig.databaseFile(dataDir).resolveSibling("checkpoint.db-wal");
    if (Files.isDirectory(wal, LinkOption.NOFOLLOW_LINKS)) {
      throw new AppConfig.ConfigException(("%s is a folder, where SQLite keeps the database's write-ahead log (a file it makes itself): the"
          + " database cannot be opened beside it — move the folder away (mv %s %s.away) and start again").formatted(wal, wal, wal));
    }
    return null;
  }

  /** The path as the file system resolves it, links and all, as far as it exists; the rest as written. */
  private static Path real(Path path) {
    Path existing = path;
    while (existing != null && !Files.exists(existing)) {
      existing = existing.getParent();
    }
    try {
      return existing == null ? path : existing.toRealPath().resolve(existing.relativize(path)).normalize();
    } catch (IOException e) {
      return path;
    }
  }
}
