package io.piholecheckpoint.scheduling;

import static org.assertj.core.api.Assertions.assertThat;

import io.piholecheckpoint.core.health.ScheduledTriggers;
import io.piholecheckpoint.core.schedule.Schedule;
import io.piholecheckpoint.testing.Eventually;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.Date;
import java.util.List;
import java.util.Properties;
import java.util.TimeZone;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.quartz.CalendarIntervalScheduleBuilder;
import org.quartz.JobBuilder;
import org.quartz.Scheduler;
import org.quartz.SchedulerException;
import org.quartz.Trigger;
import org.quartz.TriggerBuilder;
import org.quartz.TriggerKey;
import org.quartz.impl.StdSchedulerFactory;

/**
 * The look at one node's triggers in Quartz's memory, as at its start: those in another zone are left to a one-off Quartz job,
 * no thread of its own; a second look while that job waits adds none.
 */
class TriggerZonesTest {
  private static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");
  private static final Schedule DAILY = new Schedule(Schedule.Kind.DAILY, LocalTime.of(3, 0), DayOfWeek.SUNDAY, null);

  private final String name = "zones-" + UUID.randomUUID();
  private final List<String> replans = new CopyOnWriteArrayList<>();
  private final TriggerZones zones = new TriggerZones(BERLIN, null, found -> replans.add(Thread.currentThread().getName() + " " + found));
  private Scheduler quartz;

  @BeforeEach
  void setUp() throws Exception {
    Properties p = new Properties();
    p.setProperty(StdSchedulerFactory.PROP_SCHED_INSTANCE_NAME, name);
    p.setProperty(StdSchedulerFactory.PROP_JOB_STORE_CLASS, "org.quartz.simpl.RAMJobStore");
    p.setProperty("org.quartz.threadPool.threadCount", "1");
    p.setProperty("org.quartz.scheduler.skipUpdateCheck", "true");
    quartz = new StdSchedulerFactory(p).getScheduler(); // not started yet: nothing fires
    quartz.setJobFactory((bundle, scheduler) -> new ZoneReplanJob(zones));
    quartz.addJob(JobBuilder.newJob(BackupJob.class).withIdentity("instance-1", "backups").storeDurably().build(), false);
  }

  @AfterEach
  void tearDown() throws Exception {
    quartz.shutdown();
  }

  @Test
  void leavesTheTriggersKeptInAnotherZoneToAOneOffQuartzJob() throws Exception {
    Instant now = Instant.parse("2027-03-25T12:00:00Z");
    quartz.scheduleJob(TriggerBuilder.newTrigger().forJob("instance-1", "backups").withIdentity("instance-1", "backups")
        .withSchedule(Triggers.schedule(DAILY, BERLIN)).startAt(Date.from(Triggers.firstFire(DAILY, BERLIN, now))).build());
    // as a trigger's getScheduleBuilder() gave it: no zone (the JVM's), no daylight-saving rule
    quartz.scheduleJob(TriggerBuilder.newTrigger().forJob("instance-1", "backups").withIdentity("lost", "backups")
        .withSchedule(CalendarIntervalScheduleBuilder.calendarIntervalSchedule().withIntervalInDays(1))
        .startAt(Date.from(now)).build());

    zones.look(quartz);
    zones.look(quartz); // as a second node noticing at the same time: the job is there already

    assertThat(quartz.getTriggersOfJob(ZoneReplanJob.KEY)).hasSize(1);
    quartz.start();
    Eventually.until("the replan job ran and went", Duration.ofSeconds(10), () -> !replans.isEmpty() && !quartz.checkExists(ZoneReplanJob.KEY));
    assertThat(replans).containsExactly(name + "_Worker-1 "
        + List.of(new ScheduledTriggers.Stored("backups", "lost", TimeZone.getDefault().getID())));
  }

  @Test
  void replacesAReplanThatQuartzCouldNotRun() throws Exception {
    quartz.scheduleJob(TriggerBuilder.newTrigger().forJob("instance-1", "backups").withIdentity("lost", "backups")
        .withSchedule(CalendarIntervalScheduleBuilder.calendarIntervalSchedule().withIntervalInDays(1))
        .startAt(Date.from(Instant.now().plus(Duration.ofDays(1)))).build());
    // as a node of an older build, which has no such job, leaves it: its trigger in error for good
    quartz.setJobFactory((bundle, scheduler) -> {
      throw new SchedulerException("no factory for job class " + bundle.getJobDetail().getJobClass().getName());
    });
    zones.look(quartz);
    quartz.start();
    Eventually.until("the replan's trigger is in error", Duration.ofSeconds(10),
        () -> quartz.getTriggerState(TriggerKey.triggerKey("zone-replan", "maintenance")) == Trigger.TriggerState.ERROR);
    quartz.setJobFactory((bundle, scheduler) -> new ZoneReplanJob(zones));

    zones.look(quartz);

    Eventually.until("the replan ran", Duration.ofSeconds(10), () -> !replans.isEmpty());
  }

  @Test
  void addsNoJobWhenEveryTriggerIsInTimeZone() throws Exception {
    quartz.scheduleJob(TriggerBuilder.newTrigger().forJob("instance-1", "backups").withIdentity("instance-1", "backups")
        .withSchedule(Triggers.schedule(DAILY, BERLIN)).startAt(Date.from(Triggers.firstFire(DAILY, BERLIN, Instant.now()))).build());

    zones.look(quartz);

    assertThat(quartz.checkExists(ZoneReplanJob.KEY)).isFalse();
  }
}
