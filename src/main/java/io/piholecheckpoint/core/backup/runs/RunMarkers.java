package io.piholecheckpoint.core.backup.runs;

import io.piholecheckpoint.core.backup.catalog.Backup;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Durable traces of the backups in progress: one per instance, written when a run starts and
 * removed when it ends, each in its own transaction. A trace found at a start is a run that
 * the process died in.
 */
public interface RunMarkers {
  /**
   * A run that started and never ended.
   *
   * @param node the node (NODE_NAME) that ran it; null in a marker written before nodes were recorded
   * @param safety whether it was the safety backup a restore or sync takes before it changes the Pi-hole
   */
  record Marker(long instanceId, Backup.Trigger trigger, Instant startedAt, String node, boolean safety) {
    public Marker(long instanceId, Backup.Trigger trigger, Instant startedAt) {
      this(instanceId, trigger, startedAt, null);
    }

    public Marker(long instanceId, Backup.Trigger trigger, Instant startedAt, String node) {
      this(instanceId, trigger, startedAt, node, false);
    }
  }

  void started(long instanceId, Backup.Trigger trigger, Instant at);

  /**
   * {@link #started}, saying whether the run is a safety backup: one cut off by a stop is recorded as what it was, not as a failed
   * backup of the Pi-hole. A store that keeps no such mark (tests) records it as any run.
   */
  default void started(long instanceId, Backup.Trigger trigger, Instant at, boolean safety) {
    started(instanceId, trigger, at);
  }

  void ended(long instanceId);

  /**
   * Returns the markers left by runs whose process is gone and removes them, in one transaction:
   * all of them with one node; in a cluster, this node's (from before its restart) and those of
   * nodes that no longer check in, not the runs under way on the others.
   */
  List<Marker> takeAll();

  /** The instance's marker, if one is left: asked by the run that holds the instance's turn, so it is a dead run's. */
  default Optional<Marker> find(long instanceId) {
    return Optional.empty();
  }

  /**
   * Removes the marker if it is still there as it was read: whether this caller removed it. Of the
   * nodes that find one dead run's marker (the one recovering it, the one that re-runs it), only one records it.
   */
  default boolean claim(Marker marker) {
    ended(marker.instanceId());
    return true;
  }

  /** Who left a marker that a run found, which tells what became of that run. */
  enum Runner {
    /** This process: it did not stop, it could not record the run's end. */
    THIS_NODE,
    /** Another node that still checks in: it did not stop either. */
    LIVE_NODE,
    /** A node that no longer checks in: it stopped or died during the run. */
    GONE
  }

  /** Who left the marker, as far as can be told now. */
  default Runner runnerOf(Marker marker) {
    return Runner.GONE;
  }

  /** The markers of the runs the node started and has not ended. */
  default List<Marker> findOf(String node) {
    return List.of();
  }

  /** For tests and for a process without a database: remembers nothing. */
  RunMarkers NONE = new RunMarkers() {
    @Override
    public void started(long instanceId, Backup.Trigger trigger, Instant at) {
    }

    @Override
    public void ended(long instanceId) {
    }

    @Override
    public List<Marker> takeAll() {
      return List.of();
    }
  };
}
