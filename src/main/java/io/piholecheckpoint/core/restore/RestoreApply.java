package io.piholecheckpoint.core.restore;

import io.piholecheckpoint.core.archive.ArchiveStore;
import io.piholecheckpoint.core.backup.SafeChanges;
import io.piholecheckpoint.core.backup.catalog.Backup;
import io.piholecheckpoint.core.contents.ArchiveSettings;
import io.piholecheckpoint.core.instance.PiholeInstance;
import io.piholecheckpoint.core.registry.InstanceService;
import io.piholecheckpoint.core.restore.parts.RestoreParts;
import io.piholecheckpoint.core.restore.parts.RestorePlan;
import io.piholecheckpoint.core.restore.parts.RestoreSource;
import io.piholecheckpoint.core.restore.record.Restore;
import io.piholecheckpoint.core.restore.record.RestoreRepository;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A restore once it holds its target's turn: its backup checked and opened, the pinned safety backup of the target taken and
 * linked to the record before anything is changed, the changes sent ({@link PiholeChanges}), the result checked ({@link RestoreResults}).
 */
public final class RestoreApply {
  private static final Logger log = LoggerFactory.getLogger(RestoreRunner.class); // a restore's lines under one name, as RestoreOutcome's

  private final InstanceService instances;
  private final RestoreSource sources;
  private final SafeChanges backups;
  private final RestoreRepository restores;
  private final Clock clock;
  private final PiholeChanges changes;
  private final RestoreResults results;

  public RestoreApply(InstanceService instances, RestoreSource sources, SafeChanges backups, RestoreRepository restores, Clock clock,
      PiholeChanges changes, RestoreResults results) {
    this.instances = instances;
    this.sources = sources;
    this.backups = backups;
    this.restores = restores;
    this.clock = clock;
    this.changes = changes;
    this.results = results;
  }

  Restore apply(RestoreOutcome.Progress progress, RestoreParts parts) {
    Restore restore = progress.record;
    PiholeInstance target = instances.find(restore.targetId());
    progress.steps.now("checking backup %d".formatted(restore.backupId()));
    Backup source = sources.checked(restore.backupId());
    try (ArchiveStore.PlainArchive archive = sources.open(source)) {
      return apply(progress, parts, target, archive);
    } catch (IOException e) {
      throw new UncheckedIOException("could not read backup " + source.id(), e);
    }
  }

  private Restore apply(RestoreOutcome.Progress progress, RestoreParts parts, PiholeInstance target, ArchiveStore.PlainArchive archive)
      throws IOException {
    Restore restore = progress.record;
    ArchiveSettings wanted = sources.settings(archive);
    progress.steps.now("taking the safety backup of '%s'".formatted(target.name()));
    Backup snapshot = backups.runSafetyBackup(target.id());
    if (!snapshot.successful()) {
      String message = "nothing was changed: the safety backup of '" + target.name() + "' failed: " + snapshot.errorMessage()
          + " — restore again once a backup of it succeeds";
      log.warn("Restore {} of backup {} to '{}': {}", restore.id(), restore.backupId(), target.name(), message);
      return RestoreOutcome.finished(restore, Restore.State.FAILED, null, message, List.of(), List.of(), clock.instant());
    }
    // recorded before anything is changed: a restore that fails from here on is exactly the one to undo
    Restore linked = new Restore(restore.id(), restore.backupId(), restore.targetId(), restore.mode(), restore.state(), snapshot.id(),
        progress.steps.step(), restore.refusedSettings(), restore.differences(), restore.startedAt(), null);
    restores.update(linked);
    progress.record = linked;
    ArchiveSettings before = sources.settings(snapshot);
    ArchiveSettings intended = RestorePlan.intended(before, wanted, parts);
    Optional<Restore> ended = changes.send(progress, parts, target, archive.path(), snapshot, before, intended);
    if (ended.isPresent()) {
      return ended.get();
    }
    return results.verify(linked, target, snapshot, parts.lists() ? archive : null, intended, RestoreResults.loginChanged(before, intended),
        RestoreResults.totpChanged(before, intended), progress);
  }
}
