package io.piholecheckpoint.core.restore;

import io.piholecheckpoint.core.restore.parts.RestorePreview;
import io.piholecheckpoint.core.restore.parts.RestoreRefusedException;
import io.piholecheckpoint.core.restore.parts.RestoreParts;
import io.piholecheckpoint.core.restore.parts.RestoreMode;
import io.piholecheckpoint.core.restore.parts.RestoreSource;
import io.piholecheckpoint.core.restore.login.RestartWait;
import io.piholecheckpoint.core.restore.login.RestoreLogin;
import io.piholecheckpoint.core.archive.ArchiveStore;
import io.piholecheckpoint.core.archive.work.ArchiveWork;
import io.piholecheckpoint.core.backup.catalog.Backup;
import io.piholecheckpoint.core.backup.catalog.BackupCatalog;
import io.piholecheckpoint.core.backup.SafeChanges;
import io.piholecheckpoint.core.backup.events.Events;
import io.piholecheckpoint.core.contents.ArchiveContents;
import io.piholecheckpoint.core.contents.ArchiveReader;
import io.piholecheckpoint.core.contents.ArchiveSettings;
import io.piholecheckpoint.core.contents.ContentDiff;
import io.piholecheckpoint.core.contents.ListCategory;
import io.piholecheckpoint.core.contents.Page;
import io.piholecheckpoint.core.download.ArchiveDownloader;
import io.piholecheckpoint.core.download.ContactFailures;
import io.piholecheckpoint.core.gateway.ImportScope;
import io.piholecheckpoint.core.gateway.PiholeException;
import io.piholecheckpoint.core.instance.InstanceLabel;
import io.piholecheckpoint.core.instance.PiholeInstance;
import io.piholecheckpoint.core.job.DatabaseOutages;
import io.piholecheckpoint.core.registry.InstanceService;
import io.piholecheckpoint.core.restore.record.Restore;
import io.piholecheckpoint.core.restore.record.RestoreRepository;
import io.piholecheckpoint.core.units.JsonText;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Restores a backup to an instance: checks it, previews the change, takes a pinned safety
 * backup of the target, imports what the mode selects, waits for FTL's restart, then exports
 * again and compares with what was intended.
 */
public class RestoreRunner {
  private static final Logger log = LoggerFactory.getLogger(RestoreRunner.class);
  private static final Duration RESTART_LIMIT = Duration.ofSeconds(30);

  private final SafeChanges backups;
  private final InstanceService instances;
  private final ArchiveDownloader downloader;
  private final BackupCatalog catalog;
  private final ArchiveStore archives;
  private final ArchiveReader reader;
  private final RestoreRepository restores;
  private final Clock clock;
  private final Events events;
  private final ArchiveWork work;
  private final DatabaseOutages outages;
  private final RestoreSource sources;
  private final RestoreResults results;
  private final ContactFailures failures;
  private volatile boolean stopping;

  public RestoreRunner(SafeChanges backups, BackupCatalog catalog, InstanceService instances, ArchiveDownloader downloader, ArchiveStore archives,
      ArchiveReader reader,
                       RestoreRepository restores, Clock clock, Events events, ArchiveWork work) {
    this(backups, catalog, instances, downloader, archives, reader, restores, clock, events, work, DatabaseOutages.sleeping());
  }

  /** @param outages carries a restore's outcome through a database outage: unrecorded, it would stay "running" and block the next */
  public RestoreRunner(SafeChanges backups, BackupCatalog catalog, InstanceService instances, ArchiveDownloader downloader, ArchiveStore archives,
      ArchiveReader reader, RestoreRepository restores, Clock clock, Events events, ArchiveWork work, DatabaseOutages outages) {
    this.outages = outages;
    this.work = work;
    this.reader = reader;
    this.events = events;
    this.backups = backups;
    this.instances = instances;
    this.downloader = downloader;
    this.catalog = catalog;
    this.archives = archives;
    this.restores = restores;
    this.clock = clock;
    this.sources = new RestoreSource(catalog, archives, reader);
    this.failures = new ContactFailures(instances, clock, () -> stopping);
    this.results = new RestoreResults(instances, downloader, archives, reader, clock, () -> stopping, failures);
  }

