package io.piholecheckpoint.core.offsite.catalog;

import io.piholecheckpoint.core.backup.catalog.Backup;
import io.piholecheckpoint.core.offsite.queue.Copy;
import io.piholecheckpoint.core.offsite.queue.CopyRepository;
import io.piholecheckpoint.core.offsite.remote.OffsiteTarget;
import io.piholecheckpoint.core.offsite.remote.OffsiteTargets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The off-site copies and destinations on record and the reads on them, for pages, API, metrics and health: how each
 * destination does, a backup's copies and where it is kept, why a copy waits. Changes nothing; {@code OffsiteService} does.
 */
public final class OffsiteCatalog {
  private final OffsiteTargets targets;
  private final CopyRepository copies;
  private final Clock clock;

  /** @param targets the destinations in use, and those left out with why (listed too, so that a typo shows beside the others) */
  public OffsiteCatalog(OffsiteTargets targets, CopyRepository copies, Clock clock) {
    this.targets = targets;
    this.copies = copies;
    this.clock = clock;
  }

  /**
   * How one destination is doing, for the API and health.
   *
   * @param pending its copies waiting to be copied there (uploaded, or uploaded again)
   * @param awaitingReadBack its copies adopted from what it holds and not read back yet ({@link Copy#awaitingReadBack}): they
   *     are there, no copy is pending for them; each run reads a batch of them back
   * @param failed its copies that failed and are not tried again (found damaged, or never sent, while their local archive is gone):
   *     status {@code failed} when nothing worse is under way; sent again once the archive is verified here again
   */
  public record DestinationStatus(String name, String where, boolean encrypted, String status, long pending, Duration oldestPendingAge,
                                  long awaitingReadBack, long failed, Instant lastSuccessAt, Instant failingSince, String lastError) {
    /** One that copies nothing, with why. */
    public static DestinationStatus disabled(String name, String why) {
      return new DestinationStatus(name, null, false, "disabled", 0, null, 0, 0, null, null, why);
    }
  }

  /** Whether any destination is set, used or disabled. */
  public boolean configured() {
    return targets.configured();
  }

  /** The destinations in use (not those disabled), for pages that name them. */
  public List<OffsiteTarget> targets() {
    return targets.all();
  }

  public Optional<OffsiteTarget> target(String name) {
    return targets.find(name);
  }

  /** Why the destination of that name was disabled at start; empty when it was not. */
  public Optional<String> disabledWhy(String name) {
    return Optional.ofNullable(targets.disabled().get(name));
  }

  /** Whether the name is one of the environment's (in use or disabled): those are read-only here. */
  public boolean fromEnvironment(String name) {
    return targets.fromEnvironment(name);
  }

  /** Destinations added here under a name the environment configures, with why: listed for someone to delete. */
  public Map<String, String> shadowed() {
    return targets.shadowed();
  }

  public List<Copy> copiesOf(long backupId) {
    return copies.findByBackup(backupId);
  }

  /** The copies of several backups (a page of a history) in one query, by backup id; a backup without copies is absent. */
  public Map<Long, List<Copy>> copiesOf(Collection<Long> backupIds) {
    return backupIds.isEmpty() ? Map.of() : copies.findByBackups(backupIds);
  }

  /**
   * Where a backup whose file is not on this disk is kept ("remote only"): the first destination in
   * use that holds a verified copy of it, which is where opening it fetches it from — else one whose
   * adopted copy waits to be read back ({@link Copy#awaitingReadBack}; a fetch reads it back whole).
   * Empty when no such copy is left: then the backup is missing.
   *
   * @param copiesOfOneBackup the copies of one backup, as {@link #copiesOf(long)} reads them
   */
  public Optional<String> keptAt(List<Copy> copiesOfOneBackup) {
    return copiesOfOneBackup.stream().filter(c -> (c.state() == Copy.State.VERIFIED || c.awaitingReadBack()) && c.sentBytes() != null
            && c.sentSha256() != null && targets.find(c.destination()).isPresent())
        .min(Comparator.comparing(c -> c.state() == Copy.State.VERIFIED ? 0 : 1)).map(Copy::destination);
  }

  /** {@link #keptAt(List)} of one backup. */
  public Optional<String> keptAt(long backupId) {
    return keptAt(copies.findByBackup(backupId));
  }

  /** Of these backups, those whose file is not on this disk but kept at a destination: where, by backup id. Reads only when one is missing. */
  public Map<Long, String> remoteOnly(Collection<Backup> backups) {
    List<Long> missing = backups.stream().filter(b -> b.successful() && b.fileMissing()).map(Backup::id).toList();
    Map<Long, String> kept = new HashMap<>();
    copiesOf(missing).forEach((id, held) -> keptAt(held).ifPresent(d -> kept.put(id, d)));
    return kept;
  }

