package io.piholecheckpoint.scheduling;

import static org.assertj.core.api.Assertions.assertThat;

import io.piholecheckpoint.core.health.ScheduledTriggers;
import io.piholecheckpoint.core.schedule.Schedule;
import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.Date;
import java.util.List;
import java.util.Properties;
import java.util.TimeZone;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.quartz.CalendarIntervalScheduleBuilder;
import org.quartz.JobBuilder;
import org.quartz.Scheduler;
import org.quartz.TriggerBuilder;
import org.quartz.impl.StdSchedulerFactory;

/** The look at one node's triggers in Quartz's memory, as at its start: those in another zone go to the replan, on its own thread. */
class TriggerZonesTest {
  private static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");
  private static final Schedule DAILY = new Schedule(Schedule.Kind.DAILY, LocalTime.of(3, 0), DayOfWeek.SUNDAY, null);

  private Scheduler quartz;

  @BeforeEach
  void setUp() throws Exception {
    Properties p = new Properties();
    p.setProperty(StdSchedulerFactory.PROP_SCHED_INSTANCE_NAME, "zones-" + UUID.randomUUID());
    p.setProperty(StdSchedulerFactory.PROP_JOB_STORE_CLASS, "org.quartz.simpl.RAMJobStore");
    p.setProperty("org.quartz.threadPool.threadCount", "1");
    p.setProperty("org.quartz.scheduler.skipUpdateCheck", "true");
    quartz = new StdSchedulerFactory(p).getScheduler(); // not started: nothing fires
    quartz.addJob(JobBuilder.newJob(BackupJob.class).withIdentity("instance-1", "backups").storeDurably().build(), false);
  }

  @AfterEach
  void tearDown() throws Exception {
    quartz.shutdown();
  }

  @Test
  void handsTheTriggersKeptInAnotherZoneToTheReplanOnAThreadOfItsOwn() throws Exception {
    Instant now = Instant.parse("2027-03-25T12:00:00Z");
    quartz.scheduleJob(TriggerBuilder.newTrigger().forJob("instance-1", "backups").withIdentity("instance-1", "backups")
        .withSchedule(Triggers.schedule(DAILY, BERLIN)).startAt(Date.from(Triggers.firstFire(DAILY, BERLIN, now))).build());
    // as a trigger's getScheduleBuilder() gave it: no zone (the JVM's), no daylight-saving rule
    quartz.scheduleJob(TriggerBuilder.newTrigger().forJob("instance-1", "backups").withIdentity("lost", "backups")
        .withSchedule(CalendarIntervalScheduleBuilder.calendarIntervalSchedule().withIntervalInDays(1))
        .startAt(Date.from(now)).build());
    CompletableFuture<String> replanned = new CompletableFuture<>();

    try (TriggerZones zones = new TriggerZones(BERLIN, null, found -> replanned.complete(Thread.currentThread().getName() + " " + found))) {
      zones.look(quartz);

      assertThat(replanned.get(10, TimeUnit.SECONDS)).isEqualTo("zone-replan "
          + List.of(new ScheduledTriggers.Stored("backups", "lost", TimeZone.getDefault().getID())));
    }
  }
}
