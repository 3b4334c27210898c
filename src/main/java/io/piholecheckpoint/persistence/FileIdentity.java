package io.piholecheckpoint.persistence;

import io.piholecheckpoint.core.job.DatabaseFileGoneException;
import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.sql.Driver;
import java.sql.SQLException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * SQLite: the file the app opened (its file key: device and inode on Linux), and whether its path still names that file. An
 * open SQLite connection keeps the file it opened, so after a cleanup script removed it, or a copy of DATA_DIR or a swapped
 * bind mount put another file at the path, the pool's connections go on writing to a file that is lost at the next start
 * (or that nothing else will read), and answer as if all were well. A {@code stat} of the path before each write says so
 * for a few microseconds (bench/RESULTS.md). The first time it finds the file gone it logs what to do, once until the file
 * is back.
 */
final class FileIdentity {
  private static final Logger log = LoggerFactory.getLogger(FileIdentity.class);
  /** Not seen yet: the file did not exist when the database was opened (the migration step creates it). */
  private static final Object NOT_SEEN = new Object();
  /** A file system without file keys: nothing to compare, so nothing is checked. */
  private static final Object NO_KEY = new Object();

  /** PostgreSQL: no file, nothing checked. */
  static final FileIdentity NONE = new FileIdentity(null);

  /** Null for {@link #NONE}. */
  private final Path file;
  private final AtomicReference<Object> opened = new AtomicReference<>(NOT_SEEN);
  private final AtomicBoolean reported = new AtomicBoolean();

  /** Remembers the file now at {@code file}, or the first one seen there later when there is none yet. */
  FileIdentity(Path file) {
    this.file = file;
    if (file != null) {
      problem();
    }
  }

  /**
   * Refuses a write when the path no longer names the file opened.
   *
   * @throws DatabaseFileGoneException saying what happened and what to do
   */
  void requireSame() {
    String problem = problem();
    if (problem != null) {
      throw new DatabaseFileGoneException(problem);
    }
  }

  /**
   * {@code driver}, which opens no connection once the path names another file: SQLite finds a file's -wal and -shm by its
   * name, so a connection opened on a file moved in beside the old file's -wal reads the old rows from it, and, the last to
   * close, checkpoints them into the new file.
   */
  Driver guarding(Driver driver) {
    return (Driver) Proxy.newProxyInstance(FileIdentity.class.getClassLoader(), new Class<?>[] {Driver.class}, (proxy, method, args) -> {
      if (method.getName().equals("connect")) {
        String problem = problem();
        if (problem != null) {
          throw new SQLException(problem, new DatabaseFileGoneException(problem));
        }
      }
      try {
        return method.invoke(driver, args);
      } catch (InvocationTargetException e) {
        throw e.getCause();
      }
    });
  }

  /** What happened to the file, and what to do, for a person; null while the path names the file opened (and on PostgreSQL). */
  String problem() {
    if (file == null) {
      return null;
    }
    String problem = compare();
    if (problem != null && reported.compareAndSet(false, true)) {
      log.error("{}; every write is refused until then, nothing more is written to the old file", problem);
    } else if (problem == null && reported.compareAndSet(true, false)) {
      log.info("The database file {} is the one the app opened again: writes are accepted again", file);
    }
    return problem;
  }

  private String compare() {
    Object now;
    try {
      Object key = Files.readAttributes(file, BasicFileAttributes.class).fileKey();
      now = key == null ? NO_KEY : key;
    } catch (NoSuchFileException e) {
      return opened.get() == NOT_SEEN || opened.get() == NO_KEY ? null : gone("removed or renamed: there is no file at that path now");
    } catch (IOException e) {
      return null; // not readable (permissions): SQLite's own statement fails and says so
    }
    if (opened.compareAndSet(NOT_SEEN, now)) {
      return null;
    }
    Object was = opened.get();
    return was == NO_KEY || was.equals(now) ? null : gone("replaced: another file is at that path now");
  }

  private String gone(String what) {
    return "the database file " + file + " was removed or replaced while the app ran (" + what + "); restart the app to use the file"
        + " now at that path, or put the old file back";
  }
}
