package io.piholecheckpoint.core.sync;

import io.piholecheckpoint.core.archive.ArchiveStore;
import io.piholecheckpoint.core.archive.BackupNotFoundException;
import io.piholecheckpoint.core.archive.WrongPassphraseException;
import io.piholecheckpoint.core.backup.SafeChanges;
import io.piholecheckpoint.core.backup.catalog.Backup;
import io.piholecheckpoint.core.backup.catalog.BackupCatalog;
import io.piholecheckpoint.core.contents.ArchiveReader;
import io.piholecheckpoint.core.contents.ArchiveSettings;
import io.piholecheckpoint.core.contents.ContentDiff;
import io.piholecheckpoint.core.contents.Page;
import io.piholecheckpoint.core.download.ArchiveDownloader;
import io.piholecheckpoint.core.download.ContactFailures;
import io.piholecheckpoint.core.gateway.ImportScope;
import io.piholecheckpoint.core.gateway.PiholeException;
import io.piholecheckpoint.core.gateway.PiholeSession;
import io.piholecheckpoint.core.instance.PiholeInstance;
import io.piholecheckpoint.core.job.DatabaseBusyException;
import io.piholecheckpoint.core.job.DatabaseTrouble;
import io.piholecheckpoint.core.registry.InstanceService;
import io.piholecheckpoint.core.restore.login.RestartWait;
import io.piholecheckpoint.core.restore.login.RestoreLogin;
import io.piholecheckpoint.core.sync.groups.SyncGroup;
import io.piholecheckpoint.core.sync.holds.Hold;
import io.piholecheckpoint.core.sync.holds.UnreadablePrimary;
import io.piholecheckpoint.core.sync.runs.RunProgress;
import io.piholecheckpoint.core.sync.runs.SyncRun;
import io.piholecheckpoint.core.sync.runs.SyncRunRepository;
import io.piholecheckpoint.core.units.JsonText;
import io.piholecheckpoint.core.units.LogText;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes one replica like its primary's backup: a fresh export of the replica (discarded), the
 * difference limited to the group's mode, and only that sent — nothing at all when nothing
 * differs, so an unchanged replica is never restarted. Then it exports again and checks.
 */
public class SyncRunner {
  private static final Logger log = LoggerFactory.getLogger(SyncRunner.class);
  private static final Duration RESTART_LIMIT = Duration.ofSeconds(30);
  private static final String APP_SUDO = "webserver.api.app_sudo";

  private final SafeChanges backups;
  private final BackupCatalog catalog;
  private final ArchiveDownloader downloader;
  private final ArchiveReader reader;
  private final SyncRunRepository runs;
  private final Clock clock;
  private final ContactFailures failures;
  private final UnreadablePrimary unreadable;

  public SyncRunner(SafeChanges backups, BackupCatalog catalog, InstanceService instances, ArchiveDownloader downloader, ArchiveReader reader,
                    SyncRunRepository runs, Clock clock) {
    this.backups = backups;
    this.failures = new ContactFailures(instances, clock, backups::stopping);
    this.catalog = catalog;
    this.unreadable = new UnreadablePrimary(catalog);
    this.downloader = downloader;
    this.reader = reader;
    this.runs = runs;
    this.clock = clock;
  }

  /**
   * What the replica lacks now; changes nothing (one login, one export, logged out). With no
   * {@code source} (the primary has no good backup) the primary's own fresh export, discarded,
   * stands for it: a preview never takes a backup, which would start the sync after it.
   */
  public ReplicaPlan preview(SyncGroup group, PiholeInstance primary, Optional<Backup> source, PiholeInstance replica) {
    if (source.isPresent()) {
      return withPrimary(primary, source.get(), (wanted, settings) -> previewAgainst(group, wanted, settings, replica));
    }
    return downloader.withLiveExport(primary, clock.instant(), wanted -> previewAgainst(group, wanted, reader.settings(wanted), replica));
  }

