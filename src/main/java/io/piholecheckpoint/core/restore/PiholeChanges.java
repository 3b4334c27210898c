package io.piholecheckpoint.core.restore;

import io.piholecheckpoint.core.backup.catalog.Backup;
import io.piholecheckpoint.core.contents.ArchiveSettings;
import io.piholecheckpoint.core.download.ArchiveDownloader;
import io.piholecheckpoint.core.download.ContactFailures;
import io.piholecheckpoint.core.gateway.ImportScope;
import io.piholecheckpoint.core.gateway.PiholeException;
import io.piholecheckpoint.core.instance.PiholeInstance;
import io.piholecheckpoint.core.restore.login.RestartWait;
import io.piholecheckpoint.core.restore.login.RestoreLogin;
import io.piholecheckpoint.core.restore.parts.RestoreParts;
import io.piholecheckpoint.core.restore.parts.RestorePlan;
import io.piholecheckpoint.core.restore.record.Restore;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The requests of a restore that change the Pi-hole, over one login: the import (sent again after a 401), the wait for FTL's
 * restart after it, then the settings one key at a time; each noted in the restore's progress as answered, or maybe applied.
 */
public final class PiholeChanges {
  private static final Logger log = LoggerFactory.getLogger(RestoreRunner.class); // a restore's lines under one name, as RestoreOutcome's
  private static final Duration RESTART_LIMIT = Duration.ofSeconds(30);

  private final ArchiveDownloader downloader;
  private final ContactFailures failures;
  private final RestoreResults results;
  private final RestoreStop stop;
  private final Clock clock;

  /** @param failures where a login refused or failing is recorded: the instance's status says so, as after a backup's */
  public PiholeChanges(ArchiveDownloader downloader, ContactFailures failures, RestoreResults results, RestoreStop stop, Clock clock) {
    this.downloader = downloader;
    this.failures = failures;
    this.results = results;
    this.stop = stop;
    this.clock = clock;
  }

  /**
   * Sends what the parts change, from the backup's {@code archive}, to a target whose settings were {@code before}.
   *
   * @return the restore's end when the restart after the import ended it (locked out, or not ready for the settings); empty once
   *     all was sent
   */
  Optional<Restore> send(RestoreOutcome.Progress progress, RestoreParts parts, PiholeInstance target, Path archive, Backup snapshot,
      ArchiveSettings before, ArchiveSettings intended) {
    Restore restore = progress.record;
    Map<String, String> steps = parts.identity() ? Map.of() : RestorePlan.settingSteps(before, intended, parts);
    try (RestoreLogin login = new RestoreLogin(() -> downloader.openSession(target), e -> failures.record(target, e))) {
      if (parts.lists() || parts.identity()) {
        progress.steps.now("importing backup %d into '%s'".formatted(restore.backupId(), target.name()));
        importLoggingInAgainOn401(progress, login, archive, RestorePlan.scope(restore.mode(), parts), target);
        progress.applied++;
        try {
          progress.steps.now("waiting for '%s' to restart after the import".formatted(target.name()));
          new RestartWait(clock, RESTART_LIMIT, left -> downloader.openSessionWithin(target, left), progress.steps::now)
              .await(login, "Restore %d of backup %d to '%s'".formatted(restore.id(), restore.backupId(), target.name()), target.name());
        } catch (PiholeException e) {
          if (e.failure() == PiholeException.Failure.WRONG_PASSWORD && RestoreResults.loginChanged(before, intended)) {
            // the new login refused after a restore that gave it another password: say that, not "unverified" for an unseen restart
            return Optional.of(results.lockedOut(restore, target, snapshot, "", progress.refusedAndNotApplied()));
          }
          if (e.failure() == PiholeException.Failure.TWO_FACTOR && RestoreResults.totpChanged(before, intended)) {
            return Optional.of(results.twoFactorLockedOut(restore, target, snapshot, "", progress.refusedAndNotApplied()));
          }
          return Optional.of(restartNotSeen(e, progress, restore, target, snapshot, steps));
        }
      }
      if (!steps.isEmpty()) {
        progress.steps.now("applying %d setting(s) to '%s'".formatted(steps.size(), target.name()));
      }
      patchAll(login, progress, steps, target);
    }
    if (stop.stopping()) {
      throw stopping();
    }
    return Optional.empty();
  }

