package io.piholecheckpoint.app;

import io.piholecheckpoint.scheduling.AppJobs;
import static io.piholecheckpoint.testing.TestInstances.aDefinition;
import static org.assertj.core.api.Assertions.assertThat;

import io.piholecheckpoint.core.archive.work.ArchiveWork;
import io.piholecheckpoint.core.archive.work.GatedReader;
import io.piholecheckpoint.core.backup.catalog.Backup;
import io.piholecheckpoint.core.sync.SyncConflictException;
import io.piholecheckpoint.core.backup.events.Events;
import io.piholecheckpoint.core.download.ArchiveDownloader;
import io.piholecheckpoint.core.download.DownloadPolicy;
import io.piholecheckpoint.core.instance.PiholeInstance;
import io.piholecheckpoint.core.settings.InstanceForm;
import io.piholecheckpoint.core.sync.groups.SyncGroups;
import io.piholecheckpoint.core.sync.SyncOnBackup;
import io.piholecheckpoint.core.sync.runs.SyncRun;
import io.piholecheckpoint.core.sync.SyncRunner;
import io.piholecheckpoint.core.sync.SyncService;
import io.piholecheckpoint.core.job.Job;
import io.piholecheckpoint.core.sync.SyncTicket;
import io.piholecheckpoint.core.sync.SyncTickets;
import io.piholecheckpoint.core.syncgroup.SyncGroupForm;
import io.piholecheckpoint.core.syncgroup.SyncGroupService;
import io.piholecheckpoint.persistence.Database;
import io.piholecheckpoint.persistence.Dialect;
import io.piholecheckpoint.persistence.MyBatisSyncGroupRepository;
import io.piholecheckpoint.scheduling.QuartzFireTimes;
import io.piholecheckpoint.scheduling.TestSchedules;
import io.piholecheckpoint.teleporter.TeleporterContents;
import io.piholecheckpoint.testing.Eventually;
import io.piholecheckpoint.testing.InMemorySyncRuns;
import io.piholecheckpoint.testing.InMemoryRestoreRepository;
import io.piholecheckpoint.testing.MigratedDatabase;
import io.piholecheckpoint.testing.MovableClock;
import io.piholecheckpoint.testing.RecordingPause;
import io.piholecheckpoint.testing.TestServices;
import io.piholecheckpoint.testing.TestTimes;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * SYNC_<GROUP>_WHEN on the real Quartz scheduler, read from the variables as at start: the trigger
 * each value makes (its next fire time, from a fixed clock, nothing waited for), the runs after a
 * primary's backups, and one run of a group at a time.
 */
class SyncSchedulingTest {
  @TempDir
  Path dir;

  private final Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
  private final Clock clock = Clock.fixed(now, ZoneOffset.UTC);
  /** Every reading a second later: the runs' start and end times tell whether two ran at once. */
  private final MovableClock ticking = MovableClock.ticking();
  private final AtomicReference<Events> afterBackup = new AtomicReference<>(Events.NONE);
  private final InMemorySyncRuns runs = new InMemorySyncRuns();
  private TestServices services;
  private SyncTickets sync;
  private TestSchedules schedules;

  @BeforeEach
  void instances() {
    services = new TestServices(dir.resolve("backups"), clock, new Events() {
      @Override
      public void backupFinished(PiholeInstance instance, Backup backup, Duration took) {
        afterBackup.get().backupFinished(instance, backup, took);
      }
    });
    services.instances.applyEnvironment(List.of(aDefinition("MAIN", "http://main.lan"), aDefinition("R1", "http://r1.lan"),
        aDefinition("R2", "http://r2.lan"), aDefinition("R3", "http://r3.lan"), aDefinition("R4", "http://r4.lan"), aDefinition("R5", "http://r5.lan")));
  }

  @AfterEach
  void stop() {
    if (schedules != null) {
      schedules.close();
    }
  }

