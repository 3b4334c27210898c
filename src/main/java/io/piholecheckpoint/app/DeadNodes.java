package io.piholecheckpoint.app;

import io.piholecheckpoint.core.job.Jobs;
import io.piholecheckpoint.core.schedule.LocalTimeText;
import io.piholecheckpoint.persistence.MyBatisRestoreRepository;
import io.piholecheckpoint.persistence.QuartzNodes;
import java.time.Clock;
import java.time.Instant;
import java.util.function.BiConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a node of a cluster does when Quartz's recovery has found another one dead (it stopped
 * checking in): the manual backups, sync runs and restores it left queued or running are marked
 * interrupted at once, naming it, so that none blocks the next one of its Pi-hole on any node; the
 * backups and sync runs it was running are recorded as interrupted (Quartz runs the scheduled ones again now);
 * and it stays listed as down in /health for {@link QuartzNodes#LISTED_DOWN}.
 */
final class DeadNodes implements BiConsumer<String, Instant> {
  private static final Logger log = LoggerFactory.getLogger(DeadNodes.class);
  private final Application.Services services;
  private final Jobs jobs;
  private final MyBatisRestoreRepository restores;
  private final QuartzNodes nodes;
  private final Clock clock;
  private final LocalTimeText times;

  /** @param times TIME_ZONE's: the records say when the node last checked in as their pages do, the log line with the zone */
  DeadNodes(Application.Services services, Jobs jobs, MyBatisRestoreRepository restores, QuartzNodes nodes, Clock clock, LocalTimeText times) {
    this.times = times;
    this.services = services;
    this.jobs = jobs;
    this.restores = restores;
    this.nodes = nodes;
    this.clock = clock;
  }

  /** @param lastCheckIn null when Quartz did not know it (fired triggers without a check-in row) */
  @Override
  public void accept(String node, Instant lastCheckIn) {
    String why = why(node, lastCheckIn, times);
    nodes.recordDown(node, lastCheckIn);
    // what blocks the next run first: a record that cannot be written (an instance deleted meanwhile) must not keep a job open
    int left = jobs.interruptOf(node, why);
    int restored = restores.markInterrupted(node, why, clock.instant());
    int backups = services.backupCases().records().recordInterruptedOf(node, lastCheckIn);
    int syncs = services.interruptedSyncs().interruptLeft(node, in -> why(node, lastCheckIn, in));
    log.warn("Node {} of the cluster is dead ({}): {} backup(s) and {} sync run(s) it was running recorded as interrupted, {} job(s) and {}"
        + " restore(s) it left marked interrupted; start it again, or remove it", node, why(node, lastCheckIn, times.inLog()), backups, syncs, left, restored);
  }

  private static String why(String node, Instant lastCheckIn, LocalTimeText times) {
    return "node " + node + " stopped checking in" + (lastCheckIn == null ? "" : " at " + times.of(lastCheckIn));
  }
}
