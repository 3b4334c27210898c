package io.piholecheckpoint.scheduling;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.piholecheckpoint.core.backup.catalog.Backup;
import io.piholecheckpoint.core.job.Job;
import io.piholecheckpoint.core.backup.catalog.BackupConflictException;
import io.piholecheckpoint.core.manual.BackupQueue;
import io.piholecheckpoint.core.manual.BackupTicket;
import io.piholecheckpoint.core.instance.TlsTrust;
import io.piholecheckpoint.core.health.DatabaseStatus;
import io.piholecheckpoint.core.health.HealthProbes;
import io.piholecheckpoint.core.health.HealthService;
import io.piholecheckpoint.core.health.SchedulerStatus;
import io.piholecheckpoint.core.health.Staleness;
import io.piholecheckpoint.core.instance.InstanceDefinition;
import io.piholecheckpoint.core.instance.Origin;
import io.piholecheckpoint.core.instance.PiholeInstance;
import io.piholecheckpoint.core.schedule.Schedule;
import io.piholecheckpoint.core.schedule.Spread;
import io.piholecheckpoint.core.instance.RetentionPolicy;
import io.piholecheckpoint.testing.TestServices;
import java.nio.file.Path;
import java.time.Clock;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import io.piholecheckpoint.testing.Eventually;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.quartz.Trigger;
import org.quartz.simpl.RAMJobStore;

/** The real Quartz scheduler: lock, catch-up, shutdown. */
class SchedulesTest {
  @TempDir
  Path dir;

  private final Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
  private final Clock clock = Clock.fixed(now, ZoneOffset.UTC);
  private TestServices services;
  private TestSchedules schedules;
  private final AtomicInteger takeovers = new AtomicInteger();

  @BeforeEach
  void setUp() {
    services = new TestServices(dir.resolve("backups"), clock);
    LocalTime inThreeHours = now.plus(Duration.ofHours(3)).atZone(ZoneOffset.UTC).toLocalTime().truncatedTo(ChronoUnit.MINUTES);
    services.instances.applyEnvironment(List.of(new InstanceDefinition("HOME", "Home", "http://pi.hole", TlsTrust.SYSTEM, null,
        new Schedule(Schedule.Kind.DAILY, inThreeHours, DayOfWeek.SUNDAY, null), RetentionPolicy.DEFAULT, false, true)));
    schedules = start();
  }

  @AfterEach
  void tearDown() {
    schedules.close();
  }

  private TestSchedules start() {
    return start(s -> takeovers.incrementAndGet());
  }

  private TestSchedules start(Consumer<TestSchedules> takeOver) {
    return TestSchedules.start(new AppJobs(services.backups.runs(), services.tickets, services.maintenance), dir.resolve("scheduler.lock"),
        ZoneOffset.UTC, clock, Duration.ofMillis(100), takeOver);
  }

  @Test
  void schedulesOneCatchUpRunShortlyAfterStartWhenARunWasMissed() {
    schedules.scheduleAll(services.instances.list(), id -> Optional.of(now.minus(Duration.ofDays(3))));

    SchedulerStatus status = schedules.status();

    assertThat(status.jobs()).isEqualTo(1);
    assertThat(status.nextFireTime()).isEqualTo(now.plus(Schedules.CATCH_UP_DELAY));
  }

  @Test
  void anInstanceQuartzRefusesIsReportedAndTheOthersAreStillScheduled() {
    // stored before the rules existed: the validator never saw it
    PiholeInstance home = services.instances.list().get(0);
    PiholeInstance leap = new PiholeInstance(99, "Leap\r\nforged", "leap", Origin.UI, null, "http://pi.hole", TlsTrust.SYSTEM, null,
        new Schedule(Schedule.Kind.CRON, LocalTime.of(3, 0), DayOfWeek.SUNDAY, "0 0 0 31 2 ?"), RetentionPolicy.DEFAULT, false, true, false, false,
        PiholeInstance.Status.UNKNOWN);
    List<String> reported = new ArrayList<>();
    schedules.reportUnschedulableTo((instance, problem) -> reported.add(instance.id() + ": " + problem));

    schedules.scheduleAll(List.of(leap, home), id -> Optional.empty());

    assertThat(reported).singleElement().asString().startsWith("99: the scheduler refused its schedule '0 0 0 31 2 ?'");
    assertThat(schedules.nextRun(home.id())).isPresent();
    assertThat(schedules.nextRun(99)).isEmpty();
    assertThat(schedules.status().jobs()).isEqualTo(1);
  }

