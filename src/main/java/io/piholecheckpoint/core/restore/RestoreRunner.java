package io.piholecheckpoint.core.restore;

import io.piholecheckpoint.core.archive.work.ArchiveWork;
import io.piholecheckpoint.core.backup.SafeChanges;
import io.piholecheckpoint.core.instance.InstanceLabel;
import io.piholecheckpoint.core.job.DatabaseOutages;
import io.piholecheckpoint.core.registry.InstanceService;
import io.piholecheckpoint.core.restore.parts.RestoreParts;
import io.piholecheckpoint.core.restore.record.Restore;
import io.piholecheckpoint.core.restore.record.RestoreRepository;

/**
 * Carries out a restore recorded as queued: waits for its Pi-hole's turn and a turn for archive work, saying behind what, then
 * applies it ({@link RestoreApply}: a pinned safety backup first, the import, FTL's restart, the settings, the check) and
 * records how it ended ({@link RestoreEnd}).
 */
public class RestoreRunner {
  private final SafeChanges backups;
  private final InstanceService instances;
  private final RestoreRepository restores;
  private final ArchiveWork work;
  private final RestoreStop stop;
  private final RestoreApply apply;
  private final RestoreEnd end;

  public RestoreRunner(SafeChanges backups, InstanceService instances, RestoreRepository restores, ArchiveWork work, RestoreStop stop,
      RestoreApply apply, RestoreEnd end) {
    this.backups = backups;
    this.instances = instances;
    this.restores = restores;
    this.work = work;
    this.stop = stop;
    this.apply = apply;
    this.end = end;
  }

  /**
   * Carries out a restore begun with {@link io.piholecheckpoint.core.restore.request.RestoreAdmission#begin}; never throws, the
   * outcome goes into the record. Its state tells the truth about the Pi-hole: {@code FAILED} only while nothing was sent that
   * changes it; once something was (or may have been), {@code UNVERIFIED} unless the check afterwards ran.
   */
  public Restore run(Restore restore, RestoreParts parts) {
    RestoreOutcome.Progress progress = new RestoreOutcome.Progress(restore, InstanceLabel.of(restore.targetId(), instances::lookUp),
        DatabaseOutages.skippingWhilePassing(restores::update, "A restore's step"));
    if (stop.stopping()) {
      return end.record(end.notStarted(restore));
    }
    // behind a backup or sync of the same Pi-hole it is still queued (nothing of it has started), and its record says behind what
    backups.heldBy(restore.targetId()).ifPresent(what ->
        restores.update(progress.record = withState(restore, Restore.State.QUEUED, "waiting for its turn: " + what + " is running")));
    Restore done;
    try {
      // its archive work waits for a turn as long as it takes (nobody waits on its answer), and its record says so meanwhile
      done = work.patiently(progress.steps, () -> backups.exclusively(restore.targetId(),
          "a restore to '" + instances.find(restore.targetId()).name() + "'", () -> {
            restores.update(progress.record = withState(progress.record, Restore.State.RUNNING, "started"));
            return apply.apply(progress, parts);
          }));
    } catch (RuntimeException e) {
      done = end.failed(progress, e);
    }
    return end.record(done);
  }

  /**
   * At shutdown: the running restore stops at its next step (its downloads are cut off, a sent
   * import's answer is still awaited briefly) and records how far it got; queued ones do not start.
   */
  public void stop() {
    stop.stop();
  }

  private static Restore withState(Restore r, Restore.State state, String message) {
    return new Restore(r.id(), r.backupId(), r.targetId(), r.mode(), state, r.snapshotId(), message, r.refusedSettings(), r.differences(),
        r.startedAt(), r.finishedAt());
  }
}
