package io.piholecheckpoint.core.maintenance;

import io.piholecheckpoint.core.instance.PiholeInstance;
import io.piholecheckpoint.core.integrity.IntegrityService;
import io.piholecheckpoint.core.registry.InstanceService;
import io.piholecheckpoint.core.retention.RetentionService;
import java.io.IOException;
import java.time.Clock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The daily round: reconcile records with files, re-check every archive, apply retention, and
 * forget what people asked for once it is of no more use (finished jobs, idle sessions).
 */
public class MaintenanceService {
  private static final Logger log = LoggerFactory.getLogger(MaintenanceService.class);

  private final InstanceService instances;
  private final IntegrityService integrity;
  private final RetentionService retention;
  private final Clock clock;
  private final Runnable forget;

  /** @param forget deletes the finished jobs and idle sessions past their time, and the partial files of killed processes */
  public MaintenanceService(InstanceService instances, IntegrityService integrity, RetentionService retention, Clock clock, Runnable forget) {
    this.instances = instances;
    this.integrity = integrity;
    this.retention = retention;
    this.clock = clock;
    this.forget = forget;
  }

  /** At startup: only what is quick and makes the records truthful. */
  public void reconcile() {
    try {
      IntegrityService.Reconciliation result = integrity.reconcile();
      if (result.adopted() + result.missing() + result.found() + result.remoteOnly() > 0) {
        log.info("Reconciled the backup directory: {} archive(s) adopted, {} marked missing, {} found again, {} kept remote only",
            result.adopted(), result.missing(), result.found(), result.remoteOnly());
      }
    } catch (IOException e) {
      log.error("Could not read the backup directory to reconcile it: {} — check BACKUP_DIR", e.getMessage());
    }
  }

  public void runDaily() {
    reconcile();
    long damaged = integrity.verifyAll().stream().filter(v -> !v.ok()).count();
    int pruned = 0;
    for (PiholeInstance instance : instances.list()) {
      if (!instance.removed()) { // a removed instance's backups are the user's to delete
        pruned += retention.prune(instance, clock.instant()).size();
      }
    }
    forget.run();
    log.info("Daily maintenance: {} archive(s) failed their check, {} backup(s) removed by retention", damaged, pruned);
  }
}
