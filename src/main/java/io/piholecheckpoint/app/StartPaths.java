package io.piholecheckpoint.app;

import io.piholecheckpoint.core.archive.scratch.ScratchDirectory;
import io.piholecheckpoint.core.files.OwnedPaths;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

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

  /**
   * The folders Checkpoint keeps under BACKUP_DIR, for the uploads ({@link UploadFolder}) and the temporary files
   * ({@link ScratchDirectory}): none yet, or a folder that is no link. Checked here, one refusal in one format for both: the
   * temporary folder was found a file only when the start first used it, and said so in other words.
   */
  static Void ownFolders(Path backupDir) {
    if (!Files.isDirectory(backupDir)) {
      return null; // none yet (the start makes it), or BACKUP_DIR's own problem, named as such
    }
    List<String> problems = new ArrayList<>();
    for (String own : List.of(".uploads", ScratchDirectory.NAME)) {
      try {
        OwnedPaths.folderIfThere(backupDir.resolve(own));
      } catch (IOException e) {
        problems.add(e.getMessage());
      }
    }
    if (!problems.isEmpty()) {
      throw new AppConfig.ConfigException(String.join("; ", problems));
    }
    return null;
  }

  /**
   * The files SQLite makes beside the catalogue (its write-ahead log, that log's shared-memory index, its rollback journal): none
   * yet, or a file. Anything else in their place keeps the catalogue from opening, and SQLite's own words ("unable to open the
   * database file", "readonly database", "disk I/O error") name neither the path nor what to do.
   */
  static Void sqliteFiles(Path dataDir) {
    Path database = AppConfig.databaseFile(dataDir);
    List<String> problems = new ArrayList<>();
    sqliteFile(database.resolveSibling("checkpoint.db-wal"), "the database's write-ahead log").ifPresent(problems::add);
    sqliteFile(database.resolveSibling("checkpoint.db-shm"), "the write-ahead log's shared-memory index").ifPresent(problems::add);
    sqliteFile(database.resolveSibling("checkpoint.db-journal"), "the database's rollback journal").ifPresent(problems::add);
    if (!problems.isEmpty()) {
      throw new AppConfig.ConfigException(String.join("; ", problems));
    }
    return null;
  }

  private static Optional<String> sqliteFile(Path file, String what) {
    if (!Files.exists(file, LinkOption.NOFOLLOW_LINKS) || Files.isRegularFile(file)) {
      return Optional.empty();
    }
    String is = Files.isSymbolicLink(file) && !Files.exists(file) ? "a symbolic link to " + OwnedPaths.linkTarget(file) + ", which is not there"
        : Files.isDirectory(file) ? "a folder" : "not a regular file";
    return Optional.of(("%s is %s, where SQLite keeps %s (a file it makes itself): the database cannot be opened beside it — move %s"
        + " away (mv %s %s.away) and start again").formatted(file, is, what, Files.isDirectory(file) ? "the folder" : "it", file, file));
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