  /** What restoring would change on the target now: from its live state to the intended one. */
  public RestorePreview preview(long backupId, long targetId, RestoreMode mode, RestoreParts parts) {
    Backup source = sources.checked(backupId);
    PiholeInstance target = instances.findCurrent(targetId);
    sources.requireParts(source, mode, parts); // before the Pi-hole is contacted: a preview of a refused restore would show what it cannot do
    try {
      return previewed(source, target, parts);
    } catch (PiholeException e) {
      // a dry run's contact is one as a restore's safety backup is: the dashboard says what failed (outsider 49 F13)
      failures.record(target, e);
      throw e;
    }
  }

  private RestorePreview previewed(Backup source, PiholeInstance target, RestoreParts parts) {
    // one turn for the export and its three reads, not three waits that may each time out
    return work.run(() -> downloader.withLiveExport(target, clock.instant(), live -> {
      try (ArchiveStore.PlainArchive backup = archives.open(source.archive().fileName())) {
        ArchiveSettings now = reader.settings(live);
        ArchiveSettings wanted = reader.settings(backup.path());
        Map<ListCategory, ContentDiff.Category> lists = restoresLists(parts) ? reader.listChanges(live, backup.path(), Page.DEFAULT_SIZE) : Map.of();
        return RestorePreview.of(ContentDiff.of(lists, now, intended(now, wanted, parts), Page.DEFAULT_SIZE), now, wanted, parts,
            results.secretVariables(target));
      }
    }));
  }

  /** @throws io.piholecheckpoint.core.archive.BackupNotFoundException or InstanceNotFoundException when either is unknown */
  public void requireKnown(long backupId, long targetId) {
    catalog.find(backupId);
    instances.find(targetId);
  }

  /** Starts the record of a restore; {@link #run} carries it out. */
  public Restore begin(long backupId, long targetId, RestoreMode mode) {
    return begin(backupId, targetId, mode, RestoreParts.of(mode, null));
  }

  /**
   * Starts the record of a restore of these parts; {@link #run} carries it out.
   *
   * @throws RestoreRefusedException when the backup does not hold what the parts ask for
   */
  public Restore begin(long backupId, long targetId, RestoreMode mode, RestoreParts parts) {
    return begin(backupId, targetId, mode, parts, Optional.empty());
  }

  /**
   * {@link #begin(long, long, RestoreMode, RestoreParts)} of a restore that runs after {@code ahead}: its record names that one
   * (restores run one at a time), or else the backup or sync holding its Pi-hole's turn, not only "waiting for its turn".
   */
  public Restore begin(long backupId, long targetId, RestoreMode mode, RestoreParts parts, Optional<Restore> ahead) {
    Backup source = sources.restorable(backupId);
    // checked now when a turn for archive work is free; else the run checks it when its turn comes, as it does anyway before it
    // changes anything: waiting here held the request up to ARCHIVE_BUSY_WAIT_SECONDS, then refused it while backups ran
    Optional<ArchiveWork.Permit> turn = work.takeNow();
    try {
      turn.ifPresent(permit -> sources.verified(source));
    } finally {
      turn.ifPresent(ArchiveWork.Permit::close);
    }
    instances.findCurrent(targetId); // a removed target is refused before anything is recorded or contacted
    sources.requireParts(source, mode, parts);
    String behind = ahead.map(r -> ": behind restore %d to %s".formatted(r.id(), InstanceLabel.of(r.targetId(), instances::lookUp)))
        .or(() -> backups.heldBy(targetId).map(what -> ": " + what + " is running")).orElse("");
    String message = "waiting for its turn" + behind + (turn.isPresent() ? "" : work.busyWith()
        .map(busy -> "; backup %d is checked when %s lets it".formatted(backupId, busy))
        .orElse("; backup %d is checked when other archive work (backups' checks, previews, diffs) lets it".formatted(backupId)));
    return restores.insert(new Restore(0, backupId, targetId, mode, Restore.State.QUEUED, null, message, List.of(), List.of(), clock.instant(), null));
  }

