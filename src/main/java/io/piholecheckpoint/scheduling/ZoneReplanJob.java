package io.piholecheckpoint.scheduling;

import org.quartz.DisallowConcurrentExecution;
import org.quartz.Job;
import org.quartz.JobExecutionContext;
import org.quartz.JobKey;

/**
 * The replan of the triggers {@link TriggerZones} found kept in another zone than TIME_ZONE: a one-off fire, added when
 * they are found and gone once it ran (not durable). One key for the whole cluster: nodes that notice at once add it once,
 * the others find it there, and it runs on one node.
 */
@DisallowConcurrentExecution
final class ZoneReplanJob implements Job {
  static final JobKey KEY = JobKey.jobKey("zone-replan", "maintenance");

  private final TriggerZones zones;

  ZoneReplanJob(TriggerZones zones) {
    this.zones = zones;
  }

  @Override
  public void execute(JobExecutionContext context) {
    zones.replan(context.getScheduler());
  }
}