  /** As Application wires them: the groups of the variables, their runs on this scheduler, planned again when the instances change. */
  private void start(Map<String, String> variables) {
    start(variables, ArchiveWork.unbounded());
  }

  /** @param work the turns for archive work, which the sync runs' reads of archives take as the application's do */
  private void start(Map<String, String> variables, ArchiveWork work) {
    Map<String, String> env = new HashMap<>(variables);
    SyncSettings settings = SyncSettings.read(env, new QuartzFireTimes(ZoneOffset.UTC, clock));
    SyncGroups groups = new SyncGroups(settings.groups(), settings.disabled(), settings.disabledMembers(), services.instances);
    ArchiveDownloader downloader = new ArchiveDownloader(services.gateway, TestServices.PASSWORD_ONLY, services.archives, DownloadPolicy.DEFAULT,
        new RecordingPause(), Clock.systemUTC());
    SyncService runsOfGroups = new SyncService(groups, services.backups.runs(), services.catalog, new SyncRunner(services.backups.safeChanges(),
        services.catalog, services.instances, downloader, new GatedReader(new TeleporterContents(Clock.systemUTC()), work), runs, ticking), runs,
        new InMemoryRestoreRepository());
    sync = new SyncTickets(runsOfGroups, groups, runs, (group, ticket) -> schedules.launch(group, ticket), services.jobs);
    afterBackup.set(new SyncOnBackup(groups, (group, ticket) -> schedules.launch(group, ticket)));
    schedules = TestSchedules.start(new AppJobs(services.backups.runs(), services.tickets, services.maintenance, work, () -> { },
        null, sync), dir.resolve("scheduler.lock"), ZoneOffset.UTC, clock, Duration.ofMillis(100),
        s -> s.scheduleAll(services.instances.list(), id -> Optional.empty()));
    services.instances.onChange(id -> schedules.reschedule(services.instances.list()));
  }

  private static Map<String, String> group(String name, String replica, String when) {
    Map<String, String> env = new HashMap<>(Map.of("SYNC_" + name + "_PRIMARY", "MAIN", "SYNC_" + name + "_REPLICAS", replica,
        "SYNC_" + name + "_SNAPSHOT", "never"));
    if (when != null) {
      env.put("SYNC_" + name + "_WHEN", when);
    }
    return env;
  }

  /** The first time at or after now with this hour (or, for -1, any hour) and minute. */
  private ZonedDateTime nextAt(int hour, int minute) {
    ZonedDateTime at = now.atZone(ZoneOffset.UTC).withMinute(minute).withSecond(0);
    at = hour < 0 ? at : at.withHour(hour);
    while (at.toInstant().isBefore(now)) {
      at = hour < 0 ? at.plusHours(1) : at.plusDays(1);
    }
    return at;
  }

  @Test
  void aGroupAddedInTheUiIsScheduledAtOnceRescheduledWhenItsWhenChangesAndUnscheduledWhenDeleted() throws Exception {
    start(Map.of());
    InstanceForm b = InstanceForm.blank();
    for (String name : List.of("Lab A", "Lab B")) {
      services.instances.create(new InstanceForm(name, "http://" + name.replace(' ', '-').toLowerCase() + ".lan", "pw", null, b.tlsMode(), b.caPem(),
          b.fingerprint(), b.timeoutSeconds(), b.scheduleKind(), b.time(), b.day(), b.cron(), b.maxBackups(), b.maxAgeDays(), b.keepDaily(),
          b.keepWeekly(), b.keepMonthly(), false, true));
    }
    Database database = MigratedDatabase.open(Dialect.SQLITE, Files.createDirectories(dir.resolve("catalogue")));
    SyncGroupService added = new SyncGroupService(new MyBatisSyncGroupRepository(database, clock), sync.groups(), services.instances,
        new QuartzFireTimes(ZoneOffset.UTC, clock), schedules::rescheduleSync);
    added.start();
    try {
      added.add(new SyncGroupForm("lab", "Lab A", List.of("Lab B"), Map.of("WHEN", "hourly", "SNAPSHOT", "never")));
      assertThat(schedules.nextSync("lab")).as("hourly: at minute 30").hasValue(nextAt(-1, 30).toInstant());

      added.update("lab", new SyncGroupForm(null, null, null, Map.of("WHEN", "daily")));
      assertThat(schedules.nextSync("lab")).as("its new WHEN, without a restart").hasValue(nextAt(3, 30).toInstant());

      added.delete("lab");
      assertThat(schedules.nextSync("lab")).isEmpty();
      assertThat(sync.groups().groups()).isEmpty();
    } finally {
      database.close();
    }
  }