  /** CATCH_UP_DELAY_SECONDS: a user whose Pi-holes boot slower than this host waits longer, a test less. */
  @Test
  void theCatchUpRunWaitsTheDelayItIsGiven() {
    schedules.close();
    schedules = new TestSchedules(dir.resolve("scheduler.lock"), ZoneOffset.UTC, clock, Duration.ofMillis(100), Schedules.OFFSITE_FIRST,
        Spread.NONE, null, Schedules.OFFSITE_EVERY, Duration.ofSeconds(2), Schedules.MISFIRE_THRESHOLD)
        .start(new AppJobs(services.backups.runs(), services.tickets, services.maintenance), s -> takeovers.incrementAndGet());

    schedules.scheduleAll(services.instances.list(), id -> Optional.of(now.minus(Duration.ofDays(3))));

    assertThat(schedules.status().nextFireTime()).isEqualTo(now.plusSeconds(2));
    assertThat(Schedules.CATCH_UP_DELAY).as("README's default").isEqualTo(Duration.ofSeconds(30));
  }

  /** The app's: Quartz's own default for its in-memory store, which the tests above shorten. */
  @Test
  void theMisfireThresholdIsQuartzsDefaultForItsInMemoryStore() {
    assertThat(Schedules.MISFIRE_THRESHOLD.toMillis()).isEqualTo(new RAMJobStore().getMisfireThreshold());
  }

  @Test
  void aCatchUpDueShortlyIsKeptWhenTheInstancesArePlannedAgain() {
    schedules.scheduleAll(services.instances.list(), id -> Optional.of(now.minus(Duration.ofDays(3))));

    schedules.reschedule(services.instances.list()); // an instance added or edited meanwhile

    assertThat(schedules.status().nextFireTime()).isEqualTo(now.plus(Schedules.CATCH_UP_DELAY));
  }

  @Test
  void theFirstLookForChangesAfterTheStartPlansNothingAgain() throws Exception {
    schedules.scheduleAll(services.instances.list(), id -> Optional.of(now.minus(Duration.ofDays(3))));
    AtomicInteger plans = new AtomicInteger();
    AtomicInteger looks = new AtomicInteger();

    schedules.planInstancesWith(new Planning.InstancePlan(() -> {
      looks.incrementAndGet();
      return 7;
    }, () -> {
      plans.incrementAndGet();
      return services.instances.list();
    }, id -> services.instances.list().stream().filter(i -> i.id() == id).findFirst()));

    Eventually.until("the changes were looked at twice after the start", Duration.ofSeconds(20), () -> looks.get() >= 3);
    assertThat(plans).as("nothing was changed since the start planned every instance").hasValue(0);
  }

  /**
   * In TIME_ZONE, not in the JVM's (UTC here): the schedule's trigger was built from a trigger's getScheduleBuilder(), which
   * Quartz answers without the zone, and a daily 03:00 in Berlin ran at 04:00 from the end of March.
   */
  @Test
  void aDaily0300BackupInBerlinRunsAt0300LocalTimeOnBothSidesOfTheChangesOfTheClocks() {
    ZoneId berlin = ZoneId.of("Europe/Berlin");
    Clock beforeSpring = Clock.fixed(Instant.parse("2027-03-25T12:00:00Z"), ZoneOffset.UTC); // clocks go forward on 28 March 2027, back on 31 October
    TestServices own = new TestServices(dir.resolve("berlin-backups"), beforeSpring);
    own.instances.applyEnvironment(List.of(new InstanceDefinition("HOME", "Home", "http://pi.hole", TlsTrust.SYSTEM, null,
        new Schedule(Schedule.Kind.DAILY, LocalTime.of(3, 0), DayOfWeek.SUNDAY, null), RetentionPolicy.DEFAULT, false, true)));
    long id = own.instances.list().get(0).id();

    try (TestSchedules inBerlin = new TestSchedules(dir.resolve("berlin.lock"), berlin, beforeSpring, Duration.ofSeconds(1), Duration.ofHours(1))
        .start(new AppJobs(own.backups.runs(), own.tickets, own.maintenance), s -> s.scheduleAll(own.instances.list(), i -> Optional.empty()))) {
      Trigger trigger = inBerlin.scheduleTrigger(id).orElseThrow();
      List<ZonedDateTime> fires = new ArrayList<>();
      for (Date next = trigger.getNextFireTime(); next.toInstant().isBefore(Instant.parse("2027-11-03T00:00:00Z")); next = trigger.getFireTimeAfter(next)) {
        fires.add(next.toInstant().atZone(berlin));
      }

      assertThat(fires.get(0)).isEqualTo(ZonedDateTime.of(2027, 3, 26, 3, 0, 0, 0, berlin));
      assertThat(fires).hasSize(222).extracting(ZonedDateTime::toLocalTime).containsOnly(LocalTime.of(3, 0));
      assertThat(fires).extracting(f -> f.toLocalDate().toString()).contains("2027-03-28", "2027-03-29", "2027-10-31", "2027-11-01");
    }
  }

