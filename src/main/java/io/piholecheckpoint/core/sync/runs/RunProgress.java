package io.piholecheckpoint.core.sync.runs;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * One replica's run as far as it got, for the record of a run that failed half-way: its safety backup, what the replica
 * refused, what it took ("lists" for the import, then each key) and the keys never sent because a failure ended the run.
 */
public final class RunProgress {
  private final List<String> refused = new ArrayList<>();
  private final List<String> applied = new ArrayList<>();
  private final List<String> notSent = new ArrayList<>();
  private Long snapshotId;

  public void snapshotTaken(long id) {
    snapshotId = id;
  }

  /** The pinned safety backup taken before anything was sent; null when none. */
  public Long snapshotId() {
    return snapshotId;
  }

  public void applied(String step) {
    applied.add(step);
  }

  /** Whether the replica took anything: a failure after it left it partly changed. */
  public boolean changed() {
    return !applied.isEmpty();
  }

  public void refused(String key, String reason) {
    refused.add(key + ": " + reason);
  }

  /** Each key the replica refused, with its reason. */
  public List<String> refused() {
    return List.copyOf(refused);
  }

  /** {@code keys} were never sent (or sent and surely not applied): the run ended before them. */
  public void notSent(Collection<String> keys) {
    notSent.addAll(keys);
  }

  /** The record's list of settings: those refused, then those not applied, each saying which it is (a new run applies the latter). */
  public List<String> refusedAndNotSent() {
    List<String> all = new ArrayList<>(refused);
    notSent.forEach(key -> all.add(key + ": NOT applied, the sync ended before it (see its message); run the sync again to apply it"));
    return all;
  }

  /**
   * A failure's message with what the run applied before it and what it left unsent: "partly changed" alone had the user guess
   * whether the replica's local DNS, say, was the primary's yet.
   */
  public String withUnsent(String message) {
    if (notSent.isEmpty()) {
      return message;
    }
    String took = applied.isEmpty() ? "" : "; applied: " + String.join(", ", applied);
    return "%s%s; %d step(s) were NOT applied: %s (a new run sends them)".formatted(message, took, notSent.size(), String.join(", ", notSent));
  }
}