  /**
   * Carries out a restore begun with {@link #begin}; never throws, the outcome goes into the
   * record. Its state tells the truth about the Pi-hole: {@code FAILED} only while nothing was
   * sent that changes it; once something was (or may have been), {@code UNVERIFIED} unless the
   * check afterwards ran.
   */
  public Restore run(Restore restore, RestoreParts parts) {
    RestoreOutcome.Progress progress = new RestoreOutcome.Progress(restore, InstanceLabel.of(restore.targetId(), instances::lookUp),
        DatabaseOutages.skippingWhilePassing(restores::update, "A restore's step"));
    Restore done;
    if (stopping) {
      done = finish(restore, Restore.State.FAILED, null, "not started: Pi-hole Checkpoint stopped before this restore's turn; nothing was changed"
          + " — ask for it again once it runs", List.of(), List.of());
      log.info("Restore {} of backup {} to instance {}: {}", done.id(), done.backupId(), done.targetId(), done.message());
    } else {
      // behind a backup or sync of the same Pi-hole it is still queued (nothing of it has started), and its record says behind what
      backups.heldBy(restore.targetId()).ifPresent(what ->
          restores.update(progress.record = withState(restore, Restore.State.QUEUED, "waiting for its turn: " + what + " is running")));
      try {
        // its archive work waits for a turn as long as it takes (nobody waits on its answer), and its record says so meanwhile
        done = work.patiently(progress.steps, () -> backups.exclusively(restore.targetId(),
            "a restore to '" + instances.find(restore.targetId()).name() + "'", () -> {
              restores.update(progress.record = withState(progress.record, Restore.State.RUNNING, "started"));
              return apply(progress, parts);
            }));
      } catch (RuntimeException e) {
        done = RestoreOutcome.failed(progress, e, stopping, clock.instant());
      }
    }
    if (done.state() == Restore.State.FAILED && done.snapshotId() != null) {
      done = withoutSafetyBackup(done);
    }
    Restore ended = done;
    outages.record("the outcome (%s) of restore %d to instance %d".formatted(done.state().name().toLowerCase(java.util.Locale.ROOT), done.id(),
        done.targetId()), () -> restores.update(ended));
    if (done.state() == Restore.State.UNVERIFIED) {
      events.restoreUnverified(instances.find(done.targetId()), done.message());
    } else {
      events.restoreFinished(instances.find(done.targetId()), done.state() == Restore.State.VERIFIED, done.message());
    }
    return done;
  }

  /**
   * A failed restore applied nothing (else it would be unverified): the safety backup it took holds what the Pi-hole still
   * holds, so it is deleted. Unpinned and left to retention, each refused attempt's copy counted toward MAX_BACKUPS and pushed
   * ordinary backups out, the restored one among them. Its record then links none, and says why.
   */
  private Restore withoutSafetyBackup(Restore failed) {
    long snapshotId = failed.snapshotId();
    try {
      backups.discardSafetyBackup(snapshotId, "(the safety backup of restore %d of backup %d to %s, which failed with nothing applied)"
          .formatted(failed.id(), failed.backupId(), InstanceLabel.of(failed.targetId(), instances::lookUp)));
    } catch (RuntimeException e) {
      log.warn("Restore {} changed nothing, but its safety backup {} could not be deleted: {}; it stays pinned — delete it by hand",
          failed.id(), snapshotId, e.getMessage());
      return failed;
    }
    return new Restore(failed.id(), failed.backupId(), failed.targetId(), failed.mode(), failed.state(), null,
        failed.message() + " (safety backup " + snapshotId + " was deleted again: nothing was applied, so it held what the Pi-hole still holds)",
        failed.refusedSettings(), failed.differences(), failed.startedAt(), failed.finishedAt());
  }

  /**
   * At shutdown: the running restore stops at its next step (its downloads are cut off, a sent
   * import's answer is still awaited briefly) and records how far it got; queued ones do not start.
   */
  public void stop() {
    stopping = true;
    downloader.cancelDownloads();
  }

