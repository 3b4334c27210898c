package io.piholecheckpoint.core.backup.runs;

import io.piholecheckpoint.core.archive.ArchiveStorageException;
import io.piholecheckpoint.core.archive.ArchiveStore;
import io.piholecheckpoint.core.archive.OutOfSpace;
import io.piholecheckpoint.core.archive.PassphraseRefusedException;
import io.piholecheckpoint.core.backup.catalog.Backup;
import io.piholecheckpoint.core.backup.catalog.BackupCatalog;
import io.piholecheckpoint.core.gateway.PiholeException;
import io.piholecheckpoint.core.instance.ConnectionStatus;
import io.piholecheckpoint.core.instance.PiholeInstance;
import io.piholecheckpoint.core.job.DatabaseBusyException;
import io.piholecheckpoint.core.job.DatabaseFileGoneException;
import io.piholecheckpoint.core.job.DatabaseTrouble;
import io.piholecheckpoint.core.job.JobFailures;
import io.piholecheckpoint.core.registry.InstanceDeletedException;
import io.piholecheckpoint.core.registry.InstanceNotFoundException;
import io.piholecheckpoint.core.registry.InstanceService;
import io.piholecheckpoint.core.units.LogText;
import java.time.Clock;
import java.time.Instant;
import java.util.Locale;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How a backup run that kept no archive ends on record: what failed (the Pi-hole, the disk, the database, a stop, or
 * something nobody classified) decides the record's words and code, and what the instance's status says.
 */
final class FailedRuns {
  private static final Logger log = LoggerFactory.getLogger(FailedRuns.class);
  private final InstanceService instances;
  private final BackupCatalog catalog;
  private final ArchiveStore archives;
  private final RunEnd ends;
  private final Clock clock;
  private final BooleanSupplier stopping;

  /**
   * @param catalog learns of a lack of space, for /health and the pages
   * @param stopping whether the server is stopping: what fails then may fail for that alone
   */
  FailedRuns(InstanceService instances, BackupCatalog catalog, ArchiveStore archives, RunEnd ends, Clock clock, BooleanSupplier stopping) {
    this.instances = instances;
    this.catalog = catalog;
    this.archives = archives;
    this.ends = ends;
    this.clock = clock;
    this.stopping = stopping;
  }

  /**
   * The record of the run that failed with {@code e}, written with the run's end.
   *
   * @throws InstanceDeletedException when the instance was deleted meanwhile: no record can name it any more
   */
  Backup record(PiholeInstance instance, Backup.Trigger trigger, Instant started, RuntimeException e) {
    if (e instanceof PiholeException pihole) {
      return piholeFailed(instance, trigger, started, pihole);
    }
    if (cutOffByStop(e)) {
      return recordCancelled(instance, trigger, started);
    }
    if (e instanceof PassphraseRefusedException refused) {
      // refused before anything was received: said once at the start (ERROR), and on each run's record, with what to do
      log.warn("Backup of Pi-hole '{}' refused: {}", LogText.withoutControls(instance.name()), refused.getMessage());
      return ends.write(Backup.failed(instance.id(), trigger, "wrong_passphrase", refused.getMessage(), started, clock.instant()), null);
    }
    if (e instanceof ArchiveStorageException storage) {
      return notStored(instance, trigger, started, storage);
    }
    if (!(e instanceof InstanceNotFoundException) && instances.lookUp(instance.id()).isEmpty()) {
      throw deletedDuring(instance, e); // no record can name it any more (its row is gone): not an unexpected failure
    }
    return recordUnexpected(instance, trigger, started, e);
  }

  private Backup piholeFailed(PiholeInstance instance, Backup.Trigger trigger, Instant started, PiholeException e) {
    log.warn("Backup of Pi-hole '{}' failed: {}", instance.name(), e.getMessage());
    Backup failed = Backup.failed(instance.id(), trigger, e.failure().code(), e.getMessage(), started, clock.instant());
    if (e.failure() == PiholeException.Failure.CANCELLED) {
      return ends.write(failed, null);
    }
    return ends.write(failed, new PiholeInstance.Status(e.failure().status(), e.getMessage(), clock.instant(),
        instance.status().piholeVersion(), instance.status().seatsInUse()));
  }

  private Backup notStored(PiholeInstance instance, Backup.Trigger trigger, Instant started, ArchiveStorageException e) {
    String message = "Backup of Pi-hole '%s' could not be stored: %s".formatted(instance.name(), e.getMessage());
    log.error(message);
    if (e.outOfSpace()) {
      catalog.reportOutOfSpace(new OutOfSpace(clock.instant(), archives.usableBytes()));
    }
    return ends.write(Backup.failed(instance.id(), trigger, "storage_error", message, started, clock.instant()), null);
  }