  @Test
  void eachWhenBecomesTheTriggerItNamesAndAfterBackupHasNone() {
    Map<String, String> env = new HashMap<>();
    env.putAll(group("HOURLY", "R1", "hourly"));
    env.putAll(group("DAILY", "R2", "daily"));
    env.putAll(group("FIVE", "R3", "0 0 1 1 *"));
    env.putAll(group("SIX", "R4", "0 45 2 * * ?"));
    env.putAll(group("SEVEN", "R5", "0 0 0 1 1 ? 2099"));
    start(env);

    assertThat(schedules.nextSync("hourly")).as("hourly: at minute 30").hasValue(nextAt(-1, 30).toInstant());
    assertThat(schedules.nextSync("daily")).as("daily: at 03:30").hasValue(nextAt(3, 30).toInstant());
    assertThat(schedules.nextSync("five")).as("crontab's 5 fields: 1 January, midnight")
        .hasValue(ZonedDateTime.of(now.atZone(ZoneOffset.UTC).getYear() + 1, 1, 1, 0, 0, 0, 0, ZoneOffset.UTC).toInstant());
    assertThat(schedules.nextSync("six")).as("Quartz's 6 fields, seconds first").hasValue(nextAt(2, 45).toInstant());
    assertThat(schedules.nextSync("seven")).as("Quartz's 7, with a year").hasValue(Instant.parse("2099-01-01T00:00:00Z"));
    assertThat(LocalTime.ofInstant(schedules.nextSync("daily").orElseThrow(), ZoneOffset.UTC)).isEqualTo(LocalTime.of(3, 30));
  }

  @Test
  void aGroupCompletedByAnInstanceAddedInTheUiLaterIsScheduledWithoutARestartAndUnscheduledWhenItStopsRunning() {
    start(group("LATE", "LATER", "hourly"));
    assertThat(sync.groups().disabledById()).containsKey("late");
    assertThat(schedules.nextSync("late")).isEmpty();

    InstanceForm b = InstanceForm.blank();
    PiholeInstance later = services.instances.create(new InstanceForm("Later", "http://later.lan", "pw", null, b.tlsMode(), b.caPem(),
        b.fingerprint(), b.timeoutSeconds(), b.scheduleKind(), b.time(), b.day(), b.cron(), b.maxBackups(), b.maxAgeDays(), b.keepDaily(),
        b.keepWeekly(), b.keepMonthly(), false, true));

    assertThat(sync.groups().groups()).extracting(g -> g.id()).containsExactly("late");
    assertThat(schedules.nextSync("late")).hasValue(nextAt(-1, 30).toInstant());

    services.backups.deleteInstance(later.id(), false);

    assertThat(schedules.nextSync("late")).as("its replica is gone: the group is disabled again, and its trigger with it").isEmpty();
  }

  @Test
  void aBackupOfThePrimaryStartsTheGroupOnceEachTime() throws Exception {
    start(group("HOME", "R1", null));
    long main = services.instances.list().stream().filter(i -> "MAIN".equals(i.envPrefix())).findFirst().orElseThrow().id();

    for (int i = 0; i < 3; i++) {
      assertThat(services.backups.runBackup(main, Backup.Trigger.SCHEDULED).successful()).isTrue();
    }
    Eventually.until("three runs", Duration.ofSeconds(30), () -> runs.findByGroup("home", null, 10).size() >= 3);
    // a run asked for now queues behind anything still due, so once it is done every run the backups started is recorded
    SyncTicket fence = startWhenFree();
    assertThat(sync.await(fence.job().id(), 30).job().state()).isEqualTo(Job.State.DONE);

    assertThat(runs.findByGroup("home", null, 10)).as("three backups, three runs, and the one asked for").hasSize(4)
        .extracting(SyncRun::outcome).containsOnly(SyncRun.Outcome.IN_SYNC);
  }

