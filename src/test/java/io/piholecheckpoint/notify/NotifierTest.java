package io.piholecheckpoint.notify;

import static org.assertj.core.api.Assertions.assertThat;

import io.piholecheckpoint.core.backup.catalog.Backup;
import io.piholecheckpoint.core.download.DownloadPolicy;
import io.piholecheckpoint.core.gateway.PiholeException;
import io.piholecheckpoint.core.health.HealthReport;
import io.piholecheckpoint.testing.Fixtures;
import io.piholecheckpoint.testing.MovableClock;
import io.piholecheckpoint.testing.Receiver;
import io.piholecheckpoint.testing.SameThread;
import io.piholecheckpoint.testing.TestTimes;
import io.piholecheckpoint.testing.TestInstances;
import io.piholecheckpoint.testing.TestServices;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NotifierTest {
  private final MovableClock clock = new MovableClock(Instant.parse("2026-11-27T03:00:00Z"));
  private final List<Notification> sent = new ArrayList<>();
  private final List<String> outcomes = new ArrayList<>();
  private final Provider recording = new Provider() {
    @Override
    public String name() {
      return "recording";
    }

    @Override
    public Outbound.Result deliver(Notification n) {
      sent.add(n);
      return new Outbound.Result(true, 200, null, 1);
    }
  };
  private TestServices services;
  private long home;

  @TempDir
  Path dir;

  @BeforeEach
  void setUp() {
    use(new Notifier(new Deliveries(List.of(recording), defaults(), new SameThread(), (p, ok) -> outcomes.add(p + ":" + ok), clock), Duration.ofHours(6), clock, TestTimes.UTC));
  }

  private static Set<NotifyEvent> defaults() {
    Set<NotifyEvent> on = EnumSet.noneOf(NotifyEvent.class);
    for (NotifyEvent e : NotifyEvent.values()) {
      if (e.onByDefault()) {
        on.add(e);
      }
    }
    return on;
  }

  private void use(Notifier notifier) {
    services = new TestServices(dir, clock, notifier);
    services.instances.applyEnvironment(List.of(TestInstances.aDefinition("HOME", "http://pi.hole")));
    home = services.instances.list().get(0).id();
  }

  private void fail(PiholeException.Failure failure, String message) {
    // transient failures are retried: every attempt of this run fails
    services.gateway.failTimes(failure.transientFailure() ? DownloadPolicy.DEFAULT.retries() + 1 : 1, new PiholeException(failure, message));
    services.backups.runBackup(home, Backup.Trigger.SCHEDULED);
  }

  private void succeed() {
    services.gateway.answer(Fixtures.archiveA());
    services.backups.runBackup(home, Backup.Trigger.SCHEDULED);
  }

  private List<String> titles() {
    return sent.stream().map(n -> n.event().code() + ": " + n.title()).toList();
  }

  @Test
  void tellsAProblemOnceThenAfterTheCooldownThenWhenItClears() {
    fail(PiholeException.Failure.WRONG_PASSWORD, "wrong password");
    clock.advance(Duration.ofHours(1));
    fail(PiholeException.Failure.WRONG_PASSWORD, "wrong password");
    clock.advance(Duration.ofHours(5).plusMinutes(1));
    fail(PiholeException.Failure.WRONG_PASSWORD, "wrong password");
    succeed();
    succeed();

    assertThat(titles()).containsExactly(
        "backup_failed: Backup of 'Pi-hole HOME' failed",
        "backup_failed: Still: Backup of 'Pi-hole HOME' failed",
        "recovered: Backups of 'Pi-hole HOME' work again");
    assertThat(sent.get(0).message()).isEqualTo("wrong password");
    assertThat(outcomes).containsOnly("recording:true");
  }

  @Test
  void anUnreachablePiholeIsItsOwnStateChange() {
    fail(PiholeException.Failure.UNREACHABLE, "connection refused");
    fail(PiholeException.Failure.TIMEOUT, "timed out");
    succeed();

    assertThat(titles()).containsExactly("unreachable: Pi-hole 'Pi-hole HOME' is unreachable",
        "recovered: Pi-hole 'Pi-hole HOME' is reachable again");
  }

  @Test
  void successesAreSilentUnlessSwitchedOn() {
    succeed();
    assertThat(sent).isEmpty();

    Set<NotifyEvent> all = EnumSet.allOf(NotifyEvent.class);
    use(new Notifier(new Deliveries(List.of(recording), all, new SameThread(), (p, ok) -> { }, clock), Duration.ofHours(6), clock, TestTimes.UTC));
    succeed();
    assertThat(titles()).containsExactly("backup_succeeded: Backed up 'Pi-hole HOME'");
  }

  @Test
  void staleBackupsAndLowDiskAreToldOnceAndClearedOnce() {
    HealthReport.InstanceHealth stale = new HealthReport.InstanceHealth(home, "Home", "ok", null, null, true, 172800L);
    HealthReport.InstanceHealth fresh = new HealthReport.InstanceHealth(home, "Home", "ok", null, clock.instant(), false, 172800L);
    Notifier notifier = new Notifier(new Deliveries(List.of(recording), defaults(), new SameThread(), (p, ok) -> { }, clock), Duration.ofHours(6), clock, TestTimes.UTC);

    notifier.checkConditions(report(stale), 4.0, 10);
    notifier.checkConditions(report(stale), 3.0, 10);
    notifier.checkConditions(report(fresh), 50.0, 10);

    assertThat(titles()).containsExactly("stale: Backups of 'Home' are stale", "low_disk: Low disk space for backups",
        "recovered: Backups of 'Home' are current again", "recovered: Disk space for backups is fine again");
    assertThat(sent.get(1).message()).contains("4.0 % free");
  }

  /** Outsiders' round 43–44: these two said UTC ISO instants where every other message says TIME_ZONE's time. */
  @Test
  void staleAndFailingOffsiteNotificationsSayTheirTimesInTimeZoneWithTheZoneNamed() {
    Instant lastSuccess = Instant.parse("2026-12-05T21:30:00Z");
    HealthReport.InstanceHealth stale = new HealthReport.InstanceHealth(home, "Home", "ok", null, lastSuccess, true, 172800L);
    Notifier notifier = new Notifier(new Deliveries(List.of(recording), defaults(), new SameThread(), (p, ok) -> { }, clock), Duration.ofHours(6), clock, new io.piholecheckpoint.core.schedule.LocalTimeText(java.time.ZoneId.of("Europe/Berlin")));

    notifier.checkConditions(report(stale), 50.0, 10);
    notifier.destinationFailing("NAS", "connection refused", Instant.parse("2026-12-05T23:05:00Z"));

    assertThat(sent).extracting(Notification::message).containsExactly(
        "No successful backup since 2026-12-05 22:30:00 +01:00. Check the instance's status on the dashboard.",
        "No copy reached NAS since 2026-12-06 00:05:00 +01:00: connection refused. They are retried; check the destination and OFFSITE_NAS_*.");
  }

  private HealthReport report(HealthReport.InstanceHealth instance) {
    return new HealthReport("ok", clock.instant(), null, null, null, null, List.of(instance));
  }

  @Test
  void aFailingProviderDoesNotStopTheOthersOrTheBackup() {
    Provider broken = new Provider() {
      @Override
      public String name() {
        return "broken";
      }

      @Override
      public Outbound.Result deliver(Notification n) {
        throw new IllegalStateException("boom");
      }
    };
    use(new Notifier(new Deliveries(List.of(broken, recording), defaults(), new SameThread(), (p, ok) -> outcomes.add(p + ":" + ok), clock), Duration.ofHours(6), clock, TestTimes.UTC));

    fail(PiholeException.Failure.WRONG_PASSWORD, "wrong password");

    assertThat(sent).hasSize(1);
    assertThat(outcomes).containsExactly("broken:false", "recording:true");
  }

  @Test
  void aHangingProviderDoesNotDelayTheBackup() throws Exception {
    try (Receiver hanging = new Receiver()) {
      hanging.hang();
      Provider webhook = Providers.webhook(hanging.url() + "/hook", "POST", java.util.Map.of(),
          new Outbound(d -> { }));
      use(new Notifier(new Deliveries(List.of(webhook), defaults(), Executors.newSingleThreadExecutor(), (p, ok) -> { }, clock), Duration.ofHours(6), clock, TestTimes.UTC));

      // delivering on the backup's thread would hold it for the 15 s request timeout of each notification
      CompletableFuture.runAsync(() -> {
        fail(PiholeException.Failure.WRONG_PASSWORD, "wrong password");
        succeed();
      }).get(10, TimeUnit.SECONDS);

      assertThat(services.catalog.latestAttempt(home)).hasValueSatisfying(b -> assertThat(b.successful()).isTrue());
    }
  }

  @Test
  void restoresAndDamagedArchivesAreTold() {
    Notifier notifier = new Notifier(new Deliveries(List.of(recording), defaults(), new SameThread(), (p, ok) -> { }, clock), Duration.ofHours(6), clock, TestTimes.UTC);
    var instance = services.instances.list().get(0);
    succeed();
    Backup backup = services.catalog.latestAttempt(home).orElseThrow();

    notifier.restoreFinished(instance, true, "restored and verified");
    notifier.restoreFinished(instance, false, "the Pi-hole refused the archive");
    notifier.archiveProblem(instance, backup, "the file's SHA-256 is abc");
    notifier.archiveProblem(instance, backup, "the file's SHA-256 is abc");

    assertThat(titles()).containsExactly("restore_succeeded: Restored 'Pi-hole HOME'", "restore_failed: Restore of 'Pi-hole HOME' failed",
        "archive_problem: Backup " + backup.id() + " of 'Pi-hole HOME' is damaged or missing");
    assertThat(sent.get(2).message()).contains("Restore from another backup");
  }
}
