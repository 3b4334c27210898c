package io.piholecheckpoint.core.health;

import java.time.Instant;
import java.util.Optional;

/** What the pages show of the scheduler: its state, and when it next backs up an instance. */
public interface SchedulerView {

  SchedulerStatus status();

  /** Empty when the instance is not scheduled in this process. */
  Optional<Instant> nextRun(long instanceId);

  /** Since when the instance's backup waits for a free slot (MAX_PARALLEL_BACKUPS run at once), if it does. */
  default Optional<Instant> waitingSince(long instanceId) {
    return Optional.empty();
  }
}
