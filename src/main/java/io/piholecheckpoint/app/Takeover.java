package io.piholecheckpoint.app;

import io.piholecheckpoint.core.backup.Backup;
import io.piholecheckpoint.persistence.MyBatisRestoreRepository;
import io.piholecheckpoint.scheduling.Schedules;
import java.time.Clock;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the process holding the scheduler lock does once, when it gets it (at its start, or
 * later as a standby taking over): clears what a stopped process left half done, then
 * schedules the backups. Only the lock holder may: in a process next to a running one, those
 * "leftovers" are the other's downloads and restores in flight.
 */
final class Takeover implements Consumer<Schedules> {
  private static final Logger log = LoggerFactory.getLogger(Takeover.class);

  private final Application.Services services;
  private final MyBatisRestoreRepository restores;
  private final Clock clock;

  Takeover(Application.Services services, MyBatisRestoreRepository restores, Clock clock) {
    this.services = services;
    this.restores = restores;
    this.clock = clock;
  }

  @Override
  public void accept(Schedules schedules) {
    int incomplete = services.archives().removeIncomplete();
    if (incomplete > 0) {
      log.info("Removed {} incomplete download(s) left by a process that stopped mid-backup", incomplete);
    }
    int interrupted = restores.markInterrupted(clock.instant());
    if (interrupted > 0) {
      log.warn("{} restore(s) were interrupted by the last shutdown; they are marked failed — check those Pi-holes", interrupted);
    }
    services.maintenance().reconcile();
    // catch-up runs are looked for once, here; later changes of settings only reschedule
    schedules.scheduleAll(services.instances().list(), id -> services.backups().latestAttempt(id).map(Backup::finishedAt));
  }
}
