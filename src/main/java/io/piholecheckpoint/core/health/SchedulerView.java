package io.piholecheckpoint.core.health;

import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/** What the pages show of the scheduler: its state, and when it next backs up an instance. */
public interface SchedulerView {

  SchedulerStatus status();

  /** Empty when the instance is not scheduled in this process. */
  Optional<Instant> nextRun(long instanceId);

  /** {@link #nextRun} of each instance given that is scheduled in this process, by instance id: one read for a page of them. */
  default Map<Long, Instant> nextRuns(Collection<Long> instanceIds) {
    Map<Long, Instant> next = new HashMap<>();
    for (long id : instanceIds) {
      nextRun(id).ifPresent(at -> next.put(id, at));
    }
    return next;
  }

  /** Since when the instance's backup waits for a free slot (MAX_PARALLEL_BACKUPS run at once), if it does. */
  default Optional<Instant> waitingSince(long instanceId) {
    return Optional.empty();
  }
}
