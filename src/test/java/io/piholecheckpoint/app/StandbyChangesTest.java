package io.piholecheckpoint.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.piholecheckpoint.core.instance.PiholeInstance;
import io.piholecheckpoint.core.settings.InstanceForm;
import io.piholecheckpoint.core.syncgroup.SyncGroupForm;
import io.piholecheckpoint.scheduling.RunningQuartz;
import io.piholecheckpoint.scheduling.Schedules;
import io.piholecheckpoint.testing.Eventually;
import io.piholecheckpoint.testing.FakePihole;
import io.piholecheckpoint.testing.MovableClock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two processes on one DATA_DIR with SQLite (two Applications in one JVM: the scheduler lock is
 * held by the first, the second waits as a standby and serves the UI and the API all the same):
 * what is changed through the standby is what the process holding the lock runs.
 */
class StandbyChangesTest {
  @TempDir
  Path dir;

  private final List<Application> processes = new ArrayList<>();
  private final List<FakePihole> piholes = new ArrayList<>();

  @AfterEach
  void stop() {
    processes.forEach(Application::close);
    piholes.forEach(FakePihole::close);
  }

  @Test
  void aSyncGroupAddedThroughTheStandbyIsScheduledByTheProcessHoldingTheLock() throws Exception {
    Application active = start();
    Application standby = start();
    assertThat(standby.health().check().scheduler().state()).isEqualTo("standby");
    uiInstance(standby, "Lab A");
    uiInstance(standby, "Lab B");

    standby.services().syncGroups().add(new SyncGroupForm("lab", "Lab A", List.of("Lab B"),
        Map.of("SNAPSHOT", "never", "WHEN", "0 0 0 1 1 ? 2099")));

    RunningQuartz schedules = (RunningQuartz) active.scheduler();
    Eventually.until("the process holding the lock scheduled it", Duration.ofSeconds(60), () -> schedules.nextSync("lab").isPresent());
    assertThat(schedules.nextSync("lab")).hasValueSatisfying(next -> assertThat(next).isAfter(Instant.parse("2098-12-30T00:00:00Z")));
  }

  @Test
  void anInstanceAddedThroughTheStandbyIsScheduledByTheProcessHoldingTheLockAndGoneThereWhenDeleted() throws Exception {
    Application active = start();
    Application standby = start();
    assertThat(standby.health().check().scheduler().state()).isEqualTo("standby");
    RunningQuartz schedules = (RunningQuartz) active.scheduler();

    long id = uiInstance(standby, "Lab A");

    Eventually.until("the process holding the lock scheduled it", Duration.ofSeconds(60), () -> schedules.nextRun(id).isPresent());
    standby.services().backupCases().instanceDeletion().deleteInstance(id, true);
    Eventually.until("the process holding the lock no longer schedules it", Duration.ofSeconds(60), () -> schedules.nextRun(id).isEmpty());
    assertThat(schedules.nextRuns()).isEmpty();
  }

  @Test
  void anInstanceAddedThroughTheStandbyIsPlannedAloneByTheProcessHoldingTheLockTheOthersTriggersAsTheyWere() throws Exception {
    MovableClock clock = new MovableClock(Instant.now().truncatedTo(ChronoUnit.SECONDS));
    Map<String, String> env = new HashMap<>();
    for (int i = 0; i < 20; i++) {
      env.put("PIHOLE_P" + i + "_URL", "http://p" + i + ".lan");
      env.put("PIHOLE_P" + i + "_PASSWORD", "labpass");
    }
    Application active = start(env, clock);
    Application standby = start(env, clock);
    RunningQuartz schedules = (RunningQuartz) active.scheduler();
    List<Long> others = active.services().instances().list().stream().map(PiholeInstance::id).toList();
    Map<Long, Optional<Instant>> before = nextRuns(schedules, others);
    // a trigger written again from now on would start two days later than the one it replaced
    clock.advance(Duration.ofDays(2));

    long id = uiInstance(standby, "Lab A");

    Eventually.until("the process holding the lock scheduled it", Duration.ofSeconds(60), () -> schedules.nextRun(id).isPresent());
    assertThat(before.values()).hasSize(20).allMatch(Optional::isPresent);
    assertThat(nextRuns(schedules, others)).isEqualTo(before);
  }

  private static Map<Long, Optional<Instant>> nextRuns(RunningQuartz schedules, List<Long> ids) {
    return ids.stream().collect(Collectors.toMap(Function.identity(), schedules::nextRun));
  }

  private Application start() throws Exception {
    return start(Map.of(), Clock.systemUTC());
  }

  private Application start(Map<String, String> more, Clock clock) throws Exception {
    Map<String, String> env = new HashMap<>(more);
    env.putAll(Map.of(
        "DATA_DIR", Files.createDirectories(dir.resolve("data")).toString(),
        "BACKUP_DIR", Files.createDirectories(dir.resolve("backups")).toString(),
        "CHECKPOINT_MIGRATE_ON_START", "true",
        "FIELD_ENCRYPTION_KEY", "a-passphrase-both-processes-share",
        "PIHOLE_RETRIES", "0"));
    // each case waits for the holder's look for changes: a tenth of the setting's least, a second
    Application process = Application.start(AppConfig.from(env), clock, Schedules.OFFSITE_EVERY, Duration.ofMillis(100));
    processes.add(process);
    return process;
  }

  private long uiInstance(Application process, String name) throws Exception {
    FakePihole pihole = FakePihole.start("labpass");
    piholes.add(pihole);
    InstanceForm b = InstanceForm.blank();
    return process.services().instances().create(new InstanceForm(name, pihole.url(), "labpass", null, b.tlsMode(), b.caPem(), b.fingerprint(),
        b.timeoutSeconds(), b.scheduleKind(), b.time(), b.day(), b.cron(), b.maxBackups(), b.maxAgeDays(), b.keepDaily(), b.keepWeekly(),
        b.keepMonthly(), false, true)).id();
  }
}