  private ReplicaPlan previewAgainst(SyncGroup group, Path wanted, ArchiveSettings primary, PiholeInstance replica) {
    return backups.exclusively(replica.id(), "a sync preview of '" + replica.name() + "' (group " + group.id() + ")", () -> {
      try (PiholeSession session = loggedIn(replica)) {
        return downloader.withLiveExport(session, replica, clock.instant(), live -> {
          ArchiveSettings now = reader.settings(live);
          ReplicaPlan plan = ReplicaPlan.of(reader.listChanges(live, wanted, Page.DEFAULT_SIZE), now, primary, group, Page.DEFAULT_SIZE);
          return readOnly(session, now, replica).map(plan::warning).orElse(plan);
        });
      }
    });
  }

  /** A preview's login, refused or failing, leaves the replica's status saying so, as a run's does: the user previews to check a group. */
  private PiholeSession loggedIn(PiholeInstance replica) {
    try {
      return downloader.openSession(replica);
    } catch (PiholeException e) {
      failures.record(replica, e);
      throw e;
    }
  }

  /**
   * Why this replica would refuse a run's changes though it lets a preview look (an export is a
   * read): signed in to with an app password while its {@code webserver.api.app_sudo} is false
   * (Pi-hole's default), every import and settings change is a 403.
   */
  static Optional<String> readOnly(PiholeSession session, ArchiveSettings replica, PiholeInstance instance) {
    if (!"app password".equals(session.authentication()) || "true".equals(replica.settings().get(APP_SUDO))) {
      return Optional.empty();
    }
    return Optional.of("a sync that has anything to send to '" + instance.name() + "' would fail with 403: it is signed in to with an app"
        + " password, and its " + APP_SUDO + " is false, so the session is read-only. Set " + APP_SUDO + "=true on it (Settings → All"
        + " settings → Webserver and API, or FTLCONF_webserver_api_app_sudo=true), or give Pi-hole Checkpoint its password instead");
  }

  /**
   * Syncs one replica, never while a backup or restore of it runs; records the run and returns it.
   * Never throws: a replica that fails, fails alone.
   */
  public SyncRun run(SyncGroup group, PiholeInstance primary, Backup source, PiholeInstance replica) {
    Instant started = clock.instant();
    RunProgress progress = new RunProgress();
    SyncRun run;
    try {
      run = backups.exclusively(replica.id(), "a sync of '" + replica.name() + "' (group " + group.id() + ")",
          () -> sync(group, primary, source, replica, progress));
    } catch (RuntimeException e) {
      run = failure(e, progress, replica);
    }
    return record(new SyncRun(0, group.id(), primary.id(), replica.id(), source.id(), run.outcome(), run.code(), run.message(),
        run.changes(), progress.refusedAndNotSent(), progress.snapshotId(), started, clock.instant()), primary, replica);
  }

  /** Records that the replica was not synced because the primary has no backup to sync from (and none could be taken). */
  public SyncRun withoutSource(SyncGroup group, PiholeInstance primary, PiholeInstance replica, String why) {
    return unsent(group, primary, replica, SyncRun.Outcome.FAILED, "no_primary_backup", "nothing was sent: " + why);
  }

  /** Records that the replica was not synced, not contacted, because of {@code hold}. */
  public SyncRun held(SyncGroup group, PiholeInstance primary, PiholeInstance replica, Hold hold) {
    return unsent(group, primary, replica, SyncRun.Outcome.FAILED, hold.code(), hold.why());
  }

  /**
   * Records that the replica's run was cut short by a process or node that stopped ({@code message} says which).
   *
   * @param logged the message as the log line says it: the same words, its times naming their zone (the line's stamp is UTC)
   * @param snapshotId the pinned safety backup the run had taken of the replica before it changed anything; null when none
   * @param startedAt when the run began (its note says): the record's start, its end being when the interruption was found
   */
  public SyncRun interrupted(SyncGroup group, PiholeInstance primary, PiholeInstance replica, String message, String logged, Long snapshotId,
      Instant startedAt) {
    return record(new SyncRun(0, group.id(), primary.id(), replica.id(), null, SyncRun.Outcome.FAILED, "interrupted", message, null, List.of(),
        snapshotId, startedAt, clock.instant()), primary, replica, recorded -> logged);
  }