  private static InstanceDeletedException deletedDuring(PiholeInstance instance, RuntimeException e) {
    String message = "the backup of Pi-hole '%s' failed: the instance was deleted during the backup; nothing was kept".formatted(instance.name());
    log.warn("{} ({})", LogText.withoutControls(message), e.getClass().getSimpleName());
    InstanceDeletedException deleted = new InstanceDeletedException(instance.id(), message);
    deleted.initCause(e);
    return deleted;
  }

  /**
   * A stop interrupts the run's thread: a write, fsync or re-read of the archive under way then fails with a
   * ClosedByInterruptException or InterruptedIOException (message null). That is the stop's doing, not the disk's,
   * and must not show as a storage error telling the user to check BACKUP_DIR.
   */
  private boolean cutOffByStop(RuntimeException e) {
    if (stopping.getAsBoolean() || Thread.currentThread().isInterrupted()) {
      return true;
    }
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof java.nio.channels.ClosedByInterruptException || t instanceof java.io.InterruptedIOException
          || t instanceof InterruptedException) {
        return true;
      }
    }
    return false;
  }

  /** The run cut off by a stop: recorded as cancelled (a waiting request answers 503), its temp files gone with the Download's close. */
  private Backup recordCancelled(PiholeInstance instance, Backup.Trigger trigger, Instant started) {
    String message = "the backup of Pi-hole '%s' was cancelled because Pi-hole Checkpoint is stopping; nothing was kept".formatted(instance.name());
    log.warn("Backup of Pi-hole '{}' failed: {}", LogText.withoutControls(instance.name()), message);
    return ends.write(Backup.failed(instance.id(), trigger, PiholeException.Failure.CANCELLED.code(), message, started, clock.instant()), null);
  }

  /**
   * A busy database is expected and passes (JobFailures): one WARN line without a trace, and only one. A scheduled run's is
   * BackupJob's, which says when it is tried again; a safety backup's is the restore's or sync's that took it, with the
   * record's words; a manual backup's is this one. A database out of reach keeps its ERROR and trace.
   */
  private static void logDatabaseTrouble(PiholeInstance instance, Backup.Trigger trigger, String message, RuntimeException e) {
    if (DatabaseBusyException.in(e).isEmpty()) {
      log.error("Backup of Pi-hole '{}': {}", LogText.withoutControls(instance.name()), message, e);
    } else if (trigger == Backup.Trigger.MANUAL) {
      JobFailures.log(log, e, "%s of Pi-hole '%s'".formatted(triggerName(trigger), LogText.withoutControls(instance.name())),
          "nothing was kept; start it again then");
    }
  }

  /** "Manual backup", "Safety backup", as the log's lines name a run. */
  private static String triggerName(Backup.Trigger trigger) {
    return trigger.name().charAt(0) + trigger.name().substring(1).toLowerCase(Locale.ROOT) + " backup";
  }

  /**
   * A failure nobody classified (a bug, an odd row, a library's surprise) still ends the run
   * with a failed record and the instance's status, so it shows where every other failure shows.
   * Its own text (SQL, row values, a library's internals) stays in the log: the record and the
   * status are shown by the pages and the API.
   */
  private Backup recordUnexpected(PiholeInstance instance, Backup.Trigger trigger, Instant started, RuntimeException e) {
    if (DatabaseFileGoneException.in(e).isPresent()) {
      throw e; // no record can be written until a restart (its archive is deleted already), and the log said so once
    }
    Optional<String> database = DatabaseTrouble.describe(e);
    if (database.isPresent()) {
      // not the Pi-hole's fault nor its settings': said as what it is, and what to do
      String message = "the backup of Pi-hole '%s' could not be completed: %s; nothing was kept, %s".formatted(LogText.withoutControls(instance.name()),
          database.get(), trigger == Backup.Trigger.SCHEDULED ? "and it is tried again" : "start it again then");
      logDatabaseTrouble(instance, trigger, message, e);
      return ends.write(Backup.failed(instance.id(), trigger, DatabaseTrouble.code(e).orElseThrow(), message, started, clock.instant()),
          new PiholeInstance.Status(ConnectionStatus.ERROR, message, clock.instant(), instance.status().piholeVersion(),
              instance.status().seatsInUse()));
    }
    String message = ("the backup of Pi-hole '%s' failed unexpectedly (%s); nothing was kept — the server log has the details;"
        + " check its settings, and report this with the log if it happens again").formatted(instance.name(), e.getClass().getSimpleName());
    log.error("{} of Pi-hole '{}' failed unexpectedly", triggerName(trigger), LogText.withoutControls(instance.name()), e);
    String shown = LogText.withoutControls(message);
    return ends.write(Backup.failed(instance.id(), trigger, "internal_error", shown, started, clock.instant()),
        new PiholeInstance.Status(ConnectionStatus.ERROR, shown, clock.instant(), instance.status().piholeVersion(), instance.status().seatsInUse()));
  }
}
