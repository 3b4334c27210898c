package io.piholecheckpoint.core.restore;

import io.piholecheckpoint.core.backup.SafeChanges;
import io.piholecheckpoint.core.backup.events.Events;
import io.piholecheckpoint.core.instance.InstanceLabel;
import io.piholecheckpoint.core.job.DatabaseOutages;
import io.piholecheckpoint.core.registry.InstanceService;
import io.piholecheckpoint.core.restore.record.Restore;
import io.piholecheckpoint.core.restore.record.RestoreRepository;
import java.time.Clock;
import java.util.List;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How a restore's end is recorded: one that never started or failed before its check worded as {@link RestoreOutcome} words it,
 * the safety backup of one that applied nothing deleted again, the outcome written through a database outage, then told.
 */
public final class RestoreEnd {
  private static final Logger log = LoggerFactory.getLogger(RestoreRunner.class); // a restore's lines under one name, as RestoreOutcome's

  private final SafeChanges backups;
  private final InstanceService instances;
  private final RestoreRepository restores;
  private final DatabaseOutages outages;
  private final Events events;
  private final RestoreStop stop;
  private final Clock clock;

  /** @param outages carries a restore's outcome through a database outage: unrecorded, it would stay "running" and block the next */
  public RestoreEnd(SafeChanges backups, InstanceService instances, RestoreRepository restores, DatabaseOutages outages, Events events,
      RestoreStop stop, Clock clock) {
    this.backups = backups;
    this.instances = instances;
    this.restores = restores;
    this.outages = outages;
    this.events = events;
    this.stop = stop;
    this.clock = clock;
  }

  /** A queued restore whose turn came after the stop: nothing was changed. */
  Restore notStarted(Restore restore) {
    Restore done = RestoreOutcome.finished(restore, Restore.State.FAILED, null, "not started: Pi-hole Checkpoint stopped before this restore's"
        + " turn; nothing was changed — ask for it again once it runs", List.of(), List.of(), clock.instant());
    log.info("Restore {} of backup {} to instance {}: {}", done.id(), done.backupId(), done.targetId(), done.message());
    return done;
  }

  /** A restore that {@code e} (or the stop) ended before its check. */
  Restore failed(RestoreOutcome.Progress progress, RuntimeException e) {
    return RestoreOutcome.failed(progress, e, stop.stopping(), clock.instant());
  }

  /** Records the outcome and tells it; the record as recorded. */
  Restore record(Restore outcome) {
    Restore done = outcome.state() == Restore.State.FAILED && outcome.snapshotId() != null ? withoutSafetyBackup(outcome) : outcome;
    outages.record("the outcome (%s) of restore %d to instance %d".formatted(done.state().name().toLowerCase(Locale.ROOT), done.id(),
        done.targetId()), () -> restores.update(done));
    if (done.state() == Restore.State.UNVERIFIED) {
      events.restoreUnverified(instances.find(done.targetId()), done.message());
    } else {
      events.restoreFinished(instances.find(done.targetId()), done.state() == Restore.State.VERIFIED, done.message());
    }
    return done;
  }

  /**
   * A failed restore applied nothing (else it would be unverified): the safety backup it took holds what the Pi-hole still
   * holds, so it is deleted. Unpinned and left to retention, each refused attempt's copy counted toward MAX_BACKUPS and pushed
   * ordinary backups out, the restored one among them. Its record then links none, and says why.
   */
  private Restore withoutSafetyBackup(Restore failed) {
    long snapshotId = failed.snapshotId();
    try {
      backups.discardSafetyBackup(snapshotId, "(the safety backup of restore %d of backup %d to %s, which failed with nothing applied)"
          .formatted(failed.id(), failed.backupId(), InstanceLabel.of(failed.targetId(), instances::lookUp)));
    } catch (RuntimeException e) {
      log.warn("Restore {} changed nothing, but its safety backup {} could not be deleted: {}; it stays pinned — delete it by hand",
          failed.id(), snapshotId, e.getMessage());
      return failed;
    }
    return new Restore(failed.id(), failed.backupId(), failed.targetId(), failed.mode(), failed.state(), null,
        failed.message() + " (safety backup " + snapshotId + " was deleted again: nothing was applied, so it held what the Pi-hole still holds)",
        failed.refusedSettings(), failed.differences(), failed.startedAt(), failed.finishedAt());
  }
}