  /** Sends a request that changes the Pi-hole, noting whether it was answered. */
  private <T> T change(RestoreOutcome.Progress progress, java.util.function.Supplier<T> request) {
    if (stopping) {
      throw new PiholeException(PiholeException.Failure.CANCELLED, "Pi-hole Checkpoint is stopping");
    }
    try {
      T answer = request.get();
      progress.changed = true;
      return answer;
    } catch (PiholeException e) {
      // a refusal is an answer: nothing was applied; a broken or cut-off request may have been
      // as is a server error (5xx) that answers a request sent whole: it does not say whether the change was applied
      // a rate limit's 429 too is a refusal, however soon a retry may pass
      boolean refused = e.failure() == PiholeException.Failure.RATE_LIMITED && !e.outcomeUnknown();
      progress.uncertain |= !refused && e.failure().transientFailure() || e.failure() == PiholeException.Failure.CANCELLED || e.outcomeUnknown();
      throw e;
    } catch (RuntimeException e) {
      progress.uncertain = true;
      throw e;
    }
  }

  private Restore apply(RestoreOutcome.Progress progress, RestoreParts parts) {
    Restore restore = progress.record;
    PiholeInstance target = instances.find(restore.targetId());
    progress.steps.now("checking backup %d".formatted(restore.backupId()));
    Backup source = sources.checked(restore.backupId());
    // opened once and held through the restore: its settings, the import and the comparison afterwards read this copy (each open
    // of an encrypted 50 MB archive decrypts and hashes all of it again)
    try (ArchiveStore.PlainArchive archive = catalog.archiveOf(source.id())) {
      return apply(progress, parts, target, source, archive);
    } catch (IOException e) {
      throw new UncheckedIOException("could not read backup " + source.id(), e);
    }
  }

  private Restore apply(RestoreOutcome.Progress progress, RestoreParts parts, PiholeInstance target, Backup source, ArchiveStore.PlainArchive archive)
      throws IOException {
    Restore restore = progress.record;
    ArchiveSettings wanted = reader.settings(archive.path());
    progress.steps.now("taking the safety backup of '%s'".formatted(target.name()));
    Backup snapshot = backups.runSafetyBackup(target.id());
    if (!snapshot.successful()) {
      String message = "nothing was changed: the safety backup of '" + target.name() + "' failed: " + snapshot.errorMessage()
          + " — restore again once a backup of it succeeds";
      log.warn("Restore {} of backup {} to '{}': {}", restore.id(), restore.backupId(), target.name(), message);
      return finish(restore, Restore.State.FAILED, null, message, List.of(), List.of());
    }
    // recorded before anything is changed: a restore that fails from here on is exactly the one to undo
    Restore linked = new Restore(restore.id(), restore.backupId(), restore.targetId(), restore.mode(), restore.state(), snapshot.id(),
        progress.steps.step(), restore.refusedSettings(), restore.differences(), restore.startedAt(), null);
    restores.update(linked);
    progress.record = linked;
    ArchiveSettings before = sources.settings(snapshot);
    ArchiveSettings intended = intended(before, wanted, parts);
    Map<String, String> steps = parts.identity() ? Map.of() : settingSteps(before, intended, parts);
    // a login refused or failing leaves the instance's status saying so, as a backup's does, whatever the restore's record says
    try (RestoreLogin login = new RestoreLogin(() -> downloader.openSession(target), e -> failures.record(target, e))) {
      if (parts.lists() || parts.identity()) {
        progress.steps.now("importing backup %d into '%s'".formatted(source.id(), target.name()));
        importLoggingInAgainOn401(progress, login, archive.path(), scope(restore.mode(), parts), target);
        progress.applied++;
        try {
          progress.steps.now("waiting for '%s' to restart after the import".formatted(target.name()));
          new RestartWait(clock, RESTART_LIMIT, left -> downloader.openSessionWithin(target, left), progress.steps::now)
              .await(login, "Restore %d of backup %d to '%s'".formatted(restore.id(), restore.backupId(), target.name()), target.name());
        } catch (PiholeException e) {
          if (e.failure() == PiholeException.Failure.WRONG_PASSWORD && RestoreResults.loginChanged(before, intended)) {
            // the new login refused after a restore that gave it another password: say that, not "unverified" for an unseen restart
            return results.lockedOut(linked, target, snapshot, "", progress.refusedAndNotApplied());
          }
          if (e.failure() == PiholeException.Failure.TWO_FACTOR && RestoreResults.totpChanged(before, intended)) {
            return results.twoFactorLockedOut(linked, target, snapshot, "", progress.refusedAndNotApplied());
          }
          return restartNotSeen(e, progress, linked, target, snapshot, steps);
        }
      }
      if (!steps.isEmpty()) {
        progress.steps.now("applying %d setting(s) to '%s'".formatted(steps.size(), target.name()));
      }
      steps.forEach((key, value) -> patchOne(login, progress, key, value, target));
    }
    if (stopping) {
      throw new PiholeException(PiholeException.Failure.CANCELLED, "Pi-hole Checkpoint is stopping");
    }
    return results.verify(linked, target, snapshot, restoresLists(parts) ? archive : null, intended, RestoreResults.loginChanged(before, intended),
        RestoreResults.totpChanged(before, intended), progress);
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
    if (stopping) {
      throw e; // the wait was cut short by the stop, which records that the Pi-hole WAS changed, with these steps listed
    }
    return results.notReady(restore, target, snapshot, e, progress);
  }

