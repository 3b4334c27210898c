package io.piholecheckpoint.core.restore;

import io.piholecheckpoint.core.archive.ArchiveBusyException;
import io.piholecheckpoint.core.archive.ArchiveStorageException;
import io.piholecheckpoint.core.archive.BackupNotFoundException;
import io.piholecheckpoint.core.archive.InvalidArchiveException;
import io.piholecheckpoint.core.backup.catalog.BackupConflictException;
import io.piholecheckpoint.core.gateway.PiholeException;
import io.piholecheckpoint.core.job.DatabaseTrouble;
import io.piholecheckpoint.core.registry.InstanceConflictException;
import io.piholecheckpoint.core.registry.InstanceNotFoundException;
import io.piholecheckpoint.core.restore.record.Restore;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How a restore that did not reach its check is recorded, in words for the user: {@code FAILED}
 * only while nothing was sent that changes the Pi-hole, {@code UNVERIFIED} once something was
 * (or may have been), with the safety backup that undoes it.
 */
final class RestoreOutcome {
  /** The runner's: a restore's lines in the log come from one place, whichever class words them. */
  private static final Logger log = LoggerFactory.getLogger(RestoreRunner.class);

  /** Why a change may have been applied, true of a request cut off unanswered and of one answered with a server error alike. */
  static final String NOT_KNOWN = "a change was sent to it, and whether it was applied is not known";

  private RestoreOutcome() {
  }

  /** One restore as it goes: its record, and whether the Pi-hole was changed, or may have been. */
  static final class Progress {
    volatile Restore record;
    /** Its target as the log names it ("Pi-hole 'Home'"). */
    final Object target;
    /** What it does now, as its record says: "checking backup 5", "taking the safety backup of 'Home'". */
    final io.piholecheckpoint.core.archive.work.ArchiveWork.Steps steps;
    /** A request that changes the Pi-hole was answered: it was changed. */
    volatile boolean changed;
    /** A request that changes the Pi-hole got no answer (cut off, timed out): it may have been changed. */
    volatile boolean uncertain;
    /** How many of those requests the Pi-hole accepted (an import answered 200, a setting PATCHed): none means nothing was restored. */
    volatile int applied;
    /** Settings the Pi-hole refused (FTLCONF_*, a bad value): "key: its reason". */
    final List<String> refused = new ArrayList<>();
    /**
     * Settings never applied because the Pi-hole was not ready (503, or not back from its restart),
     * each with what it last did instead, in a few words: a retry applies them.
     */
    final Map<String, String> notApplied = new LinkedHashMap<>();
    /** Settings never sent because a failure ended the restore before them (the record's message says which). */
    final List<String> notSent = new ArrayList<>();

    Progress(Restore record, Object target, java.util.function.Consumer<Restore> recorder) {
      this.record = record;
      this.target = target;
      this.steps = new io.piholecheckpoint.core.archive.work.ArchiveWork.Steps(message -> recorder.accept(this.record = this.record.running(message)));
    }

    /** The record's list of settings: those refused, then those not applied, each saying which it is (a retry applies the latter). */
    List<String> refusedAndNotApplied() {
      List<String> all = new ArrayList<>(refused);
      notApplied.forEach((key, seen) -> all.add(key + ": NOT applied, the Pi-hole was not ready (" + seen + "); restore again to apply it"));
      notSent.forEach(key -> all.add(key + ": NOT applied, the restore ended before it (see its message); restore again to apply it"));
      return all;
    }

    /** {@code keys} were never sent: the restore ended before them. */
    void notSent(java.util.Collection<String> keys) {
      notSent.addAll(keys);
    }

    /** {@code keys} were not applied: the Pi-hole was not ready, as {@code e} says. */
    void notApplied(java.util.Collection<String> keys, PiholeException e) {
      String seen = lastSeen(e);
      keys.forEach(key -> notApplied.put(key, seen));
    }

    /** What the not-ready Pi-hole last did, in a few words; from the kind of failure where the answer was not kept. */
    private static String lastSeen(PiholeException e) {
      return e.lastSeen().orElseGet(() -> switch (e.failure()) {
        case SERVER_UNAVAILABLE -> "it answered that it was unavailable";
        case TIMEOUT -> "it did not answer in time";
        case RATE_LIMITED -> "it refused requests as too frequent";
        default -> "it could not be reached";
      });
    }
  }

  /** "; safety backup 7 (pinned) holds what it had before — restore it to undo", or "" without one. */
  static String undo(Long snapshotId) {
    return snapshotId == null ? "" : "; safety backup %d (pinned) holds what it had before — restore it to undo".formatted(snapshotId);
  }

