package io.piholecheckpoint.app;

import io.piholecheckpoint.scheduling.Planning;
import java.time.Clock;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * What the process holding the scheduler lock does once, when it gets it (at its start, or
 * later as a standby taking over): stores its environment's instances, clears what a stopped
 * process left half done, then schedules the backups. Only the lock holder may: in a process
 * next to a running one, those "leftovers" are the other's downloads and restores in flight,
 * and the instances stored are the ones the other runs.
 */
final class Takeover implements Consumer<Planning> {
  private final InstancesFromEnvironment environment;
  private final BooleanSupplier othersAlive;
  private final Leftovers leftovers;
  private final CrashedRuns crashed;
  private final Clock clock;

  /**
   * @param othersAlive whether other nodes of a cluster run now: then the temp files and running restores in the shared
   *     places are perhaps theirs, and are left alone; the runs they died in are told by their markers' node
   */
  Takeover(InstancesFromEnvironment environment, BooleanSupplier othersAlive, Leftovers leftovers, CrashedRuns crashed, Clock clock) {
    this.environment = environment;
    this.othersAlive = othersAlive;
    this.leftovers = leftovers;
    this.crashed = crashed;
    this.clock = clock;
  }

  @Override
  public void accept(Planning planning) {
    environment.apply(); // first: the clean-up and the schedules below are of the instances as this process's environment has them
    boolean joining = othersAlive.getAsBoolean();
    leftovers.clear(joining, clock.instant());
    crashed.scheduleAll(planning, joining);
  }
}