  /** Sends a request that changes the Pi-hole, noting whether it was answered. */
  private <T> T change(RestoreOutcome.Progress progress, Supplier<T> request) {
    if (stop.stopping()) {
      throw stopping();
    }
    try {
      T answer = request.get();
      progress.changed = true;
      return answer;
    } catch (PiholeException e) {
      progress.uncertain |= e.mayHaveApplied();
      throw e;
    } catch (RuntimeException e) {
      progress.uncertain = true;
      throw e;
    }
  }

  private static PiholeException stopping() {
    return new PiholeException(PiholeException.Failure.CANCELLED, "Pi-hole Checkpoint is stopping");
  }

  /**
   * The settings one key at a time. A failure that ends the restore (a 401 again in a new session, say) leaves the keys after it
   * unsent, and its own unless it may have been applied: the record lists them as NOT applied, so that "restore again" is seen
   * to be needed (outsider 49 F7: it listed none, though local DNS was never sent).
   */
  private void patchAll(RestoreLogin login, RestoreOutcome.Progress progress, Map<String, String> steps, PiholeInstance target) {
    List<String> keys = List.copyOf(steps.keySet());
    for (int i = 0; i < keys.size(); i++) {
      if (stop.stopping()) {
        progress.notSent(keys.subList(i, keys.size())); // none of these was sent: change() would count this one as maybe applied
        throw stopping();
      }
      try {
        patchOne(login, progress, keys.get(i), steps.get(keys.get(i)), target);
      } catch (PiholeException e) {
        progress.notSent(keys.subList(e.mayHaveApplied() ? i + 1 : i, keys.size()));
        throw e;
      }
    }
  }

  /**
   * An import answered 401 applied nothing: the Pi-hole no longer knew the session, and a 401 means "log in again"
   * (pihole-api.md). It is sent once more after a new login; a second 401 ends the restore with nothing applied.
   */
  private void importLoggingInAgainOn401(RestoreOutcome.Progress progress, RestoreLogin login, Path archive, ImportScope scope,
      PiholeInstance target) {
    change(progress, () -> login.loggingInAgainOn401(session -> session.importTeleporter(archive, scope),
        why -> log.info("Restore {} of backup {} to '{}': {}; logging in again to send the import once more", progress.record.id(),
            progress.record.backupId(), target.name(), why)));
  }

  /**
   * The restart wait after the import ended with {@code e}. A Pi-hole not ready within the limit leaves the settings not
   * applied, the outcome saying so; anything else ends the restore.
   */
  private Restore restartNotSeen(PiholeException e, RestoreOutcome.Progress progress, Restore restore, PiholeInstance target,
      Backup snapshot, Map<String, String> steps) {
    if (steps.isEmpty() || !e.failure().transientFailure()) {
      throw e;
    }
    // not ready within the limit: the settings were never sent, and saying "restored" would hide that they still need doing
    progress.notApplied(steps.keySet(), e);
    if (stop.stopping()) {
      throw e; // the wait was cut short by the stop, which records that the Pi-hole WAS changed, with these steps listed
    }
    return results.notReady(restore, target, snapshot, e, progress);
  }

  /**
   * One key through PATCH /api/config: applied, refused with the Pi-hole's reason, or not applied because it was not ready (503).
   * A 401 is no refusal of the key but a session the Pi-hole ended: sent once more after a new login, as the import is.
   */
  private void patchOne(RestoreLogin login, RestoreOutcome.Progress progress, String key, String value, PiholeInstance target) {
    try {
      change(progress, () -> login.loggingInAgainOn401(session -> session.patchConfig(key, value),
          why -> log.info("Restore {} of backup {} to '{}': {}; logging in again to send {} once more", progress.record.id(),
              progress.record.backupId(), target.name(), why, key)))
          .ifPresentOrElse(reason -> progress.refused.add(key + ": " + reason), () -> progress.applied++);
    } catch (PiholeException e) {
      if (e.failure() != PiholeException.Failure.SERVER_UNAVAILABLE) {
        throw e;
      }
      progress.notApplied(List.of(key), e);
    }
  }
}