  /** The time a run's records are stamped with. */
  Instant now() {
    return clock.instant();
  }

  /** Records that the replica was left alone, not contacted, because it or the primary is switched off. */
  public SyncRun skipped(SyncGroup group, PiholeInstance primary, PiholeInstance replica, String why) {
    return unsent(group, primary, replica, SyncRun.Outcome.SKIPPED, "switched_off", why);
  }

  private SyncRun unsent(SyncGroup group, PiholeInstance primary, PiholeInstance replica, SyncRun.Outcome outcome, String code, String message) {
    Instant now = clock.instant();
    return record(new SyncRun(0, group.id(), primary.id(), replica.id(), null, outcome, code, message, null, List.of(), null, now, now),
        primary, replica);
  }

  private SyncRun record(SyncRun run, PiholeInstance primary, PiholeInstance replica) {
    return record(run, primary, replica, SyncRun::message);
  }

  /** @param logged what the log line says of the run recorded: its message, or the same words with zoned times */
  private SyncRun record(SyncRun run, PiholeInstance primary, PiholeInstance replica, java.util.function.Function<SyncRun, String> logged) {
    SyncRun recorded = runs.insert(run);
    String group = run.group();
    if (recorded.outcome() == SyncRun.Outcome.FAILED || recorded.outcome() == SyncRun.Outcome.PARTIAL) {
      log.warn("Sync {} of '{}' from '{}': {} — {}", group, replica.name(), primary.name(), recorded.outcome(), logged.apply(recorded));
    } else {
      log.info("Sync {} of '{}' from '{}': {} — {}", group, replica.name(), primary.name(), recorded.outcome(), logged.apply(recorded));
    }
    return recorded;
  }

  private SyncRun sync(SyncGroup group, PiholeInstance primaryInstance, Backup source, PiholeInstance replica, RunProgress progress) {
    runs.reached(group.id(), replica.id()); // before it is contacted: a run cut short by a kill tells this replica from those after it
    Backup snapshot = snapshotDue(group, replica) ? backups.runSafetyBackup(replica.id()) : null;
    if (snapshot != null && !snapshot.successful()) {
      return outcome(SyncRun.Outcome.FAILED, snapshot.errorCode(), "nothing was changed: the safety backup of '" + replica.name()
          + "' (taken before the sync, SNAPSHOT=" + group.snapshot().name().toLowerCase(Locale.ROOT) + ") failed: " + snapshot.errorMessage(), null);
    }
    if (snapshot != null) {
      progress.snapshotTaken(snapshot.id());
      // its own write, before anything is sent: a run cut short by a kill of this node still names the backup to restore from
      runs.snapshotTaken(group.id(), replica.id(), progress.snapshotId());
    }
    return withPrimary(primaryInstance, source, (wanted, primary) -> {
      // a 401 means "log in again" (pihole-api.md): a replica that ends the session at its restart after the import is logged in
      // to again, as a restore's target is, rather than left half-synced; a login refused or failing leaves the replica's status
      // saying so, as a backup's does
      try (RestoreLogin login = new RestoreLogin(() -> downloader.openSession(replica), e -> failures.record(replica, e))) {
        ReplicaPlan plan = snapshot != null ? planFromBackup(snapshot, wanted, primary, group)
            : downloader.withLiveExport(login.session(), replica, clock.instant(), live -> plan(live, wanted, primary, group, Page.DEFAULT_SIZE));
        if (plan.empty()) {
          if (snapshot != null && group.snapshot() == SyncGroup.Snapshot.ALWAYS) {
            // nothing will change, so nothing needs undoing: pinned, it would pile up at every run (retention never deletes a pin);
            // the run still names it, as every run with a safety backup does, until retention takes it
            backups.release(snapshot.id());
          }
          return outcome(SyncRun.Outcome.IN_SYNC, null, "in sync: nothing differed, nothing was sent", ContentDiff.NO_CHANGES);
        }
        apply(login, plan, wanted, progress, "Sync " + group.id() + " of '" + replica.name() + "'", replica);
        ReplicaPlan left = downloader.withLiveExport(login.session(), replica, clock.instant(), after -> plan(after, wanted, primary, group, Page.DEFAULT_SIZE));
        return verified(plan, left, progress.refused());
      }
    });
  }

