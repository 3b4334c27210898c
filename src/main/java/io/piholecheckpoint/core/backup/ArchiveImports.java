package io.piholecheckpoint.core.backup;

import io.piholecheckpoint.core.archive.ArchiveStore;
import io.piholecheckpoint.core.archive.InvalidArchiveException;
import io.piholecheckpoint.core.archive.work.ArchiveWork;
import io.piholecheckpoint.core.backup.catalog.Backup;
import io.piholecheckpoint.core.backup.runs.RunRecords;
import io.piholecheckpoint.core.backup.catalog.Suspicion;
import io.piholecheckpoint.core.instance.PiholeInstance;
import io.piholecheckpoint.core.registry.InstanceService;
import java.io.IOException;
import java.io.InputStream;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Uploaded Teleporter archives added to an instance's history, verified like any backup. */
public final class ArchiveImports {
  private static final Logger log = LoggerFactory.getLogger(ArchiveImports.class);

  private final InstanceService instances;
  private final RunRecords records;
  private final ArchiveStore archives;
  private final ChangeSummary changes;
  private final ArchiveWork work;
  private final Clock clock;

  /** @param work held over a whole import, so that its inspection and change summary take one turn */
  public ArchiveImports(InstanceService instances, RunRecords records, ArchiveStore archives, ChangeSummary changes, ArchiveWork work,
      Clock clock) {
    this.instances = instances;
    this.records = records;
    this.archives = archives;
    this.changes = changes;
    this.work = work;
    this.clock = clock;
  }

  /**
   * Adds an uploaded Teleporter archive to an instance's history, verified like any backup.
   *
   * @throws InvalidArchiveException when it is not a sound Teleporter archive
   * @throws io.piholecheckpoint.core.registry.InstanceConflictException when the instance was removed from the configuration
   */
  public Backup importArchive(long instanceId, InputStream upload) throws IOException {
    PiholeInstance instance = instances.findCurrent(instanceId);
    Instant started = clock.instant();
    List<Backup> earlier = records.baselines(instanceId);
    try (ArchiveWork.Permit permit = work.take();
         ArchiveStore.Incoming incoming = archives.receive(instance.slug(), started, upload, 0)) {
      // flagged by the rule a downloaded archive meets: an import must not become the "last good" backup a wiped Pi-hole is compared with
      Optional<String> suspicion = Suspicion.of(earlier, incoming.inspection());
      String changed = changes.since(earlier, earlier, incoming);
      Backup backup = records.succeeded(instance, Backup.Trigger.IMPORTED, incoming.keep(incoming.inspection().versions()).withChanges(changed),
          suspicion.isPresent(), started, null, false);
      if (suspicion.isPresent()) {
        warnSuspicious(backup, instance, suspicion.get());
      } else {
        log.info("Imported an uploaded archive into the history of '{}' as backup {}", instance.name(), backup.id());
      }
      return backup;
    }
  }

  /** Whether the server is stopping: an upload cut off now was cut off by the stop, not sent malformed. */
  public boolean stopping() {
    return records.stopping();
  }

  /** The one warning of a backup, downloaded or imported, kept but flagged suspicious. */
  static void warnSuspicious(Backup backup, PiholeInstance instance, String why) {
    log.warn("{} {} of Pi-hole '{}' {}; it is kept but flagged suspicious, and does not push older backups out",
        backup.trigger() == Backup.Trigger.IMPORTED ? "Imported backup" : "Backup", backup.id(), instance.name(), why);
  }
}
