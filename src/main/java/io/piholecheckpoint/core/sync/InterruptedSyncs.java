package io.piholecheckpoint.core.sync;

import io.piholecheckpoint.core.instance.PiholeInstance;
import io.piholecheckpoint.core.schedule.LocalTimeText;
import io.piholecheckpoint.core.sync.groups.SyncGroup;
import io.piholecheckpoint.core.sync.groups.SyncGroupNotFoundException;
import io.piholecheckpoint.core.sync.groups.SyncGroups;
import io.piholecheckpoint.core.sync.runs.SyncRun;
import io.piholecheckpoint.core.sync.runs.SyncRunRepository;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

/** The sync runs a stopped process or node left under way, recorded as interrupted: by the takeover, and for a dead node. */
public class InterruptedSyncs {
  private final SyncGroups groups;
  private final SyncRunRepository runs;
  private final SyncRunner runner;
  private final LocalTimeText times;

  /** @param times TIME_ZONE's, in which the record of a run cut short says when it started, as the Sync page does */
  public InterruptedSyncs(SyncGroups groups, SyncRunRepository runs, SyncRunner runner, LocalTimeText times) {
    this.groups = groups;
    this.runs = runs;
    this.runner = runner;
    this.times = times;
  }

  /**
   * Records the runs a stopped node (or process) left under way as interrupted: each replica the
   * run had not recorded yet gets a FAILED record naming what stopped, so that the Sync page,
   * /health and the notifications say so, and the group may be deleted again.
   *
   * @param node the node that stopped; null for every run left (a single process at its start)
   * @param who what stopped, as the records say it: "node B stopped checking in at …", its times written by the {@link LocalTimeText}
   *     given (the record's, as the Sync page shows them, or the log line's, naming the zone)
   * @return how many runs it left
   */
  public int interruptLeft(String node, Function<LocalTimeText, String> who) {
    List<SyncRunRepository.Running> left = runs.takeLeft(node);
    left.forEach(run -> recordInterrupted(run, who));
    return left.size();
  }

  private void recordInterrupted(SyncRunRepository.Running left, Function<LocalTimeText, String> who) {
    try {
      SyncGroup group = groups.group(left.group());
      PiholeInstance primary = groups.instance(group.primary());
      Set<Long> recorded = runs.findByGroup(group.id(), null, 2 * group.replicas().size() + 10).stream()
          .filter(r -> !r.startedAt().isBefore(left.startedAt())).map(SyncRun::replicaId).collect(Collectors.toSet());
      group.replicas().stream().map(groups::instance).filter(replica -> !recorded.contains(replica.id()))
          .forEach(replica -> {
            Long snapshot = left.snapshotOf(replica.id());
            Function<LocalTimeText, String> message = in -> interruptedMessage(who.apply(in), in.of(left.startedAt()), left.reached(replica.id()), snapshot);
            runner.interrupted(group, primary, replica, message.apply(times), message.apply(times.inLog()), snapshot, left.startedAt());
          });
    } catch (SyncGroupNotFoundException e) {
      // the group (or a Pi-hole of it) is gone since: there is no history left to write it in
    }
  }

  private static String interruptedMessage(String who, String started, boolean reached, Long snapshot) {
    String interrupted = "interrupted: " + who + " during this run (started " + started + ")";
    String changed = interrupted + "; the replica may have been changed in part — run the group again";
    return !reached ? interrupted + "; the run had not reached this replica, nothing was sent to it — run the group again"
        : snapshot == null ? changed : changed + ", or restore its safety backup " + snapshot + " (taken before anything was sent) to undo it";
  }
}