  /** The backups with a copy given up for want of their archive on this disk, which {@code OffsiteService#archiveBack} queues again. */
  public Set<Long> givenUpBackups() {
    return copies.givenUpBackups();
  }

  /**
   * Why each of these copies waits without being tried, or cannot be reached, by copy id: its destination is disabled (a
   * setting to fix, or refused by the rules) or no longer configured, so no run takes it up and nothing here reads it. That
   * is no failure of the copy: it stays as it is, counts in no destination's failures, and is copied (or, verified, counted
   * on and read again) once its destination is in use again. A copy verified there is no copy to rely on meanwhile:
   * {@link #shownState} says so. A copy given up with its own error is absent, as is every copy at a destination in use.
   */
  public Map<Long, String> held(Collection<Copy> copiesOfBackups) {
    List<Copy> waiting = copiesOfBackups.stream().filter(c -> !(c.state() == Copy.State.FAILED && c.nextAttemptAt() == null)).toList();
    if (waiting.isEmpty()) {
      return Map.of();
    }
    Set<String> inUse = new HashSet<>(targets.all().stream().map(OffsiteTarget::name).toList());
    Map<String, String> disabled = targets.disabled();
    Map<Long, String> held = new HashMap<>();
    for (Copy c : waiting) {
      if (inUse.contains(c.destination())) {
        continue;
      }
      String why = disabled.get(c.destination());
      String destination = "destination " + c.destination() + (why != null ? " is disabled (" + why + ")" : " is no longer configured");
      if (c.state() == Copy.State.VERIFIED) {
        held.put(c.id(), destination + ": the copy verified there cannot be reached from here now, nor is it read back or fetched from; "
            + (why != null ? "it counts again when the destination is enabled again" : "it counts again if the destination is configured again"));
      } else {
        // never "will be copied" of a disabled one: nothing copies it while it stays so, and what to do is to enable it
        held.put(c.id(), destination + (why != null ? ": this copy is not made while it is disabled; enable the destination (fix what"
            + " disabled it) and the copy is made at its next run" : "; it will be copied if it is configured again"));
      }
    }
    return held;
  }

  /**
   * A copy's state as the pages and the API show it: a verified copy at a destination not in use ({@link #held}) is
   * {@code unreachable}, not verified — nothing here can read it now; else its state.
   */
  public static String shownState(Copy copy, Map<Long, String> held) {
    return copy.state() == Copy.State.VERIFIED && held.containsKey(copy.id()) ? "unreachable" : copy.state().name().toLowerCase(Locale.ROOT);
  }

  public List<DestinationStatus> status() {
    Map<String, CopyRepository.QueueStats> stats = copies.stats();
    Instant now = clock.instant();
    List<DestinationStatus> all = new ArrayList<>();
    for (OffsiteTarget t : targets.all()) {
      CopyRepository.QueueStats s = stats.getOrDefault(t.name(), CopyRepository.QueueStats.EMPTY);
      String status = s.failingSince() != null ? "failing" : s.pending() > 0 ? "pending" : s.givenUp() > 0 ? "failed"
          : s.lastVerifiedAt() != null ? "ok" : "idle";
      all.add(new DestinationStatus(t.name(), t.destination().describe(), t.encrypt(), status, s.pending(),
          s.oldestPendingSince() == null ? null : Duration.between(s.oldestPendingSince(), now), s.awaitingReadBack(), s.givenUp(), s.lastVerifiedAt(),
          s.failingSince(),
          s.lastError()));
    }
    // a disabled one's copies wait for it (see held): counted as waiting, as the metrics and its page row say, never as failed
    targets.disabled().forEach((name, why) -> {
      CopyRepository.QueueStats s = stats.getOrDefault(name, CopyRepository.QueueStats.EMPTY);
      // where it was set to write, as set (no password, query or fragment): which setting to fix, and that nothing goes there now
      all.add(new DestinationStatus(name, targets.disabledPlace(name).orElse(null), false, "disabled", s.pending(),
          s.oldestPendingSince() == null ? null : Duration.between(s.oldestPendingSince(), now), s.awaitingReadBack(), 0, s.lastVerifiedAt(), null,
          why));
    });
    return all;
  }

  /**
   * Destinations whose copies have failed without a success for longer than {@code staleAfter}, those
   * a setting disabled (they copy nothing at all, which a monitor must see, not only the start's log),
   * and those holding a copy given up (no retry will mend it: waiting tells nothing more).
   */
  public List<String> failingLongerThan(Duration staleAfter) {
    Instant cutoff = clock.instant().minus(staleAfter);
    return status().stream().filter(s -> "disabled".equals(s.status()) || s.failed() > 0
            || s.failingSince() != null && s.failingSince().isBefore(cutoff))
        .map(DestinationStatus::name).toList();
  }
}
