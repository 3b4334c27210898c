package io.piholecheckpoint.core.backup;

import java.time.Instant;
import java.util.List;

/**
 * Durable traces of the backups in progress: one per instance, written when a run starts and
 * removed when it ends, each in its own transaction. A trace found at a start is a run that
 * the process died in.
 */
public interface RunMarkers {
  /** A run that started and never ended. */
  record Marker(long instanceId, Backup.Trigger trigger, Instant startedAt) {
  }

  void started(long instanceId, Backup.Trigger trigger, Instant at);

  void ended(long instanceId);

  /** Returns the markers left and removes them, in one transaction. */
  List<Marker> takeAll();

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
