package io.piholecheckpoint.web;

import io.piholecheckpoint.core.archive.ArchiveBusyException;
import io.piholecheckpoint.core.archive.ArchiveDamagedException;
import io.piholecheckpoint.core.archive.ArchiveStorageException;
import io.piholecheckpoint.core.archive.BackupNotFoundException;
import io.piholecheckpoint.core.archive.InvalidArchiveException;
import io.piholecheckpoint.core.archive.PassphraseRefusedException;
import io.piholecheckpoint.core.archive.WrongPassphraseException;
import io.piholecheckpoint.core.backup.catalog.BackupConflictException;
import io.piholecheckpoint.core.backup.ServerStoppingException;
import io.piholecheckpoint.core.destination.DestinationConflictException;
import io.piholecheckpoint.core.destination.DestinationDeletedException;
import io.piholecheckpoint.core.destination.DestinationRefusedException;
import io.piholecheckpoint.core.gateway.PiholeException;
import io.piholecheckpoint.core.job.DatabaseBusyException;
import io.piholecheckpoint.core.job.DatabaseFileGoneException;
import io.piholecheckpoint.core.job.DatabaseOutages;
import io.piholecheckpoint.core.offsite.CheckRunningException;
import io.piholecheckpoint.core.offsite.copy.CopyDamagedException;
import io.piholecheckpoint.core.offsite.remote.DestinationDisabledException;
import io.piholecheckpoint.core.offsite.remote.DestinationNotFoundException;
import io.piholecheckpoint.core.recovery.AdoptionRunningException;
import io.piholecheckpoint.core.recovery.copies.CopyUnreachableException;
import io.piholecheckpoint.core.registry.InstanceConflictException;
import io.piholecheckpoint.core.registry.InstanceNameTakenException;
import io.piholecheckpoint.core.registry.InstanceNotFoundException;
import io.piholecheckpoint.core.restore.parts.RestoreRefusedException;
import io.piholecheckpoint.core.settings.ValidationException;
import io.piholecheckpoint.core.sync.SyncConflictException;
import io.piholecheckpoint.core.sync.groups.SyncGroupNotFoundException;
import io.piholecheckpoint.core.syncgroup.SyncGroupConflictException;
import io.piholecheckpoint.core.syncgroup.SyncGroupRefusedException;
import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLTransientConnectionException;
import java.util.Map;
import java.util.Optional;

/**
 * The one table from the core's exceptions to HTTP answers, read by the API (as JSON) and by the
 * pages (as the error page) alike. An exception not listed here is not the caller's fault: it
 * goes to the container and comes back through {@link ErrorServlet} as a 500.
 */
public final class HttpErrors {
  private HttpErrors() {
  }

  /**
   * One answer: {@code message} is what the API says, {@code title} and {@code pageMessage} what
   * a page shows (a page speaks to a person; the API keeps the words clients already parse).
   *
   * @param field the one request field or parameter at fault, else null
   * @param fields the field errors of a validation failure, else null
   * @param retryAfterSeconds when to come back, for a 503 that will pass; else null
   */
  public record Answer(int status, String code, String message, String title, String pageMessage, String field,
                       Map<String, String> fields, Long retryAfterSeconds) {
    static Answer of(int status, String code, String message, String title, String pageMessage) {
      return new Answer(status, code, message, title, pageMessage, null, null, null);
    }
  }

  /**
   * What to do about an archive that cannot be read, for the case it is: the passphrase only where it was used, an encrypted
   * archive opened with it (a wrong one is {@link WrongPassphraseException}, with its own advice); else the file or its disk,
   * which is all a plain archive can be.
   */
  private static String unreadableAdvice(ArchiveStorageException e) {
    if (e.encrypted()) {
      return "It is encrypted: start Pi-hole Checkpoint with the BACKUP_ENCRYPTION_PASSPHRASE that encrypted it; if that is the one"
          + " set, the file is damaged: put it back from a copy of BACKUP_DIR or an off-site copy, or use another backup.";
    }
    return "The file in BACKUP_DIR is damaged or missing, or its disk could not be read: check the disk and its free space, put the"
        + " file back from a copy of BACKUP_DIR or an off-site copy, or use another backup.";
  }