  /**
   * The lists, then the settings one key at a time. A failure that ends the run (a 401 again in a new session, say) leaves the
   * keys after it unsent, and its own unless it may have been applied: the record lists them as NOT applied, as a restore's
   * does, so that a run that changed the replica half-way is not taken for one that only failed.
   */
  private void apply(RestoreLogin login, ReplicaPlan plan, Path wanted, RunProgress progress, String what, PiholeInstance replica) {
    Map<String, String> patches = new LinkedHashMap<>();
    if (plan.dnsRecords() != null) {
      patches.put(ReplicaPlan.DNS_RECORDS, JsonText.stringArray(plan.dnsRecords()));
    }
    if (plan.cnames() != null) {
      patches.put(ReplicaPlan.CNAMES, JsonText.stringArray(plan.cnames()));
    }
    patches.putAll(plan.settings());
    List<String> keys = List.copyOf(patches.keySet());
    if (plan.lists()) {
      try {
        login.loggingInAgainOn401(session -> session.importTeleporter(wanted, ImportScope.LISTS),
            why -> log.info("{}: {}; logging in again to send the import once more", what, why));
        progress.applied("lists");
        new RestartWait(clock, RESTART_LIMIT, left -> downloader.openSessionWithin(replica, left), step -> { })
            .await(login, what, replica.name());
      } catch (PiholeException e) {
        progress.notSent(keys);
        throw e;
      }
    }
    for (int i = 0; i < keys.size(); i++) {
      try {
        patch(login, keys.get(i), patches.get(keys.get(i)), progress, what);
      } catch (PiholeException e) {
        progress.notSent(keys.subList(e.mayHaveApplied() ? i + 1 : i, keys.size()));
        throw e;
      }
    }
  }

  /** A 401 is no refusal of the key but a session the replica ended: sent once more after a new login, as the import is. */
  private static void patch(RestoreLogin login, String key, String json, RunProgress progress, String what) {
    login.loggingInAgainOn401(session -> session.patchConfig(key, json),
            why -> log.info("{}: {}; logging in again to send {} once more", what, why, key))
        .ifPresentOrElse(reason -> progress.refused(key, reason), () -> progress.applied(key));
  }

  /** What still differs after the changes, but for what the replica refused: it was told already. */
  private static SyncRun verified(ReplicaPlan sent, ReplicaPlan left, List<String> refused) {
    List<String> differing = left.remaining(refused);
    String changes = sent.diff().summary();
    if (!differing.isEmpty()) {
      return outcome(SyncRun.Outcome.FAILED, "not_verified", "the replica was changed but still differs from the primary's backup ("
          + String.join("; ", differing) + "); run the sync again, and look at the replica's log if it persists", changes);
    }
    if (!refused.isEmpty()) {
      return outcome(SyncRun.Outcome.PARTIAL, null, "synced but for " + refused.size() + " setting(s) the replica refused (" + String.join("; ", refused)
          + "); a key set by an FTLCONF_ variable on the replica can only be changed there, or add it to the group's EXCLUDE_SETTINGS", changes);
    }
    return outcome(SyncRun.Outcome.SYNCED, null, "synced and verified", changes);
  }

  private boolean snapshotDue(SyncGroup group, PiholeInstance replica) {
    return switch (group.snapshot()) {
      case ALWAYS -> true;
      case NEVER -> false;
      case FIRST -> !runs.hasSnapshot(group.id(), replica.id());
    };
  }

