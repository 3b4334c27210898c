package io.piholecheckpoint.testing;

import io.piholecheckpoint.core.archive.ArchiveStore;
import io.piholecheckpoint.core.archive.work.ArchiveWork;
import io.piholecheckpoint.core.backup.SafeChanges;
import io.piholecheckpoint.core.backup.catalog.BackupCatalog;
import io.piholecheckpoint.core.backup.events.Events;
import io.piholecheckpoint.core.contents.ArchiveReader;
import io.piholecheckpoint.core.download.ArchiveDownloader;
import io.piholecheckpoint.core.download.ContactFailures;
import io.piholecheckpoint.core.health.SchedulerView;
import io.piholecheckpoint.core.job.DatabaseOutages;
import io.piholecheckpoint.core.registry.InstanceService;
import io.piholecheckpoint.core.restore.PiholeChanges;
import io.piholecheckpoint.core.restore.RestoreApply;
import io.piholecheckpoint.core.restore.RestoreEnd;
import io.piholecheckpoint.core.restore.RestoreResults;
import io.piholecheckpoint.core.restore.RestoreRunner;
import io.piholecheckpoint.core.restore.RestoreService;
import io.piholecheckpoint.core.restore.RestoreStop;
import io.piholecheckpoint.core.restore.parts.RestoreSource;
import io.piholecheckpoint.core.restore.record.RestoreRepository;
import io.piholecheckpoint.core.restore.request.RestoreAdmission;
import io.piholecheckpoint.core.restore.request.RestorePreviews;
import java.time.Clock;
import java.util.concurrent.Executor;

/**
 * A restore's parts over one set of collaborators, wired as {@code app.Application} wires them: the preview, the admission of a
 * request, the run. Tests of restores, or of what they must refuse, build it once.
 */
public record RestoreGraph(RestorePreviews previews, RestoreAdmission admission, RestoreRunner runner, RestoreRepository restores) {

  public static RestoreGraph of(SafeChanges backups, BackupCatalog catalog, InstanceService instances, ArchiveDownloader downloader,
      ArchiveStore archives, ArchiveReader reader, RestoreRepository restores, Clock clock, Events events, ArchiveWork work) {
    RestoreSource sources = new RestoreSource(catalog, archives, reader);
    RestoreStop stop = new RestoreStop(downloader);
    ContactFailures failures = new ContactFailures(instances, clock, stop::stopping);
    RestoreResults results = new RestoreResults(instances, downloader, archives, reader, clock, stop::stopping, failures);
    PiholeChanges changes = new PiholeChanges(downloader, failures, results, stop, clock);
    RestoreEnd end = new RestoreEnd(backups, instances, restores, DatabaseOutages.sleeping(), events, stop, clock);
    return new RestoreGraph(new RestorePreviews(sources, instances, downloader, failures, reader, work, clock),
        new RestoreAdmission(sources, catalog, instances, backups, work, restores, clock),
        new RestoreRunner(backups, instances, restores, work, stop, new RestoreApply(instances, sources, backups, restores, clock, changes, results), end),
        restores);
  }

  /** The service over these parts, its restores run by {@code executor} while {@code scheduler} says it runs. */
  public RestoreService service(Executor executor, SchedulerView scheduler) {
    return new RestoreService(previews, admission, runner, restores, executor, scheduler);
  }
}
