package io.piholecheckpoint.core.offsite.copy;

import io.piholecheckpoint.core.archive.WrongPassphraseException;
import io.piholecheckpoint.core.backup.catalog.Backup;
import io.piholecheckpoint.core.job.DatabaseBusyException;
import io.piholecheckpoint.core.offsite.queue.Copy;
import io.piholecheckpoint.core.offsite.queue.CopyRepository;
import io.piholecheckpoint.core.offsite.remote.Destination;
import io.piholecheckpoint.core.offsite.remote.DestinationException;
import io.piholecheckpoint.core.offsite.remote.DestinationException.Problem;
import io.piholecheckpoint.core.offsite.remote.OffsiteTarget;
import io.piholecheckpoint.core.offsite.remote.OffsiteTargets;
import io.piholecheckpoint.core.offsite.remote.RemoteObject;
import io.piholecheckpoint.core.schedule.LocalTimeText;
import io.piholecheckpoint.core.units.LogText;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Works through the durable queue of copies, run by the scheduler's off-site job: uploads each
 * due copy, reads it back from the destination and compares size and SHA-256 with the bytes sent;
 * only then is it verified. A failure is recorded on the copy with its error and retried with
 * backoff, so nothing is forgotten across outages or restarts (a copy cut off by a crash is
 * still pending, and is sent again under the same key: no duplicate). A copy adopted from what the
 * destination holds is read back the same way against its manifest, never uploaded, before it is
 * verified ({@link Copy#awaitingReadBack}).
 */
public final class CopyRunner {
  private static final Logger log = LoggerFactory.getLogger(CopyRunner.class);
  /** Copies taken per run (adopted ones read back among them); the rest wait for the next run, a minute later. */
  public static final int BATCH = 50;
  public static final Duration FIRST_RETRY = Duration.ofMinutes(1);
  public static final Duration LAST_RETRY = Duration.ofHours(6);
  /** Problems of the destination rather than of one copy: its other copies wait for the next run. */
  private static final Set<Problem> DESTINATION_DOWN = Set.of(Problem.UNREACHABLE, Problem.TIMEOUT, Problem.REFUSED, Problem.HOST_KEY_MISMATCH,
      Problem.FULL);

  private final OffsiteTargets targets;
  private final CopyRepository copies;
  private final Uploads uploads;
  private final Clock clock;
  private final CopyOutcomes outcomes;
  private final DamagedCopies damage;
  private final int batch;
  /** TIME_ZONE's times as a log line writes them ("next try at 2026-12-06 12:58:28 +01:00"), as the others' lines do. */
  private final LocalTimeText times;
  /** Whether this process said already that its passphrase does not open a local archive: said once, not at every copy. */
  private final AtomicBoolean passphraseSaid = new AtomicBoolean();
  /** When the scheduler's runs fire, once one told it ({@link #ranAt}); null before, or with no scheduler (a backoff's end is then said). */
  private volatile RunTicks ticks;
  private volatile boolean stopping;

  public CopyRunner(List<OffsiteTarget> targets, CopyRepository copies, Uploads uploads, Clock clock, CopyOutcomes outcomes) {
    this(OffsiteTargets.of(targets), copies, uploads, clock, outcomes);
  }

  /** @param targets read at each run: a destination added or changed since is used at once */
  public CopyRunner(OffsiteTargets targets, CopyRepository copies, Uploads uploads, Clock clock, CopyOutcomes outcomes) {
    this(targets, copies, uploads, clock, outcomes, BATCH);
  }

  /** @param batch copies taken per run ({@link #BATCH}; a test sees the limit with a few) */
  public CopyRunner(OffsiteTargets targets, CopyRepository copies, Uploads uploads, Clock clock, CopyOutcomes outcomes, int batch) {
    this(targets, copies, uploads, clock, outcomes, batch, new LocalTimeText(ZoneOffset.UTC));
  }

  /** @param times TIME_ZONE's one {@link LocalTimeText}, built by the composition root; its log form writes this runner's times */
  public CopyRunner(OffsiteTargets targets, CopyRepository copies, Uploads uploads, Clock clock, CopyOutcomes outcomes, int batch,
      LocalTimeText times) {
    this.batch = batch;
    this.times = times.inLog();
    this.targets = targets;
    this.copies = copies;
    this.uploads = uploads;
    this.clock = clock;
    this.outcomes = outcomes;
    this.damage = new DamagedCopies(copies, clock);
  }

  public List<OffsiteTarget> targets() {
    return targets.all();
  }

  public Optional<OffsiteTarget> target(String name) {
    return targets.find(name);
  }

  /** Where what became of each copy is told (metrics): Check again tells it too. */
  public CopyOutcomes outcomes() {
    return outcomes;
  }

  /** The live set itself, which the destinations added here replace. */
  public OffsiteTargets targetSet() {
    return targets;
  }

  /**
   * Attempts every copy to this destination that is due (up to the batch, {@link #BATCH}); returns those
   * verified. A destination that is down ends its run: its other copies wait for the next one.
   */
  public List<Copy> runDue(OffsiteTarget target) {
    List<Copy> verified = new ArrayList<>();
    for (Copy copy : copies.findDue(Set.of(target.name()), clock.instant(), batch)) {
      if (stopping || Thread.currentThread().isInterrupted()) {
        break; // stopping: what is left stays due for the next start
      }
      try {
        if (attempt(copy, target)) {
          verified.add(copy);
        }
      } catch (DestinationException e) {
        if (DESTINATION_DOWN.contains(e.problem())) {
          return verified;
        }
      }
    }
    describeAgainWherePinChanged(target);
    return verified;
  }

  /**
   * Writes the manifest again beside each verified copy whose backup was pinned, unpinned or accepted since it was written (up to
   * {@link #BATCH} a run): a disaster recovery adopts both from it, so neither is lost with the box when set after the upload.
   */
  private void describeAgainWherePinChanged(OffsiteTarget target) {
    for (Copy copy : copies.findManifestsBehindPin(target.name(), BATCH)) {
      if (stopping || Thread.currentThread().isInterrupted() || withdrawn(target)) {
        return;
      }
      try {
        Backup written = uploads.describe(copy, new Uploads.Sent(copy.sentBytes(), copy.sentSha256()), target.destination());
        copies.markManifestPinned(copy.id(), written.pinned(), written.accepted());
      } catch (IOException e) {
        log.warn("The manifest of the off-site copy {} at {} could not be written again with its backup's pin: {}; the next run tries again",
            LogText.of(copy.remoteKey()), LogText.of(copy.destination()), LogText.of(String.valueOf(e.getMessage())));
        if (e instanceof DestinationException d && DESTINATION_DOWN.contains(d.problem())) {
          return;
        }
      }
    }
  }

  /**
   * Queues again the copies given up for want of their archive (failed, not tried again) whose archive is on this disk again —
   * fetched back to be downloaded, opened or verified, or put back by hand — so that they are sent at this run, not only once
   * someone verifies that backup.
   *
   * @return how many were queued
   */
  public int sendAgainWhereArchiveBack() {
    int queued = 0;
    for (long backupId : copies.givenUpBackups()) {
      Optional<Copy> givenUp = copies.findByBackup(backupId).stream().filter(c -> c.state() == Copy.State.FAILED && c.nextAttemptAt() == null).findFirst();
      if (givenUp.isPresent() && uploads.canSendAgain(givenUp.get())) {
        queued += copies.sendAgain(backupId, clock.instant());
      }
    }
    return queued;
  }

  /** A scheduled run fired: the retries recorded from now on are given the time of the run that will take them up. */
  public void ranAt(RunTicks ticks) {
    this.ticks = ticks;
  }

  /** Cuts off the uploads under way (their copies stay queued as they were) and starts no other. */
  public void stop() {
    stopping = true;
    uploads.stop();
  }

  /**
   * Whether the destination the copy was sent with is no longer the one in use under its name
   * (deleted, or changed in Settings): its copy is not recorded, as if it had not been tried; a
   * changed one sends it again with its new settings.
   */
  private boolean withdrawn(OffsiteTarget target) {
    return targets.find(target.name()).map(OffsiteTarget::destination).orElse(null) != target.destination();
  }

  private boolean withdrawn(Copy copy, OffsiteTarget target) {
    if (!withdrawn(target)) {
      return false;
    }
    // named as it is: deleted (or disabled), or its settings changed — the copy is sent again with them
    log.info("Off-site copy {} to {} stopped: {}", LogText.of(copy.remoteKey()), LogText.of(copy.destination()),
        targets.find(target.name()).isEmpty() ? "the destination was deleted meanwhile (or disabled); nothing of it is recorded"
            : "the destination's settings were changed meanwhile; it is sent again with them");
    return true;
  }

  /**
   * The copy's backup was deleted (on request or by retention): nothing to copy, and no failure of the destination. When its
   * archive was put there already (its deletion came during the upload), archive and manifest are deleted there first; a
   * destination that fails keeps the record claimed for deletion, and its next run deletes them. Else its record alone goes.
   */
  private void dropGone(Copy copy, Destination destination, boolean uploaded) {
    if (!uploaded) {
      copies.delete(copy.id());
      log.info("Off-site copy {} to {} dropped from the queue: backup {} was deleted before it was copied", LogText.of(copy.remoteKey()),
          LogText.of(copy.destination()), copy.backupId());
      return;
    }
    try {
      destination.delete(copy.remoteKey() + Manifest.SUFFIX);
      destination.delete(copy.remoteKey());
      copies.delete(copy.id());
      log.info("Off-site copy {} at {} deleted there: backup {} was deleted while it was copied", LogText.of(copy.remoteKey()),
          LogText.of(copy.destination()), copy.backupId());
    } catch (IOException e) {
      boolean kept = copies.markGone(copy.id());
      log.warn("Off-site copy {} at {} could not be deleted there after backup {} was deleted while it was copied ({}); {}",
          LogText.of(copy.remoteKey()), LogText.of(copy.destination()), copy.backupId(), LogText.of(String.valueOf(e.getMessage())),
          kept ? "its deletion is tried again at the next run" : "its record is gone: delete it there by hand");
    }
  }

  /** Whether stopping cut this copy off: then it is no failure of the destination, and stays queued to be sent again at the next start. */
  private boolean stopped(Copy copy) {
    if (!stopping) {
      return false;
    }
    log.info("Off-site copy {} to {} stopped because Pi-hole Checkpoint is stopping; it stays queued and is sent again at the next start",
        LogText.of(copy.remoteKey()), LogText.of(copy.destination()));
    return true;
  }

  /** @throws DestinationException after recording it, when the destination itself failed */
  private boolean attempt(Copy copy, OffsiteTarget target) throws DestinationException {
    Destination destination = target.destination();
    boolean uploaded = copy.copiedAt() != null || copy.sentSha256() != null; // by this attempt, or an earlier one
    try {
      if (copy.awaitingReadBack()) {
        readBackAdopted(copy, target);
        return false; // no new copy: the retention there is not run for it (the daily round runs it, as for every copy)
      }
      Uploads.Sent sent = copy.state() == Copy.State.COPIED && copy.sentSha256() != null
          ? new Uploads.Sent(copy.sentBytes(), copy.sentSha256())
          : upload(copy, target);
      uploaded = true;
      RemoteObject there = destination.check(copy.remoteKey()).orElseThrow(() -> new DestinationException(Problem.MISSING,
          copy.remoteKey() + " is not at " + destination.describe() + " right after its upload; it will be sent again"));
      if (there.size() != sent.bytes() || !sent.sha256().equalsIgnoreCase(there.sha256())) {
        outcomes.attempted(copy.destination(), "mismatch");
        failed(copy, "read back from " + destination.describe() + ", " + copy.remoteKey() + " is not what was sent: "
            + DamagedCopies.unlike(there.size(), there.sha256(), sent.bytes(), sent.sha256()) + "; it will be sent again", true);
        return false;
      }
      if (withdrawn(target)) {
        throw new InterruptedIOException("the destination was deleted or changed while this copy was sent");
      }
      Backup written = uploads.describe(copy, sent, destination);
      copies.markVerified(copy.id(), clock.instant());
      copies.markManifestPinned(copy.id(), written.pinned(), written.accepted());
      outcomes.attempted(copy.destination(), "verified");
      log.info("Off-site copy {} verified at {} ({} bytes)", LogText.of(copy.remoteKey()), LogText.of(destination.describe()), sent.bytes());
      return true;
    } catch (Uploads.LocalArchiveGoneException e) {
      if (uploads.backupGone(copy)) {
        dropGone(copy, destination, uploaded);
        return false;
      }
      outcomes.attempted(copy.destination(), "failed");
      failed(copy, e.getMessage(), false);
      return false;
    } catch (WrongPassphraseException e) {
      heldForPassphrase(copy, e);
      return false;
    } catch (Uploads.LocalArchiveDamagedException e) {
      unsendable(copy, e.getMessage());
      return false;
    } catch (DestinationException e) {
      if (stopped(copy) || withdrawn(copy, target)) {
        return false;
      }
      outcomes.attempted(copy.destination(), "failed");
      failed(copy, e.getMessage(), true);
      throw e;
    } catch (IOException e) {
      if (stopped(copy) || withdrawn(copy, target)) {
        return false;
      }
      outcomes.attempted(copy.destination(), "failed");
      failed(copy, "reading the local archive failed: " + e.getMessage(), true);
      return false;
    } catch (RuntimeException e) {
      if (stopped(copy) || withdrawn(copy, target)) {
        return false;
      }
      if (DatabaseBusyException.in(e).isPresent()) {
        // expected and passing, no fault of the copy's: the run ends here and its job says so in one WARN line (JobFailures);
        // the copy stays as it was, due at the next run (one sent already is checked there, not sent again)
        throw e;
      }
      // a bug or our own disk (no scratch space): recorded on the copy, so that it backs off instead of blocking the queue
      log.error("Off-site copy {} to {} failed unexpectedly", LogText.of(copy.remoteKey()), LogText.of(copy.destination()), e);
      outcomes.attempted(copy.destination(), "failed");
      failed(copy, "an unexpected error (" + e.getClass().getSimpleName() + "); the server log has the details", true);
      return false;
    }
  }

  /**
   * Reads an adopted copy back (size and SHA-256) and compares it with what its manifest says was sent: verified when it is
   * that, its manifest left as it is (it says what it should); else failed as damaged, as a re-check finds it.
   */
  private void readBackAdopted(Copy copy, OffsiteTarget target) throws IOException {
    Destination destination = target.destination();
    Optional<String> found = DamagedCopies.difference(copy, destination.check(copy.remoteKey()).orElse(null), destination.describe());
    if (withdrawn(target)) {
      throw new InterruptedIOException("the destination was deleted or changed while this copy was read back");
    }
    if (found.isPresent()) {
      damaged(copy, found.get(), "read back after its adoption");
      return;
    }
    copies.markVerified(copy.id(), clock.instant());
    outcomes.attempted(copy.destination(), "verified");
    log.info("Adopted off-site copy {} read back from {} as its manifest says ({} bytes): verified", LogText.of(copy.remoteKey()),
        LogText.of(destination.describe()), copy.sentBytes());
  }

  /** What a re-check of one destination found: how many copies were read back as sent, and each one that was not, with what happens to it. */
  public record Recheck(int sound, List<String> problems) {
  }

  /**
   * Reads copies verified earlier back from the destination (those looked at longest ago: at
   * least {@code atLeast}, and all not looked at since {@code overdue}) and compares them with
   * what was sent. A copy that vanished or changed there is failed with what was found and sent
   * again by the queue, or given up when its local archive is gone too. A destination that is
   * down ends its re-check: the queue's own failures tell that.
   */
  public Recheck recheck(OffsiteTarget target, Instant overdue, int atLeast) {
    Destination destination = target.destination();
    int sound = 0;
    List<String> problems = new ArrayList<>();
    for (Copy copy : copies.findToRecheck(target.name(), overdue, atLeast)) {
      try {
        Optional<String> found = DamagedCopies.difference(copy, destination.check(copy.remoteKey()).orElse(null), destination.describe());
        if (found.isEmpty()) {
          copies.markChecked(copy.id(), clock.instant());
          sound++;
        } else {
          problems.add(damaged(copy, found.get(), "re-checked"));
        }
      } catch (DestinationException e) {
        log.warn("Re-checking the off-site copy {} at {} failed: {}", LogText.of(copy.remoteKey()), LogText.of(target.name()), LogText.of(e.getMessage()));
        if (DESTINATION_DOWN.contains(e.problem())) {
          break;
        }
      } catch (IOException e) {
        log.warn("Re-checking the off-site copy {} at {} failed: {}", LogText.of(copy.remoteKey()), LogText.of(target.name()), LogText.of(e.getMessage()));
      }
    }
    return new Recheck(sound, problems);
  }

  /**
   * Marks a copy found damaged on re-check (or read back after its adoption): failed with what was found, due now for a new
   * upload (the archive of a remote only backup fetched back from a sound copy elsewhere for it), or given up when no archive is
   * to be had.
   */
  private String damaged(Copy copy, String found, String how) {
    boolean again = uploads.canSendAgain(copy) || soundElsewhere(copy) && uploads.canSendAgainFetching(copy);
    damage.record(copy, found, how, again);
    outcomes.attempted(copy.destination(), "damaged");
    return copy.remoteKey() + " " + found + (again ? ", sent again" : ", and cannot be sent again (its local archive is gone too)");
  }

  /**
   * Whether another destination in use holds a verified copy of the same archive, or an adopted one not read back yet: one to
   * fetch it back from (a fetch reads every byte back, and verifies that copy). Right after a recovery the other destination's
   * copy is often not read back yet when this one is found damaged: it is tried now, not only once the queue reached it.
   */
  private boolean soundElsewhere(Copy copy) {
    return copies.findByFileName(copy.fileName()).stream().anyMatch(c -> (c.state() == Copy.State.VERIFIED || c.awaitingReadBack())
        && !c.destination().equals(copy.destination()) && targets.find(c.destination()).isPresent());
  }

  private Uploads.Sent upload(Copy copy, OffsiteTarget target) throws IOException {
    if (!uploads.canSendAgain(copy) && soundElsewhere(copy)) {
      // remote only (its local file deleted before this copy was made): fetched back from a sound copy, not given up
      uploads.canSendAgainFetching(copy);
    }
    Uploads.Sent sent = uploads.send(copy, target.destination(), () -> withdrawn(target));
    copies.markCopied(copy.id(), sent.bytes(), sent.sha256(), clock.instant());
    return sent;
  }

  /**
   * The passphrase this process runs with does not open the copy's local archive: no fault of the destination, so neither a
   * failed attempt nor a failing destination. The copy waits, saying why, until the next start (which may bring the right
   * passphrase: {@code OffsiteService#runDestination} makes it due at its first run), or {@link #LAST_RETRY} in this one;
   * meanwhile it is not opened again at every run, nor takes the place of copies that can be made.
   */
  private void heldForPassphrase(Copy copy, WrongPassphraseException e) {
    String why = "the local archive " + copy.fileName() + " cannot be decrypted: " + e.getMessage() + "; the destination is not at fault,"
        + " this copy waits: start Pi-hole Checkpoint with the BACKUP_ENCRYPTION_PASSPHRASE that encrypted it";
    copies.holdForPassphrase(copy.id(), why, clock.instant().plus(LAST_RETRY));
    if (passphraseSaid.compareAndSet(false, true)) {
      log.warn("Off-site copies wait (wrong_passphrase): {}; the others whose archives it does not open wait alike, unsaid", LogText.of(why));
    } else {
      log.debug("Off-site copy {} to {} waits for the passphrase of its archive", LogText.of(copy.remoteKey()), LogText.of(copy.destination()));
    }
  }

  private void failed(Copy copy, String error, boolean retry) {
    Instant now = clock.instant();
    Instant next = retry ? retryAt(now.plus(backoff(copy.attempts()))) : null;
    copies.markFailed(copy.id(), error, now, next);
    log.warn("Off-site copy {} to {} failed (attempt {}): {}; {}", LogText.of(copy.remoteKey()), LogText.of(copy.destination()),
        copy.attempts() + 1, LogText.of(error), next == null ? "not tried again" : "next try at " + times.of(next));
  }

  /**
   * The local archive is damaged (its backup records why): this copy waits and is tried again, as it may be mended (a Verify
   * fetching a sound copy, the file put back); the destination was not asked, so it is neither failing nor shows this error.
   */
  private void unsendable(Copy copy, String error) {
    Instant next = retryAt(clock.instant().plus(backoff(copy.attempts())));
    copies.markUnsendable(copy.id(), error, next);
    log.warn("Off-site copy {} to {} not sent (attempt {}): {}; the destination was not contacted; next try at {}", LogText.of(copy.remoteKey()),
        LogText.of(copy.destination()), copy.attempts() + 1, LogText.of(error), times.of(next));
  }

  /** The run that takes up a retry whose backoff ends at {@code backoffEnd}: what the API, the pages and the log say. */
  private Instant retryAt(Instant backoffEnd) {
    RunTicks known = ticks;
    return known == null ? backoffEnd : known.firstAtOrAfter(backoffEnd);
  }

  /** 1 min, 2, 4 … up to 6 h: a destination down for a day is not asked every minute, and a short outage is soon caught up. */
  public static Duration backoff(int failedBefore) {
    return FIRST_RETRY.multipliedBy(1L << Math.min(failedBefore, 9)).compareTo(LAST_RETRY) > 0 ? LAST_RETRY
        : FIRST_RETRY.multipliedBy(1L << Math.min(failedBefore, 9));
  }
}
