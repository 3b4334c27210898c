package io.piholecheckpoint.core.sync.status;

import io.piholecheckpoint.core.contents.ContentDiff;
import io.piholecheckpoint.core.instance.PiholeInstance;
import io.piholecheckpoint.core.sync.ReplicaPlan;
import io.piholecheckpoint.core.sync.runs.SyncOutcomes;
import io.piholecheckpoint.core.sync.runs.SyncRun;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * How much each replica differed from its primary at the last look: a Preview, or what a run left
 * (nothing after a success, the refused keys after a partial run; a failure leaves what was known).
 * In memory: after a restart it is what the last recorded run left. Also counts the runs it hears
 * of, so that what was read of the history before one is known to be old.
 */
public final class SyncDrift implements SyncOutcomes {
  /** By group id + "/" + replica id. */
  private final Map<String, Drift> drifts = new ConcurrentHashMap<>();
  private final AtomicLong runsHeard = new AtomicLong();

  /**
   * @param items how many items differ (each domain, adlist, client, group, local DNS line, setting)
   * @param diff what differs, the first items of each change; null when the drift is what a run left
   * @param warning what a Preview found a run would run into (an app password without app_sudo), with the fix; else null
   */
  public record Drift(Instant at, long items, String summary, ContentDiff diff, String warning) {
  }

  @Override
  public void finished(SyncRun run, PiholeInstance replica) {
    Drift left = left(run);
    if (left != null) {
      drifts.put(key(run.group(), run.replicaId()), left);
    }
    runsHeard.incrementAndGet();
  }

  /** A Preview's finding for one replica. */
  void previewed(String group, long replicaId, ReplicaPlan plan, Instant at) {
    if (plan.skipped() != null) {
      return; // a switched-off replica was not asked: what it held before still stands
    }
    ContentDiff diff = plan.diff();
    long items = diff.categories().values().stream().mapToLong(c -> c.addedTotal() + c.removedTotal() + c.changedTotal()).sum() + diff.settings().size();
    drifts.put(key(group, replicaId), new Drift(at, items, plan.empty() ? "in sync" : diff.summary(), diff, plan.warning()));
  }

  /** The last finding, or else what {@code lastRun} left; null when nothing is known. */
  Drift of(String group, long replicaId, SyncRun lastRun) {
    Drift drift = drifts.get(key(group, replicaId));
    return drift != null || lastRun == null ? drift : left(lastRun);
  }

  long runsHeard() {
    return runsHeard.get();
  }

  private static Drift left(SyncRun run) {
    return switch (run.outcome()) {
      case SYNCED, IN_SYNC -> new Drift(run.finishedAt(), 0, "in sync", null, null);
      case PARTIAL -> new Drift(run.finishedAt(), run.refused().size(), run.refused().size() + (run.refused().size() == 1 ? " refused setting" : " refused settings"),
          null, null);
      default -> null;
    };
  }

  private static String key(String group, long replicaId) {
    return group + "/" + replicaId;
  }
}
