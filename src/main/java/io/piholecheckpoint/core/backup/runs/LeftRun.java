package io.piholecheckpoint.core.backup.runs;

import io.piholecheckpoint.core.schedule.LocalTimeText;
import java.time.Instant;

/**
 * What the record of a run says when the next run of its Pi-hole finds the run's marker still there. A node that
 * stopped or died leaves one; so does a node that kept running but could not reach the database when its run ended
 * (a database outage): saying "node a stopped" of that one sent people looking for a crash that never happened.
 */
final class LeftRun {
  private LeftRun() {
  }

  /**
   * @param runner who left the marker
   * @param unrecorded whether this process saw the database fail the run's end (its marker could not be removed)
   * @param again when the run that found it started again
   * @param times TIME_ZONE's: the record is read on a page of times in it (its log line names the zone)
   */
  static String describe(RunMarkers.Marker left, RunMarkers.Runner runner, boolean unrecorded, Instant again, LocalTimeText times) {
    String started = times.of(left.startedAt());
    String rerun = times.of(again);
    String node = left.node() == null ? "this process" : "node " + left.node();
    return switch (runner) {
      case THIS_NODE -> unrecorded
          ? ("interrupted: the database could not be reached when this backup ended (started %s), so it could not be recorded and kept"
              + " no archive; %s, which ran it, did not stop, and ran it again at %s").formatted(started, node, rerun)
          : ("interrupted: this backup's run on %s ended without recording how (started %s), e.g. out of memory; %s did not stop,"
              + " and ran it again at %s").formatted(node, started, node, rerun);
      case LIVE_NODE -> ("interrupted: %s, which ran this backup, did not stop (it still checks in) but did not record how it ended (started %s):"
          + " the database could not be reached from it then, or the run died there — its log says which; it ran again at %s")
          .formatted(node, started, rerun);
      case GONE -> "interrupted: %s stopped during this backup (started %s); another node ran it again at %s".formatted(
          left.node() == null ? "node (unknown)" : node, started, rerun);
    };
  }
}
