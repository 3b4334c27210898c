package io.piholecheckpoint.scheduling;

import io.piholecheckpoint.core.schedule.LocalTimeText;
import io.piholecheckpoint.core.health.SchedulerStatus;
import io.piholecheckpoint.core.health.SchedulerView;
import io.piholecheckpoint.core.instance.PiholeInstance;
import io.piholecheckpoint.core.manual.BackupLauncher;
import io.piholecheckpoint.core.schedule.Spread;
import io.piholecheckpoint.core.sync.SyncLauncher;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import java.util.function.Function;
import org.quartz.Trigger;

/**
 * The scheduler's parts wired as {@code app.Application} wires them, held together for a test that drives them as one: its
 * start, its plans, its launches and what it says of itself.
 */
public final class TestSchedules implements AutoCloseable, SchedulerView, BackupLauncher, SyncLauncher {
  private final Schedules lifecycle;
  private final RunningQuartz running;
  private final Planning planning;
  private final Launches launches;
  private final StandingJobs standing;

  public TestSchedules(Path lockFile, ZoneId zone, Clock clock, Duration pollInterval, Duration offsiteFirst) {
    this(lockFile, zone, clock, pollInterval, offsiteFirst, Spread.NONE);
  }

  public TestSchedules(Path lockFile, ZoneId zone, Clock clock, Duration pollInterval, Duration offsiteFirst, Spread spread) {
    this(lockFile, zone, clock, pollInterval, offsiteFirst, spread, null);
  }

  public TestSchedules(Path lockFile, ZoneId zone, Clock clock, Duration pollInterval, Duration offsiteFirst, Spread spread, ClusterStore cluster) {
    this(lockFile, zone, clock, pollInterval, offsiteFirst, spread, cluster, Schedules.OFFSITE_EVERY);
  }

  public TestSchedules(Path lockFile, ZoneId zone, Clock clock, Duration pollInterval, Duration offsiteFirst, Spread spread, ClusterStore cluster,
                       Duration offsiteEvery) {
    this(lockFile, zone, clock, pollInterval, offsiteFirst, spread, cluster, offsiteEvery, Schedules.CATCH_UP_DELAY, Schedules.MISFIRE_THRESHOLD);
  }

  public TestSchedules(Path lockFile, ZoneId zone, Clock clock, Duration pollInterval, Duration offsiteFirst, Spread spread, ClusterStore cluster,
                       Duration offsiteEvery, Duration catchUpDelay, Duration misfireThreshold) {
    boolean clustered = cluster != null;
    this.running = new RunningQuartz(new BackupFires(clustered ? cluster.triggers() : null));
    this.standing = new StandingJobs(zone, clock, pollInterval, offsiteFirst, offsiteEvery, clustered);
    BackupPlans plans = new BackupPlans(zone, clock, spread, clustered, catchUpDelay, new LocalTimeText(zone));
    this.planning = new Planning(running, plans, standing, zone, clock, clustered, new LocalTimeText(zone));
    TriggerZones zones = new TriggerZones(zone, clustered ? cluster.triggers() : null, planning::replan);
    this.lifecycle = new Schedules(lockFile, new QuartzSetup(misfireThreshold, cluster, clock, plans, zones, new LocalTimeText(zone)), standing, running, planning, zones);
    this.launches = new Launches(running, standing, plans, clustered);
  }

  public static TestSchedules start(AppJobs jobs, Path lockFile, ZoneId zone, Clock clock, Duration pollInterval, Consumer<TestSchedules> takeOver) {
    return new TestSchedules(lockFile, zone, clock, pollInterval, Schedules.OFFSITE_FIRST).start(jobs, takeOver);
  }

  public TestSchedules start(AppJobs jobs, Consumer<TestSchedules> takeOver) {
    lifecycle.start(jobs, () -> takeOver.accept(this));
    return this;
  }

  Duration offsiteEvery() {
    return standing.offsiteEvery();
  }

  void lookAtZones() {
    lifecycle.lookAtZones();
  }

  public void scheduleAll(List<PiholeInstance> instances, Function<Long, Optional<Instant>> lastAttempt) {
    planning.scheduleAll(instances, lastAttempt);
  }

  public void reportUnschedulableTo(BiConsumer<PiholeInstance, String> report) {
    planning.reportUnschedulableTo(report);
  }

  public void reschedule(List<PiholeInstance> instances) {
    planning.reschedule(instances);
  }

  public void rescheduleSync() {
    planning.rescheduleSync();
  }

  public void planInstancesWith(Planning.InstancePlan plan) {
    planning.planInstancesWith(plan);
  }

  public void planInstances() {
    planning.planInstances();
  }

  public void planInstance(long id) {
    planning.planInstance(id);
  }

  @Override
  public void launch(long instanceId, String ticketId) {
    launches.launch(instanceId, ticketId);
  }

  @Override
  public void launch(String groupId, String ticketId) {
    launches.launch(groupId, ticketId);
  }

  public void wakeOffsiteCopies() {
    launches.wakeOffsiteCopies();
  }

  public int startOffsiteLane(String destination) {
    return launches.startOffsiteLane(destination);
  }

  @Override
  public SchedulerStatus status() {
    return running.status();
  }

  @Override
  public Optional<Instant> nextRun(long instanceId) {
    return running.nextRun(instanceId);
  }

  Optional<Trigger> scheduleTrigger(long instanceId) {
    return running.scheduleTrigger(instanceId);
  }

  @Override
  public Map<Long, Instant> nextRuns(Collection<Long> instanceIds) {
    return running.nextRuns(instanceIds);
  }

  public Map<Long, Instant> nextRuns() {
    return running.nextRuns();
  }

  @Override
  public Optional<Instant> waitingSince(long instanceId) {
    return running.waitingSince(instanceId);
  }

  public Optional<Instant> nextSync(String groupId) {
    return running.nextSync(groupId);
  }

  public boolean standby() {
    return running.standby();
  }

  @Override
  public void close() {
    lifecycle.close();
    launches.close();
  }
}
