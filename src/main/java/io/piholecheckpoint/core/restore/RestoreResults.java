package io.piholecheckpoint.core.restore;

import io.piholecheckpoint.core.archive.ArchiveStore;
import io.piholecheckpoint.core.backup.catalog.Backup;
import io.piholecheckpoint.core.contents.ArchiveReader;
import io.piholecheckpoint.core.contents.ArchiveSettings;
import io.piholecheckpoint.core.contents.ContentDiff;
import io.piholecheckpoint.core.contents.Differences;
import io.piholecheckpoint.core.contents.Page;
import io.piholecheckpoint.core.download.ArchiveDownloader;
import io.piholecheckpoint.core.download.ContactFailures;
import io.piholecheckpoint.core.gateway.PiholeException;
import io.piholecheckpoint.core.instance.PiholeInstance;
import io.piholecheckpoint.core.registry.InstanceService;
import io.piholecheckpoint.core.restore.parts.RestoreMode;
import io.piholecheckpoint.core.restore.parts.RestorePreview;
import io.piholecheckpoint.core.restore.parts.SecretVariables;
import io.piholecheckpoint.core.restore.record.Restore;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How a restore that changed the Pi-hole ends: a fresh export compared with what was intended (verified or different), or
 * unverified, saying why — the Pi-hole not ready for the rest, the check that could not run, or a login the restore
 * locked out (which the instance's status then tells too).
 */
public final class RestoreResults {
  private static final Logger log = LoggerFactory.getLogger(RestoreRunner.class); // a restore's lines under one name, as RestoreOutcome's
  /** The settings a login is checked against: an exact restore that changes one locks out the password configured here. */
  private static final List<String> LOGIN_SECRETS = List.of("webserver.api.pwhash", "webserver.api.app_pwhash");
  /** The 2FA secret: a restore that changes it (or turns 2FA on) locks out the TOTP secret configured here. */
  private static final String TOTP_SECRET = "webserver.api.totp_secret";

  private final InstanceService instances;
  private final ArchiveDownloader downloader;
  private final ArchiveStore archives;
  private final ArchiveReader reader;
  private final Clock clock;
  private final BooleanSupplier stopping;
  private final ContactFailures failures;

  /** @param stopping whether the server is stopping: a check cut off by it says so, not that the Pi-hole failed */
  public RestoreResults(InstanceService instances, ArchiveDownloader downloader, ArchiveStore archives, ArchiveReader reader, Clock clock,
      BooleanSupplier stopping, ContactFailures failures) {
    this.failures = failures;
    this.instances = instances;
    this.downloader = downloader;
    this.archives = archives;
    this.reader = reader;
    this.clock = clock;
    this.stopping = stopping;
  }

  /** The restart wait after the import ended with the Pi-hole not ready: the import was applied, the settings never sent. */
  Restore notReady(Restore restore, PiholeInstance target, Backup snapshot, PiholeException e, RestoreOutcome.Progress progress) {
    String message = ("partly restored: the import of backup %d was applied, but the Pi-hole was not ready for the rest (%s), so %d step(s)"
        + " were NOT applied: %s — restore again once it answers to apply them. The result was not verified; safety backup %d (pinned) holds"
        + " what it had before — restore it to undo").formatted(restore.backupId(), e.getMessage(), progress.notApplied.size(),
        String.join(", ", progress.notApplied.keySet()), snapshot.id());
    log.warn("Restore {} of backup {} to '{}': {}", restore.id(), restore.backupId(), target.name(), message);
    return finish(restore, Restore.State.UNVERIFIED, snapshot.id(), message, progress.refusedAndNotApplied(), List.of());
  }

  /** Whether the restore gives the Pi-hole another password or app password than it had: compared by digest, never by value. */
  static boolean loginChanged(ArchiveSettings before, ArchiveSettings intended) {
    return LOGIN_SECRETS.stream().anyMatch(key -> !intended.secrets().same(key, before.secrets()));
  }

  /** Whether the restore gives the Pi-hole another 2FA secret than it had (turning 2FA on is one): compared by digest. */
  static boolean totpChanged(ArchiveSettings before, ArchiveSettings intended) {
    return !intended.secrets().same(TOTP_SECRET, before.secrets());
  }

  /**
   * Compares a fresh export with the intended state: lists with the archive they came from, settings with the plan.
   *
   * @param restored the backup's archive when the lists were restored from it; null when they were not (then they are the safety backup's)
   */
  Restore verify(Restore restore, PiholeInstance target, Backup snapshot, ArchiveStore.PlainArchive restored, ArchiveSettings intended,
      boolean loginChanged, boolean totpChanged, RestoreOutcome.Progress progress) {
    List<String> refused = progress.refusedAndNotApplied();
    String notApplied = progress.notApplied.isEmpty() ? "" : "; %d step(s) were NOT applied because the Pi-hole was not ready (%s): %s —"
        .formatted(progress.notApplied.size(), String.join("; ", new java.util.LinkedHashSet<>(progress.notApplied.values())),
            String.join(", ", progress.notApplied.keySet())) + " restore again to apply them";
    Differences differences;
    progress.steps.now("checking the result: comparing a fresh export of '%s' with what was intended".formatted(target.name()));
    try {
      differences = downloader.withLiveExport(target, clock.instant(), after -> {
        try (ArchiveStore.PlainArchive opened = restored != null ? null : archives.open(snapshot.archive().fileName())) {
          Path expected = restored != null ? restored.path() : opened.path();
          return Differences.of(ContentDiff.of(reader.listChanges(expected, after, Page.DEFAULT_SIZE), intended, reader.settings(after),
              Page.DEFAULT_SIZE), refused);
        }
      });
    } catch (PiholeException e) {
      if (e.failure() == PiholeException.Failure.WRONG_PASSWORD && loginChanged) { // exact, or custom with identity: the config import
        return lockedOut(restore, target, snapshot, notApplied, refused);
      }
      if (e.failure() == PiholeException.Failure.TWO_FACTOR && totpChanged) {
        return twoFactorLockedOut(restore, target, snapshot, notApplied, refused);
      }
      boolean refusedLogin = e.failure() == PiholeException.Failure.WRONG_PASSWORD && restore.mode() == RestoreMode.EXACT;
      String why = refusedLogin
          ? ("restored, but the login to check it was refused, and not because of the restore: backup %d holds the password and app password"
            + " the Pi-hole had before it, so they did not change. Check that the password configured here (%s) is still the Pi-hole's (was it"
            + " changed on the Pi-hole meanwhile?) and the Pi-hole's log (pihole -t); then compare the Pi-hole with backup %d")
            .formatted(restore.backupId(), target.settingsPrefix() == null ? "in its settings" : target.settingsPrefix() + "PASSWORD",
                restore.backupId())
          : stopping.getAsBoolean() ? "restored, but Pi-hole Checkpoint stopped before it could check the result; compare the Pi-hole with backup " + restore.backupId()
          : "restored, but it could not be checked: " + e.getMessage();
      String message = (notApplied.isEmpty() ? why : why.replaceFirst("^restored", "partly restored")) + notApplied + RestoreOutcome.undo(snapshot.id());
      log.warn("Restore {} of backup {} to '{}': {}", restore.id(), restore.backupId(), target.name(), message);
      // the check was a contact with the Pi-hole, and it failed: the instance says so until a backup or a Test succeeds
      failures.record(target, e);
      return finish(restore, Restore.State.UNVERIFIED, snapshot.id(), message, refused, List.of());
    }
    // not one change accepted (every PATCH answered with an error, say): "restored" would be untrue, whatever the check found
    boolean nothingApplied = progress.applied == 0 && !(progress.refused.isEmpty() && progress.notApplied.isEmpty());
    boolean verified = differences.isEmpty() && !nothingApplied && progress.notApplied.isEmpty();
    String message = nothingApplied
        ? "nothing was restored: the Pi-hole accepted none of the %d change(s) sent (see the refused settings)%s; safety backup %d (pinned) holds what it had before"
            .formatted(refused.size(), differences.isEmpty() ? "" : ", and " + remain(differences, " other"), snapshot.id())
        : !progress.notApplied.isEmpty() ? "partly restored" + (differences.isEmpty() ? "" : ", " + remain(differences, ""))
        : verified ? "restored and verified" + (refused.isEmpty() ? "" : " (" + refused.size() + " setting(s) refused by the Pi-hole)")
        : "restored, but " + remain(differences, "");
    message += notApplied;
    log.info("Restore {} of backup {} to '{}': {}", restore.id(), restore.backupId(), target.name(), message);
    return finish(restore, verified ? Restore.State.VERIFIED : Restore.State.DIFFERENT, snapshot.id(), message, refused, differences.lines());
  }

  /** "20,009 differences remain": every item that differs, not the lines listed ("… and 19,901 more" is not one). */
  private static String remain(Differences differences, String other) {
    long n = differences.count();
    return String.format(java.util.Locale.ROOT, "%,d", n) + other + (n == 1 ? " difference remains" : " differences remain");
  }

  /**
   * The restore gave the Pi-hole the password it had when the backup was taken, and the one configured here is refused. Until
   * a login with the configured one succeeds again (the next backup's records OK), the instance says it fails, and why.
   */
  Restore lockedOut(Restore restore, PiholeInstance target, Backup snapshot, String notApplied, List<String> refused) {
    String advice = RestorePreview.newPassword(SecretVariables.of(downloader, target));
    return lockedOut(restore, target, snapshot, notApplied, refused, "restored, but the password configured here no longer works: the Pi-hole"
        + " now has the password it had when backup " + restore.backupId() + " was taken — " + advice,
        "the password configured here no longer works: restore " + restore.id() + " brought back the password the Pi-hole had when backup "
            + restore.backupId() + " was taken — " + advice);
  }

  /**
   * The same for 2FA: the restore gave the Pi-hole the 2FA secret it had when the backup was taken (or turned 2FA on), and
   * the login with what is configured here is refused: until a login succeeds again, the instance says it fails, and why.
   */
  Restore twoFactorLockedOut(Restore restore, PiholeInstance target, Backup snapshot, String notApplied, List<String> refused) {
    String advice = RestorePreview.newTotpSecret(SecretVariables.of(downloader, target));
    return lockedOut(restore, target, snapshot, notApplied, refused, "restored, but the two-factor login configured here no longer works:"
        + " the Pi-hole now asks for codes from the 2FA secret it had when backup " + restore.backupId() + " was taken — " + advice,
        "the two-factor login configured here no longer works: restore " + restore.id() + " brought back the 2FA secret the Pi-hole had when"
            + " backup " + restore.backupId() + " was taken — " + advice);
  }

  private Restore lockedOut(Restore restore, PiholeInstance target, Backup snapshot, String notApplied, List<String> refused, String why,
      String status) {
    // undone once the login works again: the safety backup is restored with the password or 2FA entered as the advice says
    String message = (notApplied.isEmpty() ? why : why.replaceFirst("^restored", "partly restored")) + notApplied + RestoreOutcome.undo(snapshot.id());
    log.warn("Restore {} of backup {} to '{}': {}", restore.id(), restore.backupId(), target.name(), message);
    instances.recordStatus(target.id(), new PiholeInstance.Status(io.piholecheckpoint.core.instance.ConnectionStatus.AUTH_ERROR, status,
        clock.instant(), target.status().piholeVersion(), target.status().seatsInUse()));
    return finish(restore, Restore.State.UNVERIFIED, snapshot.id(), message, refused, List.of());
  }

  private Restore finish(Restore r, Restore.State state, Long snapshotId, String message, List<String> refused, List<String> differences) {
    return RestoreOutcome.finished(r, state, snapshotId, message, refused, differences, clock.instant());
  }
}
