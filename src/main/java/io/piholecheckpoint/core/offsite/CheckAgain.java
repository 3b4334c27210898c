package io.piholecheckpoint.core.offsite;

import io.piholecheckpoint.core.offsite.copy.CopyOutcomes;
import io.piholecheckpoint.core.offsite.copy.DamagedCopies;
import io.piholecheckpoint.core.offsite.queue.Copy;
import io.piholecheckpoint.core.offsite.queue.CopyRepository;
import io.piholecheckpoint.core.offsite.remote.Destination;
import io.piholecheckpoint.core.offsite.remote.DestinationDisabledException;
import io.piholecheckpoint.core.offsite.remote.DestinationException;
import io.piholecheckpoint.core.offsite.remote.DestinationException.Problem;
import io.piholecheckpoint.core.offsite.remote.DestinationNotFoundException;
import io.piholecheckpoint.core.offsite.remote.OffsiteTarget;
import io.piholecheckpoint.core.offsite.remote.OffsiteTargets;
import io.piholecheckpoint.core.units.LogText;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Check again: the copies at a destination found damaged (changed or gone there, {@link DamagedCopies}) read back now and
 * compared with what was sent. A copy found damaged stays so — nothing else looks at it again, as the re-check reads only
 * verified ones, and a copy whose local archive is gone too is not sent again — so one a person put right by hand (the file
 * copied back onto the NAS from elsewhere) would stay failed for good. One that is what was sent again is verified again
 * (its damage and error cleared: its backup is readable from it); one that still differs keeps its mark, and the answer says
 * what was found now. Asked for by a person (Settings, the API), never by the scheduler.
 */
public final class CheckAgain {
  private static final Logger log = LoggerFactory.getLogger(CheckAgain.class);
  /** Problems of the destination rather than of one copy: the check ends, nothing is concluded about the copies not read. */
  private static final Set<Problem> DESTINATION_DOWN = Set.of(Problem.UNREACHABLE, Problem.TIMEOUT, Problem.REFUSED, Problem.HOST_KEY_MISMATCH);
  private final OffsiteTargets targets;
  private final CopyRepository copies;
  private final Clock clock;
  private final CopyOutcomes outcomes;
  private final Set<String> running = ConcurrentHashMap.newKeySet();
  private final DestinationTurns turns;

  public CheckAgain(OffsiteTargets targets, CopyRepository copies, Clock clock, CopyOutcomes outcomes) {
    this(targets, copies, clock, outcomes, DestinationTurns.LOCAL);
  }

  /** @param turns each destination's check across the nodes of a cluster ({@link DestinationTurns#LOCAL} with one node) */
  public CheckAgain(OffsiteTargets targets, CopyRepository copies, Clock clock, CopyOutcomes outcomes, DestinationTurns turns) {
    this.turns = turns;
    this.targets = targets;
    this.copies = copies;
    this.clock = clock;
    this.outcomes = outcomes;
  }

  /**
   * How many copies at the destination are marked damaged and not verified since: what {@link #check} would read back.
   * They are few (a damaged copy is rare, and verified again or deleted with its backup), so they are read rather than counted.
   */
  public int damaged(String name) {
    return copies.findDamaged(name).size();
  }

  /** One copy as it was read back now. */
  public record Found(long backupId, String remoteKey, String found) {
  }

  /**
   * @param verifiedAgain the copies read back as they were sent: verified again
   * @param stillDamaged those that still differ (or could not be read), each with what was found now: still failed
   */
  public record Outcome(String destination, List<Found> verifiedAgain, List<Found> stillDamaged) {
    /** What a person reads: how many were looked at, and what became of them. */
    public String message() {
      if (verifiedAgain.isEmpty() && stillDamaged.isEmpty()) {
        return "no copy at " + destination + " is marked damaged: nothing to check";
      }
      StringBuilder said = new StringBuilder();
      if (!verifiedAgain.isEmpty()) {
        said.append(count(verifiedAgain.size())).append(" at ").append(destination)
            .append(verifiedAgain.size() == 1 ? " is" : " are").append(" as sent again: verified, and read from when needed");
      }
      if (!stillDamaged.isEmpty()) {
        said.append(said.isEmpty() ? "" : "; ").append(count(stillDamaged.size())).append(" at ").append(destination)
            .append(stillDamaged.size() == 1 ? " is still not what was sent and stays failed (" : " are still not what was sent and stay failed (")
            .append(String.join("; ", stillDamaged.stream().map(f -> f.remoteKey() + " " + f.found()).toList()))
            .append("): put the file sent back there under its name, or use another backup");
      }
      return said.toString();
    }

    private static String count(int n) {
      return n == 1 ? "1 copy" : n + " copies";
    }
  }

  /**
   * Reads back every copy at the destination marked damaged, and verifies again those that are what was sent.
   *
   * @throws DestinationNotFoundException (404) when no destination has that name
   * @throws DestinationDisabledException (409) when it is configured but disabled: nothing can read it
   * @throws CheckRunningException (409) while a check of the same destination runs, on this node or another
   * @throws DestinationException when the destination cannot be reached or refuses (503): the copies not read yet keep their
   *     mark, those read before it stopped answering keep what was found
   */
  public Outcome check(String name) throws DestinationException {
    String key = name.toUpperCase(Locale.ROOT);
    OffsiteTarget target = target(key);
    if (!running.add(key)) {
      throw new CheckRunningException(key);
    }
    try (DestinationTurns.Turn turn = turns.tryTake(DestinationTurns.Work.CHECK, key).orElseThrow(() -> new CheckRunningException(key))) {
      return check(target);
    } finally {
      running.remove(key);
    }
  }

  private OffsiteTarget target(String key) {
    Optional<OffsiteTarget> target = targets.find(key);
    if (target.isPresent()) {
      return target.get();
    }
    String why = targets.disabled().get(key);
    if (why != null) {
      throw new DestinationDisabledException(key, why);
    }
    throw new DestinationNotFoundException(key, targets.all().stream().map(OffsiteTarget::name).toList());
  }

  private Outcome check(OffsiteTarget target) throws DestinationException {
    Destination destination = target.destination();
    List<Found> sound = new ArrayList<>();
    List<Found> damaged = new ArrayList<>();
    for (Copy copy : copies.findDamaged(target.name())) {
      Optional<String> found;
      try {
        found = DamagedCopies.difference(copy, destination.check(copy.remoteKey()).orElse(null), destination.describe());
      } catch (DestinationException e) {
        if (DESTINATION_DOWN.contains(e.problem())) {
          throw e;
        }
        found = Optional.of("could not be read back: " + e.getMessage());
      } catch (java.io.IOException e) {
        found = Optional.of("could not be read back: " + e.getMessage());
      }
      if (found.isEmpty()) {
        copies.markVerified(copy.id(), clock.instant());
        outcomes.attempted(target.name(), "verified");
        outcomes.verifiedAgain(copy.backupId());
        log.info("Off-site copy {} at {} checked again: it is what was sent, verified again", LogText.of(copy.remoteKey()), target.name());
        sound.add(new Found(copy.backupId(), copy.remoteKey(), null));
      } else {
        log.info("Off-site copy {} at {} checked again: still {}; it stays failed", LogText.of(copy.remoteKey()), target.name(),
            LogText.of(found.get()));
        damaged.add(new Found(copy.backupId(), copy.remoteKey(), found.get()));
      }
    }
    return new Outcome(target.name(), sound, damaged);
  }
}
