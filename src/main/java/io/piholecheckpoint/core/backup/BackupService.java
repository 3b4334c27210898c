package io.piholecheckpoint.core.backup;

import io.piholecheckpoint.core.instance.ConnectionStatus;
import io.piholecheckpoint.core.instance.InstanceService;
import io.piholecheckpoint.core.instance.PiholeInstance;
import io.piholecheckpoint.core.retention.RetentionService;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs backups and answers questions about them. Backups of one instance never overlap: a
 * manual run while another is in progress is refused, a scheduled one waits its turn.
 */
public class BackupService {
  private static final Logger log = LoggerFactory.getLogger(BackupService.class);

  private final InstanceService instances;
  private final BackupRepository backups;
  private final ArchiveDownloader downloader;
  private final RetentionService retention;
  private final Clock clock;
  private final Map<Long, ReentrantLock> locks = new ConcurrentHashMap<>();

  public BackupService(InstanceService instances, BackupRepository backups, ArchiveDownloader downloader,
      RetentionService retention, Clock clock) {
    this.instances = instances;
    this.backups = backups;
    this.downloader = downloader;
    this.retention = retention;
    this.clock = clock;
  }

  /**
   * Backs up the instance now and returns the record written, successful or failed.
   *
   * @throws BackupConflictException for a manual run while another backup of it runs, or of
   *     an instance that was removed
   */
  public Backup runBackup(long instanceId, Backup.Trigger trigger) {
    PiholeInstance instance = instances.find(instanceId);
    if (instance.removed()) {
      throw new BackupConflictException("Pi-hole '%s' was removed from the configuration; its backups stay available, but it is no longer backed up"
          .formatted(instance.name()));
    }
    ReentrantLock lock = locks.computeIfAbsent(instanceId, id -> new ReentrantLock());
    if (trigger == Backup.Trigger.SCHEDULED) {
      lock.lock();
    } else if (!lock.tryLock()) {
      throw new BackupConflictException("a backup of '%s' is already running; try again when it has finished".formatted(instance.name()));
    }
    try {
      return backUp(instances.find(instanceId), trigger);
    } finally {
      lock.unlock();
    }
  }

  private Backup backUp(PiholeInstance instance, Backup.Trigger trigger) {
    Instant started = clock.instant();
    try {
      ArchiveDownloader.Download download = downloader.download(instance, started);
      Backup backup = recordSuccess(instance, trigger, download, started);
      instances.recordStatus(instance.id(), new PiholeInstance.Status(ConnectionStatus.OK, null, clock.instant(), download.piholeVersion()));
      log.info("Backed up Pi-hole '{}' ({}): {} ({} bytes)", instance.name(), trigger.name().toLowerCase(), backup.fileName(), backup.sizeBytes());
      retention.prune(instance, clock.instant());
      return backup;
    } catch (PiholeException e) {
      log.warn("Backup of Pi-hole '{}' failed: {}", instance.name(), e.getMessage());
      instances.recordStatus(instance.id(), new PiholeInstance.Status(e.failure().status(), e.getMessage(), clock.instant(), instance.status().piholeVersion()));
      return backups.insert(Backup.failed(instance.id(), trigger, e.failure().code(), e.getMessage(), started, clock.instant()));
    } catch (ArchiveStorageException e) {
      String message = "Backup of Pi-hole '%s' could not be stored: %s".formatted(instance.name(), e.getMessage());
      log.error(message);
      return backups.insert(Backup.failed(instance.id(), trigger, "storage_error", message, started, clock.instant()));
    }
  }

  /** The record is written only once the file is in place; if that fails, the file goes too. */
  private Backup recordSuccess(PiholeInstance instance, Backup.Trigger trigger, ArchiveDownloader.Download download, Instant started) {
    try {
      return backups.insert(Backup.succeeded(instance.id(), trigger, download.archive(), download.piholeVersion(), started, clock.instant()));
    } catch (RuntimeException e) {
      deleteQuietly(download.archive().fileName());
      throw e;
    }
  }

  private void deleteQuietly(String fileName) {
    try {
      downloader.archives().delete(fileName);
    } catch (IOException e) {
      log.error("Could not delete unrecorded archive {}: {} — delete it by hand", fileName, e.getMessage());
    }
  }

  /** An instance with its last successful backup and its most recent attempts. */
  public record InstanceHistory(PiholeInstance instance, Optional<Backup> lastSuccess, List<Backup> recent) {
  }

  /** Every instance with its last {@code perInstance} attempts, for the dashboard. */
  public List<InstanceHistory> overview(int perInstance) {
    return instances.list().stream()
        .map(i -> new InstanceHistory(i, backups.findLatestSuccess(i.id()), backups.findByInstance(i.id(), perInstance)))
        .toList();
  }

  public List<Backup> history(long instanceId, int limit) {
    instances.find(instanceId);
    return backups.findByInstance(instanceId, limit);
  }

  public Optional<Backup> latest() {
    return backups.findLatest();
  }

  public Optional<Backup> latestSuccess(long instanceId) {
    return backups.findLatestSuccess(instanceId);
  }

  /** The archive file of a successful backup. */
  public Path archiveOf(long backupId) {
    Backup backup = backups.findById(backupId).orElseThrow(() -> new BackupNotFoundException("no backup with id " + backupId));
    if (!backup.successful()) {
      throw new BackupNotFoundException("backup " + backupId + " failed and has no archive");
    }
    return downloader.archives().find(backup.fileName())
        .orElseThrow(() -> new BackupNotFoundException("the archive of backup " + backupId + " (" + backup.fileName() + ") is missing from the backup directory"));
  }
}