  /** The record of a restore that {@code e} (or the stop, when {@code stopping}) ended before its check. */
  static Restore failed(Progress progress, RuntimeException e, boolean stopping, Instant now) {
    Restore restore = progress.record;
    Long snapshotId = restore.snapshotId();
    if (!progress.changed && !progress.uncertain) {
      String message = stopping ? "nothing was changed: Pi-hole Checkpoint stopped before the restore changed the Pi-hole"
          + (snapshotId == null ? "" : " (safety backup " + snapshotId + " was taken)") + "; ask for it again once it runs"
          : failureMessage(restore, progress.target, snapshotId, e);
      return finished(restore, Restore.State.FAILED, snapshotId, message, progress.refusedAndNotApplied(), List.of(), now);
    }
    Optional<String> database = stopping ? Optional.empty() : DatabaseTrouble.describe(e);
    String why = stopping ? "Pi-hole Checkpoint stopped before the restore could finish and check it"
        : database.isPresent() ? "the check of the result could not run: " + database.get()
        : classified(e) ? e.getMessage() : "the restore then failed unexpectedly (%s; the server log has the details)".formatted(e.getClass().getSimpleName());
    // the log says what the record says, in the same words: an import cut off unanswered (SIGTERM) or answered with a server error
    // (HTTP 500, outsider 39) may have changed it, not "changed" it; "unanswered" was untrue of the 500
    String did = progress.changed ? "changed the Pi-hole" : "may have changed the Pi-hole (" + NOT_KNOWN + ")";
    // the line a reader of the log acts on: which backup undoes it, as the record says
    String undo = undo(snapshotId);
    if (database.isPresent()) {
      // one line, as every path says a database in trouble (JobFailures): expected and documented, its trace says nothing more
      log.warn("Restore {} of backup {} to {} {}, then its check was cut short: {}; check the Pi-hole, or restore again then{}",
          restore.id(), restore.backupId(), progress.target, did, database.get(), undo);
    } else if (stopping || classified(e)) {
      log.warn("Restore {} of backup {} to {} {}, then stopped: {}{}", restore.id(), restore.backupId(), progress.target, did, why, undo);
    } else {
      log.error("Restore {} of backup {} to {} {}, then failed unexpectedly{}", restore.id(), restore.backupId(), progress.target, did, undo, e);
    }
    String what = progress.changed ? "the Pi-hole WAS changed (restoring backup %d had begun), but".formatted(restore.backupId())
        : "the Pi-hole may have been changed (" + NOT_KNOWN + "):";
    // README: the steps not applied are named, the restore "partly restored", as when the Pi-hole was not ready for them
    String partly = progress.notSent.isEmpty() || !progress.changed ? "" : "partly restored: ";
    String unsent = progress.notSent.isEmpty() ? "" : "; %d step(s) were NOT applied: %s — restore again to apply them"
        .formatted(progress.notSent.size(), String.join(", ", progress.notSent));
    return finished(restore, Restore.State.UNVERIFIED, snapshotId, "%s%s %s; the result was not verified%s. Safety backup %d (pinned) holds what it"
        .formatted(partly, what, progress.changed ? midSentence(why) : why, unsent, snapshotId) + " had before — restore it to undo, or compare the Pi-hole with backup "
        + restore.backupId(), progress.refusedAndNotApplied(), List.of(), now);
  }

  /**
   * The failure as the record shows it. A classified one (the Pi-hole, the archive store, a
   * conflict, a file that could not be read) says what went wrong in words written for the user;
   * any other (a bug, a library's surprise) keeps its own text (SQL, row values, internals) in the
   * log only, as a failed backup does: the record is shown by the pages and the API.
   */
  static String failureMessage(Restore restore, Object target, Long snapshotId, RuntimeException e) {
    Optional<String> database = DatabaseTrouble.describe(e);
    if (database.isPresent()) {
      String next = "%s; %s; ask for it again then".formatted(database.get(), snapshotId == null
          ? "nothing was changed yet (no safety backup was taken)" : "nothing was sent to the Pi-hole yet; safety backup " + snapshotId
          + " was taken");
      // one line, as every path says a database in trouble (JobFailures): expected and documented, its trace says nothing more
      log.warn("Restore {} of backup {} to {} was cut short: {}", restore.id(), restore.backupId(), target, next);
      return "the restore could not go on: " + next;
    }
    if (classified(e)) {
      log.warn("Restore {} of backup {} to {} failed: {}", restore.id(), restore.backupId(), target, e.getMessage());
      return e.getMessage();
    }
    log.error("Restore {} of backup {} to {} failed unexpectedly", restore.id(), restore.backupId(), target, e);
    String wayBack = snapshotId == null ? "nothing was changed yet (no safety backup was taken)"
        : "nothing was sent to the Pi-hole yet; safety backup " + snapshotId + " was taken";
    return "the restore failed unexpectedly (%s); %s. The server log has the details; report this with the log if it happens again"
        .formatted(e.getClass().getSimpleName(), wayBack);
  }

  /** A message that opens with "The restart of …" goes after "but" as "the restart of …" (outsider 39: "…, but The restart"). */
  private static String midSentence(String why) {
    return why.startsWith("The ") ? "the " + why.substring(4) : why;
  }

  static boolean classified(RuntimeException e) {
    return e instanceof PiholeException || e instanceof BackupConflictException || e instanceof ArchiveStorageException
        || e instanceof ArchiveBusyException || e instanceof InstanceNotFoundException || e instanceof InstanceConflictException
        || e instanceof InvalidArchiveException || e instanceof BackupNotFoundException || e instanceof UncheckedIOException;
  }

  /** The restore's record as it ended, at {@code now}. */
  static Restore finished(Restore r, Restore.State state, Long snapshotId, String message, List<String> refused, List<String> differences,
      Instant now) {
    return new Restore(r.id(), r.backupId(), r.targetId(), r.mode(), state, snapshotId, message, List.copyOf(refused), List.copyOf(differences),
        r.startedAt(), now);
  }
}
