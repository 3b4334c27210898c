package io.piholecheckpoint.core.offsite;

import io.piholecheckpoint.core.backup.Backup;
import io.piholecheckpoint.core.instance.PiholeInstance;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Off-site copies, the use cases: queue a backup's copies, work through the queue (the
 * scheduler's job), prune there, and say how each destination is doing.
 */
public final class OffsiteService {
  private final CopyRunner runner;
  private final CopyRepository copies;
  private final RemotePruning pruning;
  private final Clock clock;
  private final Map<String, String> disabled;

  /** @param disabled destinations left out at start (a bad setting), with why: listed too, so that a typo shows beside the others */
  public OffsiteService(CopyRunner runner, CopyRepository copies, RemotePruning pruning, Clock clock, Map<String, String> disabled) {
    this.disabled = new java.util.TreeMap<>(disabled);
    this.runner = runner;
    this.copies = copies;
    this.pruning = pruning;
    this.clock = clock;
  }

  /** How one destination is doing, for the API and health. */
  public record DestinationStatus(String name, String where, boolean encrypted, String status, long pending, Duration oldestPendingAge,
                                  Instant lastSuccessAt, Instant failingSince, String lastError) {
  }

  /** Whether any destination is set, used or disabled. */
  public boolean configured() {
    return !runner.targets().isEmpty() || !disabled.isEmpty();
  }

  /** One pending copy per destination that takes the instance; a failed backup has nothing to copy. */
  public void queue(PiholeInstance instance, Backup backup) {
    if (!backup.successful() || backup.fileName() == null) {
      return;
    }
    Instant now = clock.instant();
    List<Copy> queued = new ArrayList<>();
    for (OffsiteTarget target : runner.targets()) {
      if (target.takes(instance)) {
        queued.add(Copy.queued(backup.id(), instance.id(), target.name(), backup.fileName(),
            Uploads.remoteKey(instance.slug(), backup.fileName(), target.encrypt()), backup.finishedAt(), now));
      }
    }
    if (!queued.isEmpty()) {
      copies.enqueue(queued);
    }
  }

  /** The scheduler's off-site job: every due copy attempted, then each destination's retention for the instances it got new copies of. */
  public int runDue() {
    List<Copy> verified = runner.runDue();
    Set<String> pruned = new LinkedHashSet<>();
    for (Copy copy : verified) {
      if (pruned.add(copy.destination() + "/" + copy.instanceId())) {
        runner.target(copy.destination()).ifPresent(target -> pruning.prune(target, copy.instanceId()));
      }
    }
    return verified.size();
  }

  public List<Copy> copiesOf(long backupId) {
    return copies.findByBackup(backupId);
  }

  /** The copies of several backups (a page of a history) in one query, by backup id; a backup without copies is absent. */
  public Map<Long, List<Copy>> copiesOf(java.util.Collection<Long> backupIds) {
    return backupIds.isEmpty() ? Map.of() : copies.findByBackups(backupIds);
  }

  /** The destinations in use (not those disabled), for pages that name them. */
  public List<OffsiteTarget> targets() {
    return runner.targets();
  }

  public Optional<OffsiteTarget> target(String name) {
    return runner.target(name);
  }

  /** Why the destination of that name was disabled at start; empty when it was not. */
  public Optional<String> disabledWhy(String name) {
    return Optional.ofNullable(disabled.get(name));
  }

  public List<DestinationStatus> status() {
    Map<String, CopyRepository.QueueStats> stats = copies.stats();
    Instant now = clock.instant();
    List<DestinationStatus> all = new ArrayList<>();
    for (OffsiteTarget t : runner.targets()) {
      CopyRepository.QueueStats s = stats.getOrDefault(t.name(), CopyRepository.QueueStats.EMPTY);
      String status = s.failingSince() != null ? "failing" : s.pending() > 0 ? "pending" : s.lastVerifiedAt() != null ? "ok" : "idle";
      all.add(new DestinationStatus(t.name(), t.destination().describe(), t.encrypt(), status, s.pending(),
          s.oldestPendingSince() == null ? null : Duration.between(s.oldestPendingSince(), now), s.lastVerifiedAt(), s.failingSince(), s.lastError()));
    }
    disabled.forEach((name, why) -> all.add(new DestinationStatus(name, null, false, "disabled", 0, null, null, null, why)));
    return all;
  }

  /** Destinations whose copies have failed without a success for longer than {@code staleAfter}. */
  public List<String> failingLongerThan(Duration staleAfter) {
    Instant cutoff = clock.instant().minus(staleAfter);
    return status().stream().filter(s -> s.failingSince() != null && s.failingSince().isBefore(cutoff)).map(DestinationStatus::name).toList();
  }

  /** Closes the destinations' clients; after the scheduler, so no copy is running. */
  public void close() {
    runner.targets().forEach(t -> t.destination().close());
  }
}
