package io.piholecheckpoint.core.sync.groups;

import io.piholecheckpoint.core.instance.PiholeInstance;
import io.piholecheckpoint.core.schedule.Schedule;
import java.time.Duration;
import java.util.function.Function;

/**
 * How long a replica may fail before {@code /health} is degraded: {@code SYNC_<GROUP>_STALE_AFTER},
 * or by default twice the period of the group's WHEN (one failed run is noise, two are a problem);
 * a group that syncs after the primary's backups, twice the period of the primary's schedule, or
 * {@link #UNSCHEDULED} when the primary is only backed up by hand.
 */
public final class SyncStaleness {
  public static final Duration UNSCHEDULED = Duration.ofDays(2);
  private final Function<Schedule, Duration> period;

  /** @param period the time between two runs of a schedule (the scheduler's reading of a cron) */
  public SyncStaleness(Function<Schedule, Duration> period) {
    this.period = period;
  }

  public Duration limit(SyncGroup group, PiholeInstance primary) {
    if (group.staleAfter() != null) {
      return group.staleAfter();
    }
    if (group.when() != null) {
      return period.apply(group.when()).multipliedBy(2);
    }
    return primary.scheduled() ? period.apply(primary.schedule()).multipliedBy(2) : UNSCHEDULED;
  }
}
