package io.piholecheckpoint.core.backup.runs;

import io.piholecheckpoint.core.schedule.LocalTimeText;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The scheduled runs that failed before they wrote any record (the database busy or down at the run's start, the instance's
 * settings unreadable): the log alone said so. Each instance's last such failure, kept in memory, as the database may be
 * what failed, for {@code /health}; every one counted, for {@code /metrics}. An instance's failure is forgotten when its next
 * run starts.
 */
public final class UnstartedRuns {
  /** Hears of each failure as it happens. */
  public interface Listener {
    Listener NONE = instanceId -> { };

    void runNotStarted(long instanceId);
  }

  /** @param reason what failed, for a person: "database busy: …" */
  public record Unstarted(long instanceId, String reason, Instant at) {
    /** As {@code /health} names it, its time written by {@code times}: TIME_ZONE's, as every message for a person says it. */
    public String message(LocalTimeText times) {
      return "last scheduled run failed before it started: " + reason + ", at " + times.of(at);
    }
  }

  private final Map<Long, Unstarted> last = new ConcurrentHashMap<>();
  private final Listener listener;

  public UnstartedRuns(Listener listener) {
    this.listener = listener;
  }

  public void failed(long instanceId, String reason, Instant at) {
    last.put(instanceId, new Unstarted(instanceId, reason, at));
    listener.runNotStarted(instanceId);
  }

  /** A run of the instance starts (scheduled or manual): its earlier failure to start is past. */
  public void starting(long instanceId) {
    last.remove(instanceId);
  }

  /** Each instance's last failure to start, since which no run of it started; by instance id. */
  public List<Unstarted> current() {
    return last.values().stream().sorted(Comparator.comparingLong(Unstarted::instanceId)).toList();
  }
}