  /** The answer to {@code e}, or empty for an exception that is a fault on our side. */
  public static Optional<Answer> of(RuntimeException e) {
    String m = e.getMessage();
    Answer answer;
    if (e instanceof InstanceNotFoundException) {
      answer = Answer.of(404, "instance_not_found", m, "Not found", "There is no such Pi-hole instance.");
    } else if (e instanceof SyncGroupNotFoundException) {
      answer = Answer.of(404, "sync_group_not_found", m, "Not found", m + ".");
    } else if (e instanceof BackupNotFoundException) {
      answer = Answer.of(404, "backup_not_found", m, "Not found", m + ".");
    } else if (e instanceof DestinationNotFoundException) {
      answer = Answer.of(404, "destination_not_found", m, "Not found", m + ".");
    } else if (e instanceof AdoptionRunningException) {
      answer = Answer.of(409, "adoption_running", m, "Not possible", m);
    } else if (e instanceof CheckRunningException) {
      answer = Answer.of(409, "check_running", m, "Not possible", m + ".");
    } else if (e instanceof DestinationDisabledException) {
      answer = Answer.of(409, "destination_disabled", m, "Not possible", m + ".");
    } else if (e instanceof DestinationDeletedException) {
      answer = Answer.of(409, "destination_deleted", m, "Not possible", m + ".");
    } else if (e instanceof DestinationConflictException) {
      answer = Answer.of(409, "destination_conflict", m, "Not possible", m + ".");
    } else if (e instanceof DestinationRefusedException) {
      answer = Answer.of(422, "destination_refused", m, "These settings cannot work", m + ".");
    } else if (e instanceof SyncConflictException) {
      answer = Answer.of(409, "sync_conflict", m, "Not possible", m);
    } else if (e instanceof SyncGroupConflictException) {
      answer = Answer.of(409, "sync_group_conflict", m, "Not possible", m + ".");
    } else if (e instanceof SyncGroupRefusedException) {
      answer = Answer.of(422, "sync_group_refused", m, "This group cannot work", m + ".");
    } else if (e instanceof RestoreRefusedException) {
      // the request is understood but cannot be carried out with this backup: no other time or state would change that
      answer = Answer.of(422, "restore_refused", m, "This restore cannot work", m + ".");
    } else if (e instanceof BackupConflictException) {
      answer = Answer.of(409, "backup_conflict", m, "Not possible", m);
    } else if (e instanceof InstanceConflictException) {
      answer = Answer.of(409, "instance_conflict", m, "Not possible", m);
    } else if (e instanceof InstanceNameTakenException taken) {
      String says = taken.fieldErrors().get("name");
      answer = new Answer(409, "instance_conflict", says, "Not possible", says, "name", taken.fieldErrors(), null);
    } else if (e instanceof ValidationException v) {
      answer = new Answer(400, "validation_failed", "Some fields are not valid.", "Bad request", "Some fields are not valid.",
          null, v.fieldErrors(), null);
    } else if (e instanceof InvalidArchiveException) {
      String says = "This is not a usable Teleporter archive: " + m;
      answer = Answer.of(422, "invalid_archive", says, "Not a Teleporter archive", says);
    } else if (e instanceof ArchiveBusyException busy) {
      answer = new Answer(503, "archive_busy", m, "Busy", m, null, null, busy.retryAfterSeconds());
    } else if (e instanceof CopyDamagedException) {
      // not a failure that passes (503) nor a backup that is unknown (404): the stored backup cannot be read, whoever asks
      answer = Answer.of(409, "offsite_copy_damaged", m, "The off-site copy failed verification", "This backup cannot be read: " + m + ".");
    } else if (e instanceof CopyUnreachableException) {
      // it passes, though not by waiting: once a destination that holds it is in use again, which the message names
      answer = Answer.of(503, "offsite_copy_unreachable", m, "The off-site copy is out of reach", "This backup cannot be read now: " + m + ".");
    } else if (e instanceof ArchiveDamagedException) {
      // permanent, as a damaged off-site copy: trying again does not mend it, another backup (or the file put back) does
      answer = Answer.of(409, "archive_damaged", m, "The archive is damaged", "This backup cannot be read: " + m + ".");
    } else if (e instanceof PassphraseRefusedException) {
      // an import refused as every new archive is while the passphrase does not open the archives' check file: nothing was kept
      answer = Answer.of(409, "wrong_passphrase", m, "No archive is written with this passphrase", m + ".");
    } else if (e instanceof WrongPassphraseException) {
      // not temporary (503): every try fails the same until the passphrase the archive was written with is set
      answer = Answer.of(409, "wrong_passphrase", m, "This archive cannot be decrypted", "The archive of this backup cannot be decrypted: " + m
          + (m.endsWith("?") ? " " : ". ") + "Start Pi-hole Checkpoint with the BACKUP_ENCRYPTION_PASSPHRASE that encrypted it.");
    } else if (e instanceof ArchiveStorageException storage) {
      answer = Answer.of(503, "storage_error", m, "This archive cannot be read", "The archive of this backup cannot be read: " + m
          + ". " + unreadableAdvice(storage));
    } else if (e instanceof ServerStoppingException) {
      answer = Answer.of(503, "stopping", m, "Stopping", m);
    } else if (e instanceof PiholeException p) {
      answer = Answer.of(p.failure() == PiholeException.Failure.TIMEOUT ? 504 : 502, p.failure().code(), m, "The Pi-hole did not answer", m);
    } else if (e instanceof Json.BadRequestException b) {
      answer = new Answer(b.status(), b.code(), m, b.status() == 404 ? "Not found" : "Bad request", m + ".", b.field(), null, null);
    } else if (DatabaseFileGoneException.in(e).isPresent()) {
      // our side, and it does not pass by waiting (no Retry-After): the person who moved the file must restart or put it back
      String says = DatabaseFileGoneException.in(e).get().getMessage();
      answer = Answer.of(503, "storage_error", says, "The database file was removed or replaced", says + ". Nothing was written.");
    } else if (DatabaseOutages.unwritable(e) != null) {
      // our side and passing once space is freed or the disk takes writes again: no fault of the request (400) nor a bug (500)
      String says = DatabaseOutages.unwritable(e);
      answer = Answer.of(503, "storage_error", says, says.contains("full") ? "The database's disk is full" : "The database cannot be"
          + " written", says + ". Nothing was written; try again once that is fixed.");
    } else if (unreachableDatabase(e) != null) {
      // the driver's message is sentences of its own, ending in a period: the sentences added here follow it without a second
      String says = "database unreachable: " + withoutFinalPeriod(unreachableDatabase(e).getMessage());
      answer = new Answer(503, "database_unreachable", says, "The database cannot be reached", says + ". It is tried again at the next "
          + "request; check that the database server runs and DATABASE_URL points at it.", null, null, 30L);
    } else if (DatabaseBusyException.in(e).isPresent()) {
      answer = busy(DatabaseBusyException.in(e).get());
    } else if (poolExhausted(e)) {
      String says = "database busy: every connection of this node is in use; try again in a few seconds";
      answer = new Answer(503, "database_busy", says, "The database is busy", says + ". If this happens often, fewer requests at once help.",
          null, null, 5L);
    } else {
      return Optional.empty();
    }
    return Optional.of(answer);
  }

