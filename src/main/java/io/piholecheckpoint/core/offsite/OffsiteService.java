package io.piholecheckpoint.core.offsite;

import io.piholecheckpoint.core.backup.catalog.Backup;
import io.piholecheckpoint.core.instance.PiholeInstance;
import io.piholecheckpoint.core.offsite.catalog.OffsiteCatalog;
import io.piholecheckpoint.core.offsite.copy.CopyRunner;
import io.piholecheckpoint.core.offsite.copy.RunTicks;
import io.piholecheckpoint.core.offsite.copy.Uploads;
import io.piholecheckpoint.core.offsite.lanes.CopyLanes;
import io.piholecheckpoint.core.offsite.lanes.LaneStart;
import io.piholecheckpoint.core.offsite.queue.Copy;
import io.piholecheckpoint.core.offsite.queue.CopyRepository;
import io.piholecheckpoint.core.offsite.remote.OffsiteTarget;
import io.piholecheckpoint.core.offsite.remote.OffsiteTargets;
import io.piholecheckpoint.core.units.LogText;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Off-site copies, the use cases: queue a backup's copies, catch up on older ones, work through
 * the queue (the scheduler's job), prune there, re-check copies there (the daily round), and tell
 * the alerts how each destination is doing ({@link DestinationReports}). What pages, API, metrics and
 * health read of them is {@link io.piholecheckpoint.core.offsite.catalog.OffsiteCatalog}'s.
 */
public final class OffsiteService {
  /** Copies re-read from each destination every day, at least: a sample, so that a problem is seen within a day or so. */
  static final int RECHECK_SAMPLE = 3;
  /** Every verified copy is re-read at least this often (the daily round takes those it is due for). */
  static final Duration RECHECK_ALL_EVERY = Duration.ofDays(7);
  /** The daily round starts at a slightly different instant each day: a copy checked 6½ days ago is due. */
  private static final Duration FIRE_TIME_SLACK = Duration.ofHours(12);
  private static final Logger log = LoggerFactory.getLogger(OffsiteService.class);
  private final CopyRunner runner;
  private final CopyRepository copies;
  private final RemotePruning pruning;
  private final Clock clock;
  private final DestinationReports reports;
  private final LaneStart firstRun;
  /** When this process's off-site copies were set up: copies failing since before then are tried at once by its first run. */
  private final Instant started;
  private final CopyLanes lanes;
  /** Per destination, the newest backup id when its catch-up last ran; absent before its first run in this process. Each lane uses its own. */
  private final Map<String, Long> caughtUpTo = new ConcurrentHashMap<>();

  public OffsiteService(CopyRunner runner, CopyRepository copies, RemotePruning pruning, Clock clock) {
    this(runner, copies, pruning, clock, OffsiteAlerts.NONE, d -> { });
  }

  /** @param alerts told after every run how each destination does, as a catalogue over the runner's destinations reads it */
  public OffsiteService(CopyRunner runner, CopyRepository copies, RemotePruning pruning, Clock clock, OffsiteAlerts alerts, LaneStart firstRun) {
    this(runner, copies, pruning, clock, new DestinationReports(new OffsiteCatalog(runner.targetSet(), copies, clock), alerts, clock), firstRun,
        null);
  }

  /**
   * @param runner the copies made and checked, over the destinations in use and those left out with why
   *     ({@link OffsiteTargets#disabled}: listed too, so that a typo shows beside the others)
   * @param reports what the alerts are told after every run and every re-check
   * @param firstRun what the first run of a destination's copies does before any copy (the adoption of
   *     what it holds), and what each later run does first: once the scheduler runs, never holding up the start
   * @param lanes where each destination's copies run; null: one after another, in the caller's thread
   */
  public OffsiteService(CopyRunner runner, CopyRepository copies, RemotePruning pruning, Clock clock, DestinationReports reports, LaneStart firstRun,
                        CopyLanes lanes) {
    this.lanes = lanes != null ? lanes : this::runDestination;
    this.reports = reports;
    this.firstRun = firstRun;
    this.runner = runner;
    this.copies = copies;
    this.pruning = pruning;
    this.clock = clock;
    this.started = clock.instant();
  }

  /** Whether any destination is set, used or disabled: whether the scheduler runs the off-site job. */
  public boolean configured() {
    return runner.targetSet().configured();
  }

  /**
   * The destinations in use, which those added here replace ({@code core.destination}); after a
   * change the next run catches up, so a new destination gets the backups it keeps.
   */
  public OffsiteTargets targetSet() {
    return runner.targetSet();
  }

  /** A destination was added, changed or deleted: the next run catches up on every destination. */
  public void destinationsChanged() {
    caughtUpTo.clear();
  }

  /** One pending copy per destination that takes the instance; a failed backup has nothing to copy. */
  public void queue(PiholeInstance instance, Backup backup) {
    if (!backup.successful() || backup.fileName() == null) {
      return;
    }
    Instant now = clock.instant();
    List<Copy> queued = new ArrayList<>();
    for (OffsiteTarget target : runner.targets()) {
      if (target.takes(instance)) {
        queued.add(Copy.queued(backup.id(), instance.id(), target.name(), backup.fileName(),
            Uploads.remoteKey(instance.slug(), backup.fileName(), target.encrypt()), backup.finishedAt(), now));
      }
    }
    if (!queued.isEmpty()) {
      copies.enqueue(queued);
    }
  }

  /** {@link #runDue()} of the run the scheduler fired as {@code ticks} say: the retries it records are given runs' times. */
  public int runDue(RunTicks ticks) {
    runner.ranAt(ticks);
    return runDue();
  }

  /**
   * The scheduler's off-site job: each destination's copies started in its own lane
   * ({@link #runDestination}). Last, the alerts hear how each destination does.
   *
   * @return the copies verified by the time it returns (those of lanes that ran in this thread)
   */
  public int runDue() {
    int dropped = copies.dropUnmadeOfBackupsGone();
    if (dropped > 0) {
      log.info("{} off-site cop(ies) not made yet dropped from the queue: their backups were deleted before they were copied", dropped);
    }
    int queued = runner.sendAgainWhereArchiveBack();
    if (queued > 0) {
      log.info("{} off-site cop(ies) given up for want of their archive queued again: the archive is on this disk again", queued);
    }
    int verified = 0;
    for (OffsiteTarget target : runner.targets()) {
      verified += lanes.start(target.name());
    }
    reports.afterRun();
    return verified;
  }

  /**
   * One destination's lane: at its first run in this process what it holds is adopted and its first
   * copy waiting out a backoff is due at once, then the catch-up of backups it never got, its due
   * copies attempted, then its retention for the instances it got new copies of; a destination that
   * took a copy works again, so its copies waiting out a backoff are due at once.
   *
   * @return how many copies were verified
   */
  public int runDestination(String name) {
    Optional<OffsiteTarget> target = runner.target(name);
    if (target.isEmpty()) {
      return 0;
    }
    if (!caughtUpTo.containsKey(name)) {
      copies.moveTo(name, target.get().destination().describe(), clock.instant()).ifPresent(before -> log.warn(
          "Off-site {} now writes to {}, not {}: its copies there no longer count, and what it keeps is copied again",
          LogText.of(name), LogText.of(target.get().destination().describe()), LogText.of(before)));
      firstRun.firstRun(name); // adopted first: the catch-up then finds those backups already copied there
      // a start is often what fixed the destination (a share mounted, a setting corrected, a destination enabled again): one
      // copy that was failing before it tries it now rather than after its backoff; if it is copied, the others are due at
      // once as below. Failures since the start keep their backoff: nothing was changed for them
      copies.firstDueNow(name, started, clock.instant());
      copies.heldDueNow(name, clock.instant()); // held for the passphrase: this start's may open their archives
    } else {
      firstRun.laterRun(name);
    }
    pruning.finishClaimedDeletions(target.get());
    catchUpWhenBackupsAppeared(target.get());
    List<Copy> verified = new ArrayList<>(runner.runDue(target.get()));
    if (!verified.isEmpty()) {
      copies.dueNow(name, clock.instant());
      // tried now, in this run: only marked due, they waited for the destination's next run, up to a minute later, while
      // the API showed the time they were marked due, already past, and the log the backoff's end
      verified.addAll(runner.runDue(target.get()));
    }
    Set<Long> pruned = new LinkedHashSet<>();
    for (Copy copy : verified) {
      if (pruned.add(copy.instanceId())) {
        pruning.prune(target.get(), copy.instanceId());
      }
    }
    return verified.size();
  }

  /**
   * At start, when no other node runs: the deletions claimed at destinations that are not in use here (removed from the
   * configuration, or disabled) are given back. No pruning of theirs runs to finish them, and each claim would keep its
   * backup from being pinned, and its copy from being fetched, for good.
   *
   * @return how many claims were given back
   */
  public int releaseClaimsOfDestinationsGone() {
    int released = copies.releaseClaimsExcept(runner.targets().stream().map(OffsiteTarget::name).toList());
    if (released > 0) {
      log.info("{} off-site cop(ies) claimed for deletion at a destination no longer in use are kept: their backups can be pinned again",
          released);
    }
    return released;
  }

  /**
   * Pi-hole Checkpoint is stopping: uploads under way are cut off, and their copies stay as they
   * were queued (not failed), sent again at the next start. The destinations' clients are closed
   * too: a client waiting for a store that stopped answering may not let go on an interrupt (S3's
   * does not) but does when its connection is closed.
   */
  public void stop() {
    runner.stop();
    close();
  }

  /**
   * At the first run after a start, and whenever a backup appeared since (an import, an archive
   * found in the backup directory, a new backup), the destination catches up on the backups it
   * keeps and never got. One cheap query a minute decides.
   */
  private void catchUpWhenBackupsAppeared(OffsiteTarget target) {
    long newest = copies.newestBackupId();
    if (!Long.valueOf(newest).equals(caughtUpTo.get(target.name()))) {
      pruning.catchUpAll(target);
      caughtUpTo.put(target.name(), newest);
    }
  }

  /**
   * The daily round off-site: each destination's retention for every instance it takes (so that
   * a changed retention prunes without waiting for a backup), then the re-check of copies there.
   */
  public void runDaily() {
    Instant overdue = clock.instant().minus(RECHECK_ALL_EVERY.minus(FIRE_TIME_SLACK));
    for (OffsiteTarget target : runner.targets()) {
      int pruned = pruning.pruneAll(target);
      CopyRunner.Recheck found = runner.recheck(target, overdue, RECHECK_SAMPLE);
      reports.afterRecheck(target.name(), found);
      log.info("Off-site {}: {} cop(ies) deleted by its retention, {} re-checked as sent, {} vanished or changed", target.name(), pruned,
          found.sound(), found.problems().size());
    }
  }

  /**
   * A backup deleted by hand: its copies are claimed for deletion at every destination, whatever its retention says there, and
   * each destination's next run deletes them (manifest first, so that no adoption finds them half-deleted); one that fails keeps
   * its claim and is tried again at the following run. The records of those copies stay until then.
   *
   * @return how many copies are to be deleted
   */
  public int deleteCopiesOf(Backup backup) {
    List<String> at = copies.findByBackup(backup.id()).stream().map(Copy::destination).toList();
    int marked = copies.markBackupDeleted(backup.id());
    if (marked > 0) {
      log.info("Backup {} ({}) was deleted: {} at {} {} deleted there at the next run", backup.id(), LogText.of(backup.fileName()),
          marked == 1 ? "its off-site copy" : "its " + marked + " off-site copies", String.join(", ", at), marked == 1 ? "is" : "are");
    }
    return marked;
  }

  /**
   * The backup's archive was verified on this disk again: its copies given up for want of it are
   * queued to be sent again.
   *
   * @return how many were queued
   */
  public int archiveBack(long backupId) {
    int queued = copies.sendAgain(backupId, clock.instant());
    if (queued > 0) {
      log.info("The archive of backup {} is on this disk again: {} off-site {} given up without it queued to be sent again", backupId, queued,
          queued == 1 ? "copy" : "copies");
    }
    return queued;
  }

  /** The destinations in use (not those disabled): where its runs go, a lane each. */
  public List<OffsiteTarget> targets() {
    return runner.targets();
  }

  /** Closes the destinations' clients, cutting off what they are doing; at a stop, and again at the end. */
  public void close() {
    runner.targets().forEach(t -> t.destination().close());
  }
}
