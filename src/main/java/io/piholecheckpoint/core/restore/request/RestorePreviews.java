package io.piholecheckpoint.core.restore.request;

import io.piholecheckpoint.core.archive.ArchiveStore;
import io.piholecheckpoint.core.archive.work.ArchiveWork;
import io.piholecheckpoint.core.backup.catalog.Backup;
import io.piholecheckpoint.core.contents.ArchiveReader;
import io.piholecheckpoint.core.contents.ArchiveSettings;
import io.piholecheckpoint.core.contents.ContentDiff;
import io.piholecheckpoint.core.contents.ListCategory;
import io.piholecheckpoint.core.contents.Page;
import io.piholecheckpoint.core.download.ArchiveDownloader;
import io.piholecheckpoint.core.download.ContactFailures;
import io.piholecheckpoint.core.gateway.PiholeException;
import io.piholecheckpoint.core.instance.PiholeInstance;
import io.piholecheckpoint.core.registry.InstanceService;
import io.piholecheckpoint.core.restore.parts.RestoreMode;
import io.piholecheckpoint.core.restore.parts.RestoreParts;
import io.piholecheckpoint.core.restore.parts.RestorePlan;
import io.piholecheckpoint.core.restore.parts.RestorePreview;
import io.piholecheckpoint.core.restore.parts.RestoreSource;
import io.piholecheckpoint.core.restore.parts.SecretVariables;
import java.time.Clock;
import java.util.Map;

/** What restoring a backup would change on the target now, from its live state to the intended one; changes nothing. */
public final class RestorePreviews {
  private final RestoreSource sources;
  private final InstanceService instances;
  private final ArchiveDownloader downloader;
  private final ContactFailures failures;
  private final ArchiveReader reader;
  private final ArchiveWork work;
  private final Clock clock;

  /** @param failures where a preview's failed contact with the target is recorded, as a restore's safety backup's would be */
  public RestorePreviews(RestoreSource sources, InstanceService instances, ArchiveDownloader downloader, ContactFailures failures,
      ArchiveReader reader, ArchiveWork work, Clock clock) {
    this.sources = sources;
    this.instances = instances;
    this.downloader = downloader;
    this.failures = failures;
    this.reader = reader;
    this.work = work;
    this.clock = clock;
  }

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
      try (ArchiveStore.PlainArchive backup = sources.open(source)) {
        ArchiveSettings now = reader.settings(live);
        ArchiveSettings wanted = reader.settings(backup.path());
        Map<ListCategory, ContentDiff.Category> lists = parts.lists() ? reader.listChanges(live, backup.path(), Page.DEFAULT_SIZE) : Map.of();
        return RestorePreview.of(ContentDiff.of(lists, now, RestorePlan.intended(now, wanted, parts), Page.DEFAULT_SIZE), now, wanted, parts,
            SecretVariables.of(downloader, target));
      }
    }));
  }
}