  /**
   * A statement the database refused for waiting on another session, as the persistence adapter typed it: whether it read
   * or wrote (a write says nothing was written: its transaction is rolled back) and what cut its wait.
   */
  private static Answer busy(DatabaseBusyException busy) {
    boolean read = busy.access() == DatabaseBusyException.Access.READ;
    String says = switch (busy.limit()) {
      // 57014: a read cancelled at its limit
      case READ_LIMIT -> "database busy: a read waited longer than it may (10 s), most likely for a lock another database session"
          + " holds on a table; try again in a few seconds";
      // 55P03: refused at lock_timeout, which bounds a plain read's wait for a lock too (a LOCK TABLE's ACCESS EXCLUSIVE stops
      // reads): a read then says it was a read, not that a write was refused
      case LOCK_WAIT -> read
          ? "database busy: a read waited longer than it may (DATABASE_LOCK_WAIT_SECONDS, or 10 s if that is less) for a lock another"
              + " database session holds on a table; try again in a few seconds"
          : "database busy: a write waited longer than it may (DATABASE_LOCK_WAIT_SECONDS) for a lock another database session holds;"
              + " nothing was written; try again in a few seconds";
      // SQLite: its busy_timeout ran out on the file's write lock, which a transaction takes at BEGIN, reading or not
      case FILE_LOCKED -> "database busy: a " + (read ? "read" : "write") + " waited longer than it may (5 s) for the database file,"
          + " which another connection holds locked;" + (read ? "" : " nothing was written;") + " try again in a few seconds";
      case POOL_WAIT -> "database busy: every database connection of the server was in use for 10 s;" + (read ? "" : " nothing was written;")
          + " try again in a few seconds";
    };
    return new Answer(503, "database_busy", says, "The database is busy", says + ". If it lasts, " + busy.whereToLook() + ".", null,
        null, 5L);
  }