  private ReplicaPlan planFromBackup(Backup snapshot, Path wanted, ArchiveSettings primary, SyncGroup group) {
    try (ArchiveStore.PlainArchive live = catalog.archiveOf(snapshot.id())) {
      return plan(live.path(), wanted, primary, group, Page.DEFAULT_SIZE);
    } catch (IOException e) {
      throw new UncheckedIOException("could not read the safety backup " + snapshot.id(), e);
    }
  }

  private ReplicaPlan plan(Path live, Path wanted, ArchiveSettings primary, SyncGroup group, int first) throws IOException {
    return ReplicaPlan.of(reader.listChanges(live, wanted, first), reader.settings(live), primary, group, first);
  }

  private interface PrimaryWork<T> {
    T apply(Path archive, ArchiveSettings settings) throws IOException;
  }

  private <T> T withPrimary(PiholeInstance primary, Backup source, PrimaryWork<T> work) {
    try (ArchiveStore.PlainArchive wanted = unreadable.open(primary, source.id())) { // held if damaged or gone since the group's first open
      return work.apply(wanted.path(), reader.settings(wanted.path()));
    } catch (IOException e) {
      throw new UncheckedIOException("could not read the primary's backup " + source.id() + " (" + e.getMessage() + "): its archive may be"
          + " damaged or gone; back the primary up again (a new good backup is synced from), and see the backup's page for what its check found", e);
    }
  }

  private static SyncRun outcome(SyncRun.Outcome outcome, String code, String message, String changes) {
    return new SyncRun(0, null, 0, 0, null, outcome, code, message, changes, List.of(), null, null, null);
  }

  private static SyncRun failure(RuntimeException e, RunProgress progress, PiholeInstance replica) {
    String already = progress.changed() ? "the replica was partly changed before this failure (run the sync again once fixed): "
        : e instanceof PiholeException p && p.outcomeUnknown() ? "the replica may have been changed (its answer, a server error, does not say whether it"
            + " applied what was sent; run the sync again once fixed): " : "";
    if (e instanceof PiholeException p) {
      return outcome(SyncRun.Outcome.FAILED, p.failure().code(), progress.withUnsent(already + p.getMessage()), null);
    }
    if (e instanceof UnreadablePrimary.Held u) {
      return outcome(SyncRun.Outcome.FAILED, u.hold().code(), already + u.hold().why(), null);
    }
    if (e instanceof io.piholecheckpoint.core.offsite.copy.CopyDamagedException) {
      return outcome(SyncRun.Outcome.FAILED, "offsite_copy_damaged", already + e.getMessage(), null);
    }
    if (e instanceof WrongPassphraseException) {
      // no fault of ours that a stack trace explains: every run fails alike until the passphrase the archive was written with is set
      log.warn("Sync of '{}' failed: {}", replica.name(), LogText.of(String.valueOf(e.getMessage())));
      return outcome(SyncRun.Outcome.FAILED, "wrong_passphrase", already + e.getMessage()
          + "; start Pi-hole Checkpoint with the BACKUP_ENCRYPTION_PASSPHRASE that encrypted it", null);
    }
    if (e instanceof UncheckedIOException || e instanceof io.piholecheckpoint.core.backup.catalog.BackupConflictException
        || e instanceof BackupNotFoundException) {
      return outcome(SyncRun.Outcome.FAILED, "not_possible", already + e.getMessage(), null);
    }
    Optional<String> database = DatabaseTrouble.describe(e);
    if (database.isPresent()) {
      if (DatabaseBusyException.in(e).isEmpty()) {
        log.error("Sync of '{}' failed: {}", replica.name(), database.get(), e);
      } // busy: expected and passing (JobFailures); the run's record logs one WARN line with these words, no trace
      return outcome(SyncRun.Outcome.FAILED, DatabaseTrouble.code(e).orElseThrow(), already + "the sync failed: " + database.get()
          + "; run it again then", null);
    }
    log.error("Sync of '{}' failed unexpectedly", replica.name(), e);
    return outcome(SyncRun.Outcome.FAILED, "unexpected", already + "the sync failed unexpectedly (" + e.getClass().getSimpleName()
        + "); the server log has the details", null);
  }
}
