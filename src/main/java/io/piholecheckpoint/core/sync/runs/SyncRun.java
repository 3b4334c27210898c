package io.piholecheckpoint.core.sync.runs;

import java.time.Instant;
import java.util.List;

/**
 * What one sync run did to one replica.
 *
 * @param group the group's id (lower case)
 * @param code for FAILED, what went wrong as a stable code (the Pi-hole failure's, or one of sync's own); {@code switched_off} for SKIPPED; else null
 * @param changes what was (or, in a dry run, would be) sent, e.g. "+1 domain, +1 local DNS record"
 * @param refused keys the replica refused, each "key: its reason"
 * @param snapshotId the pinned safety backup taken of the replica in this run, or null
 */
public record SyncRun(long id, String group, long primaryId, long replicaId, Long sourceBackupId, Outcome outcome, String code, String message,
                      String changes, List<String> refused, Long snapshotId, Instant startedAt, Instant finishedAt) {

  /**
   * SYNCED: changed and verified; IN_SYNC: nothing differed, nothing was sent; PARTIAL: changed,
   * but the replica refused some keys (the rest were applied); FAILED: see the message; SKIPPED:
   * the replica (or the primary) is switched off, so it was not contacted.
   */
  public enum Outcome { SYNCED, IN_SYNC, PARTIAL, FAILED, SKIPPED }

  public SyncRun {
    refused = List.copyOf(refused);
  }

  public SyncRun withId(long newId) {
    return new SyncRun(newId, group, primaryId, replicaId, sourceBackupId, outcome, code, message, changes, refused, snapshotId, startedAt, finishedAt);
  }
}