  @Test
  void schedulesNoCatchUpWhenTheLastRunWasOnTime() {
    schedules.scheduleAll(services.instances.list(), id -> Optional.of(now.minus(Duration.ofMinutes(1))));

    assertThat(schedules.status().nextFireTime()).isAfter(now.plus(Duration.ofHours(2)));
  }

  /** Manual backups as the application wires them: launched through this scheduler. */
  private BackupQueue queue() {
    return new BackupQueue(services.backups.locks(), services.tickets, schedules);
  }

  @Test
  void runsAQueuedManualBackupThroughTheSchedulerAndReportsItsProgress() throws Exception {
    schedules.scheduleAll(services.instances.list(), id -> Optional.empty());
    long home = services.instances.list().get(0).id();
    BackupQueue queue = queue();

    BackupTicket ticket = queue.enqueue(home);
    BackupTicket finished = queue.await(ticket, 30);

    assertThat(ticket.job().state()).isEqualTo(Job.State.QUEUED);
    assertThat(finished.job().state()).isEqualTo(Job.State.DONE);
    assertThat(finished.job().bytes()).isEqualTo(io.piholecheckpoint.testing.Fixtures.archiveA().length);
    assertThat(services.backupRepository.findById(finished.backupId()).orElseThrow().trigger()).isEqualTo(Backup.Trigger.MANUAL);
  }

  @Test
  void closingLeavesNoneOfQuartzsWorkerThreadsRunningSoAServletContainerCanUnloadTheApplication() throws Exception {
    schedules.close();
    java.util.Set<Thread> before = Thread.getAllStackTraces().keySet();
    schedules = start();
    schedules.scheduleAll(services.instances.list(), id -> Optional.empty());
    BackupQueue queue = queue();
    queue.await(queue.enqueue(services.instances.list().get(0).id()), 30); // a job ran: its worker is idle now
    List<Thread> workers = Thread.getAllStackTraces().keySet().stream()
        .filter(t -> !before.contains(t) && t.getName().contains("_Worker-")).toList();

    schedules.close();

    assertThat(workers).isNotEmpty().noneMatch(Thread::isAlive);
  }

  @Test
  void refusesASecondManualBackupWhileOneIsQueued() throws Exception {
    schedules.scheduleAll(services.instances.list(), id -> Optional.empty());
    long home = services.instances.list().get(0).id();
    BackupQueue queue = queue();
    services.gateway.closeGate();
    BackupTicket first = queue.enqueue(home);

    assertThatThrownBy(() -> queue.enqueue(home)).isInstanceOf(BackupConflictException.class);

    services.gateway.openGate();
    // the first backup ends before the test's folder is removed: it still writes its archive there
    assertThat(queue.await(first, 30).job().state()).isEqualTo(Job.State.DONE);
  }

