package io.piholecheckpoint.core.sync.runs;

import io.piholecheckpoint.core.instance.PiholeInstance;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hears each replica's sync run as it is recorded, for those who report it: notifications,
 * metrics, the replicas' standing. Called on the thread of the run, so a listener returns quickly;
 * what it throws is logged and never fails the run.
 */
public interface SyncOutcomes {

  /** {@code run} was recorded (its id set); {@code replica} is the Pi-hole it changed, or tried to. */
  void finished(SyncRun run, PiholeInstance replica);

  /** Every listener hears every run; one that throws does not stop the others. */
  static SyncOutcomes all(List<SyncOutcomes> listeners) {
    Logger log = LoggerFactory.getLogger(SyncOutcomes.class);
    return (run, replica) -> {
      for (SyncOutcomes listener : listeners) {
        try {
          listener.finished(run, replica);
        } catch (RuntimeException e) {
          log.warn("Reporting a sync run failed ({}); the run itself is recorded", e.toString());
        }
      }
    };
  }
}
