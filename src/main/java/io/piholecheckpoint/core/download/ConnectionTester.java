package io.piholecheckpoint.core.download;

import io.piholecheckpoint.core.backup.catalog.Backup;
import io.piholecheckpoint.core.backup.catalog.BackupCatalog;
import io.piholecheckpoint.core.gateway.PiholeException;
import io.piholecheckpoint.core.instance.ConnectionStatus;
import io.piholecheckpoint.core.instance.PiholeInstance;
import io.piholecheckpoint.core.registry.InstanceService;
import java.time.Clock;
import java.util.Optional;

/**
 * "Test connection": logs in to a Pi-hole once with its settings, and records what that showed. A test that connects does
 * not clear the status while the last backup taken from the Pi-hole failed: the status is what backups need watching for,
 * and a login that works says nothing of an export that does not (a next backup that succeeds sets it to ok). A run cut off by
 * Checkpoint's own stop, an upload or an adopted archive says nothing of the Pi-hole, so it does not count as that last backup.
 */
public class ConnectionTester {

  /**
   * A connection test's outcome; {@code check} is null when it failed, and {@code mayPassLater} says whether the failure is
   * one that waiting can cure (unreachable, timeout, busy) rather than a setting or the Pi-hole that must change.
   */
  public record ConnectionTest(boolean ok, String code, String message, ArchiveDownloader.Check check, boolean mayPassLater) {
  }

  private final InstanceService instances;
  private final ArchiveDownloader downloader;
  private final BackupCatalog catalog;
  private final Clock clock;
  private final ContactFailures failures;

  public ConnectionTester(InstanceService instances, ArchiveDownloader downloader, BackupCatalog catalog, Clock clock) {
    this.instances = instances;
    this.downloader = downloader;
    this.catalog = catalog;
    this.clock = clock;
    this.failures = new ContactFailures(instances, clock);
  }

  /** @throws io.piholecheckpoint.core.registry.InstanceConflictException for a removed instance: its stale URL is not contacted */
  public ConnectionTest test(long instanceId) {
    PiholeInstance instance = instances.findCurrent(instanceId);
    try {
      ArchiveDownloader.Check check = downloader.check(instance);
      String connected = "Connected to Pi-hole '%s' (FTL %s) with %s".formatted(instance.name(),
          Optional.ofNullable(check.versions().ftl()).orElse("version unknown"), check.authentication());
      Optional<Backup> failed = catalog.lastVerdict(instanceId).filter(b -> !b.successful());
      if (failed.isPresent()) {
        return new ConnectionTest(true, "ok", connected + "; but its last backup (" + failed.get().id() + ") failed (" + failed.get().errorCode()
            + "), so its status stays '" + instance.state() + "' until a backup succeeds — back it up now to see whether it does", check, false);
      }
      instances.recordStatus(instanceId, new PiholeInstance.Status(ConnectionStatus.OK, null, clock.instant(), check.versions().ftl(), check.seatsInUse()));
      return new ConnectionTest(true, "ok", connected, check, false);
    } catch (PiholeException e) {
      failures.record(instance, e);
      return new ConnectionTest(false, e.failure().code(), e.getMessage(), null, e.failure().transientFailure());
    }
  }
}
