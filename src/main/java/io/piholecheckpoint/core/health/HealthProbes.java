package io.piholecheckpoint.core.health;

/** What the health check asks of the parts it cannot see from the core. */
public interface HealthProbes {

  SchedulerStatus scheduler();

  /** Runs a real query, with a short timeout. */
  DatabaseStatus database();
}