  @Test
  void runsAtMostMaxParallelBackupsAtOnceAndTheOthersWaitTheirTurnVisibly() throws Exception {
    schedules.close();
    services.instances.applyEnvironment(java.util.stream.IntStream.rangeClosed(1, 6)
        .mapToObj(n -> io.piholecheckpoint.testing.TestInstances.aDefinition("P" + n, "http://p" + n + ".lan")).toList());
    schedules = TestSchedules.start(new AppJobs(services.backups.runs(), services.tickets, services.maintenance,
            io.piholecheckpoint.core.archive.work.ArchiveWork.unbounded(), () -> { }, null, null, 2),
        dir.resolve("scheduler.lock"), ZoneOffset.UTC, clock, Duration.ofMillis(100), s -> { });
    schedules.scheduleAll(services.instances.list(), id -> Optional.empty());
    List<Long> ids = services.instances.list().stream().filter(i -> !i.removed()).map(PiholeInstance::id).toList();
    BackupQueue queue = queue();
    services.gateway.closeGate();

    List<BackupTicket> tickets = ids.stream().map(queue::enqueue).toList();
    Eventually.until("two exports are held at the gate", Duration.ofSeconds(60), () -> services.gateway.exportsInProgress() == 2);
    Eventually.until("the other four wait in line", Duration.ofSeconds(60),
        () -> ids.stream().filter(id -> schedules.waitingSince(id).isPresent()).count() == 4);
    long waiting = ids.stream().filter(id -> schedules.waitingSince(id).isPresent()).count();
    services.gateway.openGate();
    List<BackupTicket> finished = new ArrayList<>();
    for (BackupTicket t : tickets) {
      finished.add(queue.await(t, 30));
    }

    assertThat(waiting).isEqualTo(4);
    assertThat(finished).extracting(t -> t.job().state()).containsOnly(Job.State.DONE);
    assertThat(services.gateway.maxConcurrentExports()).isEqualTo(2);
    assertThat(ids).allMatch(id -> schedules.waitingSince(id).isEmpty());
  }

  @Test
  void spreadsAnInstancesRunsByItsStableOffsetAndShowsTheShiftedTime() {
    schedules.close();
    Spread spread = new Spread(Duration.ofMinutes(30));
    PiholeInstance home = services.instances.list().get(0);
    Duration offset = spread.offset(home.id(), home.schedule());
    Instant unshifted = Triggers.firstFire(home.schedule(), ZoneOffset.UTC, now);

    List<Optional<Instant>> nextRuns = new ArrayList<>();
    for (int start = 0; start < 2; start++) { // a restart: the same time
      try (TestSchedules spreading = new TestSchedules(dir.resolve("scheduler.lock"), ZoneOffset.UTC, clock, Duration.ofMillis(100), Schedules.OFFSITE_FIRST, spread)
          .start(new AppJobs(services.backups.runs(), services.tickets, services.maintenance), s -> { })) {
        spreading.scheduleAll(services.instances.list(), id -> Optional.empty());
        nextRuns.add(spreading.nextRun(home.id()));
      }
    }

    assertThat(offset).isPositive();
    assertThat(nextRuns).containsExactly(Optional.of(unshifted.plus(offset)), Optional.of(unshifted.plus(offset)));
    assertThat(new QuartzFireTimes(ZoneOffset.UTC, clock, spread).upcoming(home.id(), home.schedule(), 2))
        .as("what the pages and the API show").containsExactly(unshifted.plus(offset), unshifted.plus(offset).plus(Duration.ofDays(1)));
  }

  @Test
  void aRunWhoseShiftedTimeIsStillToComeToday() {
    schedules.close();
    PiholeInstance home = services.instances.list().get(0);
    Spread spread = new Spread(Duration.ofDays(1));
    Duration offset = spread.offset(home.id(), home.schedule());
    // the schedule's time passed a moment ago; its shifted time has not come yet
    Clock later = Clock.fixed(Triggers.firstFire(home.schedule(), ZoneOffset.UTC, now).plus(offset).minusSeconds(1), ZoneOffset.UTC);

    try (TestSchedules spreading = new TestSchedules(dir.resolve("scheduler.lock"), ZoneOffset.UTC, later, Duration.ofMillis(100), Schedules.OFFSITE_FIRST, spread)
        .start(new AppJobs(services.backups.runs(), services.tickets, services.maintenance), s -> { })) {
      spreading.scheduleAll(services.instances.list(), id -> Optional.empty());

      assertThat(spreading.nextRun(home.id())).contains(later.instant().plusSeconds(1));
    }
  }

