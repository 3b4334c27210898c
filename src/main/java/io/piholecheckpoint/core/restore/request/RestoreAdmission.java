package io.piholecheckpoint.core.restore.request;

import io.piholecheckpoint.core.archive.work.ArchiveWork;
import io.piholecheckpoint.core.backup.SafeChanges;
import io.piholecheckpoint.core.backup.catalog.Backup;
import io.piholecheckpoint.core.backup.catalog.BackupCatalog;
import io.piholecheckpoint.core.instance.InstanceLabel;
import io.piholecheckpoint.core.registry.InstanceService;
import io.piholecheckpoint.core.restore.parts.RestoreMode;
import io.piholecheckpoint.core.restore.parts.RestoreParts;
import io.piholecheckpoint.core.restore.parts.RestoreRefusedException;
import io.piholecheckpoint.core.restore.parts.RestoreSource;
import io.piholecheckpoint.core.restore.record.Restore;
import io.piholecheckpoint.core.restore.record.RestoreRepository;
import java.time.Clock;
import java.util.List;
import java.util.Optional;

/** A restore asked for: what it names is known, its backup can be restored, and it is recorded queued, saying behind what. */
public final class RestoreAdmission {
  private final RestoreSource sources;
  private final BackupCatalog catalog;
  private final InstanceService instances;
  private final SafeChanges backups;
  private final ArchiveWork work;
  private final RestoreRepository restores;
  private final Clock clock;

  public RestoreAdmission(RestoreSource sources, BackupCatalog catalog, InstanceService instances, SafeChanges backups, ArchiveWork work,
      RestoreRepository restores, Clock clock) {
    this.sources = sources;
    this.catalog = catalog;
    this.instances = instances;
    this.backups = backups;
    this.work = work;
    this.restores = restores;
    this.clock = clock;
  }

  /** @throws io.piholecheckpoint.core.archive.BackupNotFoundException or InstanceNotFoundException when either is unknown */
  public void requireKnown(long backupId, long targetId) {
    catalog.find(backupId);
    instances.find(targetId);
  }

  /** Starts the record of a restore; {@code RestoreRunner.run} carries it out. */
  public Restore begin(long backupId, long targetId, RestoreMode mode) {
    return begin(backupId, targetId, mode, RestoreParts.of(mode, null), Optional.empty());
  }

  /**
   * Starts the record of a restore of these parts that runs after {@code ahead}: its record names that one (restores run one at
   * a time), or else the backup or sync holding its Pi-hole's turn, not only "waiting for its turn".
   *
   * @throws RestoreRefusedException when the backup does not hold what the parts ask for
   */
  public Restore begin(long backupId, long targetId, RestoreMode mode, RestoreParts parts, Optional<Restore> ahead) {
    Backup source = sources.restorable(backupId);
    // checked now when a turn for archive work is free; else the run checks it when its turn comes, as it does anyway before it
    // changes anything: waiting here held the request up to ARCHIVE_BUSY_WAIT_SECONDS, then refused it while backups ran
    Optional<ArchiveWork.Permit> turn = work.takeNow();
    try {
      turn.ifPresent(permit -> sources.verified(source));
    } finally {
      turn.ifPresent(ArchiveWork.Permit::close);
    }
    instances.findCurrent(targetId); // a removed target is refused before anything is recorded or contacted
    sources.requireParts(source, mode, parts);
    String behind = ahead.map(r -> ": behind restore %d to %s".formatted(r.id(), InstanceLabel.of(r.targetId(), instances::lookUp)))
        .or(() -> backups.heldBy(targetId).map(what -> ": " + what + " is running")).orElse("");
    String message = "waiting for its turn" + behind + (turn.isPresent() ? "" : work.busyWith()
        .map(busy -> "; backup %d is checked when %s lets it".formatted(backupId, busy))
        .orElse("; backup %d is checked when other archive work (backups' checks, previews, diffs) lets it".formatted(backupId)));
    return restores.insert(new Restore(0, backupId, targetId, mode, Restore.State.QUEUED, null, message, List.of(), List.of(), clock.instant(), null));
  }
}