  private static String withoutFinalPeriod(String m) {
    String trimmed = m == null ? "" : m.strip();
    return trimmed.endsWith(".") ? trimmed.substring(0, trimmed.length() - 1) : trimmed;
  }

  /**
   * The failure to get a connection at all (SQLState class 08, as JDBC drivers and the pool report
   * it), or the server going down under one (57P01–57P03: a restart), wherever the persistence layer
   * wrapped it: the database server is down or out of reach, which passes, and no request is at fault.
   * A query that failed on a live connection is not one of these.
   */
  private static SQLException unreachableDatabase(Throwable e) {
    for (Throwable t = e; t != null && t.getCause() != t; t = t.getCause()) {
      if (t instanceof SQLTransientConnectionException || t instanceof SQLNonTransientConnectionException
          || t instanceof SQLException sql && DatabaseOutages.outageCode(sql.getSQLState())) {
        return (SQLException) t;
      }
    }
    return null;
  }

  /**
   * No connection free within the pool's wait (commons-pool's timeout, under the pool's SQLException): a burst of requests
   * that passes, no fault of the request nor a bug — the request may have committed nothing, and is to be sent again.
   */
  private static boolean poolExhausted(Throwable e) {
    for (Throwable t = e; t != null && t.getCause() != t; t = t.getCause()) {
      if (t instanceof SQLException && t.getCause() instanceof java.util.NoSuchElementException) {
        return true;
      }
    }
    return false;
  }

  /**
   * A Pi-hole's certificate fetched to pin it: a URL that cannot be probed is the caller's 400,
   * and any other failure, a timeout too, is the Pi-hole's 502.
   */
  public static Answer ofCertificateProbe(PiholeException e) {
    return Answer.of(e.failure() == PiholeException.Failure.MISCONFIGURED ? 400 : 502, e.failure().code(), e.getMessage(),
        "The Pi-hole did not answer", e.getMessage());
  }

  /** A code a script can switch on, for the statuses the container answers by itself. */
  public static String code(int status) {
    return switch (status) {
      case 400 -> "bad_request";
      case 404 -> "not_found";
      case 405 -> "method_not_allowed";
      case 413 -> "too_large";
      case 414 -> "uri_too_long";
      case 431 -> "headers_too_large";
      default -> status >= 500 ? "internal_error" : "error";
    };
  }
}