  @Test
  void aSecondSchedulerOnTheSameDataWaitsOnStandbyAndDoesNoCleanup() {
    AtomicInteger secondTakeovers = new AtomicInteger();

    try (TestSchedules second = start(s -> secondTakeovers.incrementAndGet())) {

      assertThat(takeovers).hasValue(1);
      assertThat(secondTakeovers).as("the clean-up is the lock holder's").hasValue(0);
      assertThat(second.status().state()).isEqualTo("standby");
      assertThat(second.status().reason()).contains("another Pi-hole Checkpoint process holds").contains("takes over when that one stops");
    }
  }

  @Test
  void aManualBackupOnAStandbyIsRefusedNamingTheOtherProcess() {
    try (TestSchedules second = start(s -> { })) {

      assertThatThrownBy(() -> second.launch(1, "ticket"))
          .isInstanceOf(io.piholecheckpoint.core.backup.catalog.BackupConflictException.class)
          .hasMessageStartingWith("backups cannot start here: the scheduler is not running in this process (another Pi-hole Checkpoint process holds")
          .hasMessageContaining("back up from the Pi-hole Checkpoint process that runs the schedules");
    }
  }

  @Test
  void theStandbyTakesOverOnceTheLockIsReleased() throws Exception {
    AtomicInteger secondTakeovers = new AtomicInteger();
    try (TestSchedules second = start(s -> {
      secondTakeovers.incrementAndGet();
      s.scheduleAll(services.instances.list(), id -> Optional.empty());
    })) {

      schedules.close();

      // Quartz shows as running a moment before the take-over has scheduled the backups: wait for both
      Eventually.until("the standby took over", Duration.ofSeconds(60), () -> second.status().running() && second.status().jobs() == 1);
      assertThat(secondTakeovers).hasValue(1);
    }
  }

  /** Outsider (low): after a takeover every Pi-hole was "Scheduled" twice: by the takeover, then again by the first look for changes. */
  @Test
  void theFirstLookForChangesAfterATakeoverPlansNothingAgain() throws Exception {
    AtomicInteger plans = new AtomicInteger();
    AtomicInteger looks = new AtomicInteger();
    try (TestSchedules second = start(s -> s.scheduleAll(services.instances.list(), id -> Optional.empty()))) {
      second.planInstancesWith(new Planning.InstancePlan(() -> {
        looks.incrementAndGet();
        return 7;
      }, () -> {
        plans.incrementAndGet();
        return services.instances.list();
      }, id -> services.instances.list().stream().filter(i -> i.id() == id).findFirst()));

      schedules.close();

      Eventually.until("the standby took over and looked for changes twice", Duration.ofSeconds(60), () -> second.status().running() && looks.get() >= 3);
      assertThat(plans).as("nothing was changed since the takeover planned every instance").hasValue(0);
    }
  }

  @Test
  void aStandbyClosedBeforeTakingOverNeverTakesOver() throws Exception {
    AtomicInteger secondTakeovers = new AtomicInteger();
    TestSchedules second = start(s -> secondTakeovers.incrementAndGet());
    second.close();

    schedules.close();

    try (TestSchedules third = start()) {
      assertThat(third.status().running()).as("the lock is free: the closed standby did not take it").isTrue();
    }
    assertThat(secondTakeovers).hasValue(0);
    assertThat(second.status().state()).isEqualTo("shut down");
  }

  @Test
  void makesHealthUnavailableOnceShutDown() {
    schedules.scheduleAll(services.instances.list(), id -> Optional.empty());
    HealthService health = new HealthService(new HealthProbes() {
      @Override
      public SchedulerStatus scheduler() {
        return schedules.status();
      }

      @Override
      public DatabaseStatus database() {
        return new DatabaseStatus(true, "20261127000002", null);
      }
    }, services.instances, services.catalog, services.archives, clock, new Staleness(Optional.empty(), Schedules::period));
    assertThat(health.check().available()).isTrue();

    schedules.close();

    assertThat(schedules.status().state()).isEqualTo("shut down");
    assertThat(health.check().available()).isFalse();
  }
}
