package io.piholecheckpoint.core.instance;

import java.time.Instant;
import java.util.Optional;

/** When the scheduler will next back up an instance; empty when it will not. */
@FunctionalInterface
public interface NextRuns {
  NextRuns NONE = id -> Optional.empty();

  Optional<Instant> nextRun(long instanceId);
}