  /** Outsider 37: a sync run refused a turn for archive work after ARCHIVE_BUSY_WAIT_SECONDS failed as "unexpected"; it waits, as a backup does. */
  @Test
  void aRunWaitsForItsTurnForArchiveWorkInsteadOfFailing() throws Exception {
    ArchiveWork work = new ArchiveWork(1, Duration.ofMillis(50));
    start(group("HOME", "R1", null), work);
    long main = services.instances.list().stream().filter(i -> "MAIN".equals(i.envPrefix())).findFirst().orElseThrow().id();
    try (ArchiveWork.Permit held = work.take()) {
      assertThat(services.backups.runBackup(main, Backup.Trigger.SCHEDULED).successful()).isTrue(); // starts the group's run

      Eventually.until("the run waits for the turn this test holds", Duration.ofSeconds(30), () -> work.waiting() > 0);
    }
    Eventually.until("the run ends", Duration.ofSeconds(30), () -> !runs.findByGroup("home", null, 10).isEmpty());
    SyncRun run = runs.findByGroup("home", null, 10).get(0);

    assertThat(run.outcome()).as(run.message()).isEqualTo(SyncRun.Outcome.IN_SYNC);
  }

  @Test
  void aRunThatBacksUpItsPrimaryFirstDoesNotStartItselfAgainWithThatBackup() throws Exception {
    start(group("HOME", "R1", null));

    SyncTicket first = sync.start("home");
    assertThat(sync.await(first.job().id(), 30).job().state()).isEqualTo(Job.State.DONE);
    SyncTicket fence = startWhenFree();
    assertThat(sync.await(fence.job().id(), 30).job().state()).isEqualTo(Job.State.DONE);

    assertThat(services.catalog.latest()).as("the first run took the primary's backup it had none of").isPresent();
    assertThat(runs.findByGroup("home", null, 10)).as("the two runs asked for, none after that backup").hasSize(2);
  }

  @Test
  void runsOfAGroupStartedTogetherRunOneAfterTheOtherNoneLost() throws Exception {
    start(group("HOME", "R1", "daily"));
    long main = services.instances.list().stream().filter(i -> "MAIN".equals(i.envPrefix())).findFirst().orElseThrow().id();
    assertThat(services.backups.runBackup(main, Backup.Trigger.MANUAL).successful()).isTrue();
    services.gateway.closeGate();

    for (int i = 0; i < 3; i++) {
      schedules.launch("home", null);
    }
    assertThat(services.gateway.awaitExportStarted()).isTrue();
    services.gateway.openGate();
    Eventually.until("three runs", Duration.ofSeconds(30), () -> runs.findByGroup("home", null, 10).size() == 3);

    List<SyncRun> done = runs.findByGroup("home", null, 10).stream().sorted(Comparator.comparingLong(SyncRun::id)).toList();
    assertThat(services.gateway.maxConcurrentExports()).isEqualTo(1);
    for (int i = 1; i < done.size(); i++) {
      assertThat(done.get(i).startedAt()).as("run %d started after run %d finished", i + 1, i).isAfter(done.get(i - 1).finishedAt());
    }
  }

  private SyncTicket startWhenFree() throws Exception {
    AtomicReference<SyncTicket> ticket = new AtomicReference<>();
    Eventually.until("the group is free", Duration.ofSeconds(30), () -> {
      try {
        ticket.set(sync.start("home"));
        return true;
      } catch (SyncConflictException e) {
        return false;
      }
    });
    return ticket.get();
  }
}
