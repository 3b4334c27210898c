package io.piholecheckpoint.core.health;

/** What the health check asks of the parts it cannot see from the core. */
public interface HealthProbes {

  SchedulerStatus scheduler();

  /** Runs a real query, with a short timeout. */
  DatabaseStatus database();

  /** Off-site destinations whose copies have failed for longer than OFFSITE_STALE_AFTER; none when none is configured. */
  default java.util.List<String> offsiteFailing() {
    return java.util.List.of();
  }

  /** The sync groups, disabled ones with why; none when none is configured. */
  default java.util.List<HealthReport.SyncGroupHealth> syncGroups() {
    return java.util.List.of();
  }
}