  /**
   * Local DNS and settings go through PATCH /api/config, one key at a time, so one refused key
   * does not stop the rest: these keys and values, in the order they are sent.
   */
  private static Map<String, String> settingSteps(ArchiveSettings before, ArchiveSettings intended, RestoreParts parts) {
    Map<String, String> steps = new java.util.LinkedHashMap<>();
    if (parts.localDns()) {
      steps.put("dns.hosts", JsonText.stringArray(intended.dnsRecords()));
      steps.put("dns.cnameRecords", JsonText.stringArray(intended.cnames()));
    }
    if (parts.settings()) {
      intended.settings().forEach((key, value) -> {
        // a secret is never sent: only its digest is known here, and identity (where all of them live) is restored by import
        if (!ArchiveContents.secret(key) && !value.equals(before.settings().get(key))) {
          steps.put(key, value);
        }
      });
    }
    return steps;
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

  private static boolean restoresLists(RestoreParts parts) {
    return parts.lists();
  }

  /**
   * What the import replaces: exactly the parts asked for. Only EXACT is a full import (the selector omitted); a custom restore
   * of identity imports the config alone, never the gravity tables or DHCP leases it did not tick (outsider 39).
   */
  static ImportScope scope(RestoreMode mode, RestoreParts parts) {
    if (mode == RestoreMode.EXACT) {
      return ImportScope.EVERYTHING;
    }
    if (parts.identity()) {
      return parts.lists() ? ImportScope.LISTS_AND_CONFIG : ImportScope.CONFIG;
    }
    return ImportScope.LISTS;
  }

  /** The target's settings and local DNS once the parts are applied from the backup. */
  static ArchiveSettings intended(ArchiveSettings live, ArchiveSettings backup, RestoreParts parts) {
    if (parts.identity()) {
      return backup;
    }
    Map<String, String> settings = new TreeMap<>(live.settings());
    if (parts.settings()) {
      backup.settings().forEach((key, value) -> {
        if (!RestoreParts.identityKey(key) && !ArchiveContents.secret(key)) {
          settings.put(key, value);
        }
      });
    }
    return new ArchiveSettings(parts.localDns() ? backup.dnsRecords() : live.dnsRecords(), parts.localDns() ? backup.cnames() : live.cnames(),
        settings, live.changedSettings(), live.secrets());
  }

  private static Restore withState(Restore r, Restore.State state, String message) {
    return new Restore(r.id(), r.backupId(), r.targetId(), r.mode(), state, r.snapshotId(), message, r.refusedSettings(), r.differences(),
        r.startedAt(), r.finishedAt());
  }

  private Restore finish(Restore r, Restore.State state, Long snapshotId, String message, List<String> refused, List<String> differences) {
    return RestoreOutcome.finished(r, state, snapshotId, message, refused, differences, clock.instant());
  }
}
