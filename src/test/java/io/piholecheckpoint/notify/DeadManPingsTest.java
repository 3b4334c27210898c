package io.piholecheckpoint.notify;

import static org.assertj.core.api.Assertions.assertThat;

import io.piholecheckpoint.core.backup.catalog.Backup;
import io.piholecheckpoint.core.download.DownloadPolicy;
import io.piholecheckpoint.core.gateway.PiholeException;
import io.piholecheckpoint.testing.CapturedOutput;
import io.piholecheckpoint.testing.Eventually;
import io.piholecheckpoint.testing.Fixtures;
import io.piholecheckpoint.testing.MovableClock;
import io.piholecheckpoint.testing.Receiver;
import io.piholecheckpoint.testing.RecordingPause;
import io.piholecheckpoint.testing.TestInstances;
import io.piholecheckpoint.testing.TestServices;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DeadManPingsTest {
  private final MovableClock clock = new MovableClock(Instant.parse("2026-11-27T03:00:00Z"));
  private final Receiver monitor = new Receiver();
  private final ExecutorService sender = Executors.newSingleThreadExecutor();
  private final AtomicReference<String> url = new AtomicReference<>();

  @TempDir
  Path dir;

  DeadManPingsTest() throws Exception {
  }

  @AfterEach
  void stop() {
    sender.shutdownNow();
    monitor.close();
  }

  private TestServices services() {
    DeadManPings pings = new DeadManPings(i -> Optional.ofNullable(url.get()), new Outbound(new RecordingPause()), sender);
    TestServices services = new TestServices(dir, clock, pings);
    services.instances.applyEnvironment(List.of(TestInstances.aDefinition("HOME", "http://pi.hole")));
    return services;
  }

  private List<String> paths(int count) throws Exception {
    Eventually.until(count + " pings", Duration.ofSeconds(60), () -> monitor.requests().size() >= count);
    return monitor.requests().stream().map(r -> r.method() + " " + r.path()).toList();
  }

  @Test
  void pingsStartThenSuccessThenStartThenFailInOrder() throws Exception {
    url.set(monitor.url() + "/ping/abc-123");
    TestServices services = services();
    long home = services.instances.list().get(0).id();
    services.gateway.answer(Fixtures.archiveA());

    services.backups.runBackup(home, Backup.Trigger.SCHEDULED);
    services.gateway.fail(new PiholeException(PiholeException.Failure.WRONG_PASSWORD, "wrong password for 'Home'"));
    services.backups.runBackup(home, Backup.Trigger.SCHEDULED);

    assertThat(paths(4)).containsExactly("POST /ping/abc-123/start", "POST /ping/abc-123", "POST /ping/abc-123/start", "POST /ping/abc-123/fail");
    assertThat(monitor.requests().get(3).body()).contains("wrong password");
  }

  @Test
  void manualBackupsSendNoPing() throws Exception {
    url.set(monitor.url() + "/ping/abc-123");
    TestServices services = services();
    services.gateway.answer(Fixtures.archiveA());

    services.backups.runBackup(services.instances.list().get(0).id(), Backup.Trigger.MANUAL);
    services.backups.runBackup(services.instances.list().get(0).id(), Backup.Trigger.SCHEDULED);

    assertThat(paths(2)).containsExactly("POST /ping/abc-123/start", "POST /ping/abc-123");
  }

  @Test
  void uptimeKumaPushUrlsGetStatusUpOrDown() throws Exception {
    url.set(monitor.url() + "/api/push/tok3n?status=up&msg=OK&ping=");
    TestServices services = services();
    long home = services.instances.list().get(0).id();
    services.gateway.answer(Fixtures.archiveA());

    services.backups.runBackup(home, Backup.Trigger.SCHEDULED);
    services.gateway.failTimes(DownloadPolicy.DEFAULT.retries() + 1, new PiholeException(PiholeException.Failure.UNREACHABLE, "Pi-hole 'Home' is unreachable"));
    services.backups.runBackup(home, Backup.Trigger.SCHEDULED);

    // the failure's message as the history keeps it, which now also says it was the last of several tries
    assertThat(paths(2)).first().isEqualTo("GET /api/push/tok3n?status=up&msg=OK");
    assertThat(paths(2)).last().asString().startsWith("GET /api/push/tok3n?status=down&msg=Pi-hole+%27Home%27+is+unreachable+%28the+last+of+4+tries");
  }

  @Test
  void aHangingMonitorDoesNotDelayTheBackup() throws Exception {
    url.set(monitor.url() + "/ping/abc-123");
    monitor.hang();
    TestServices services = services();
    services.gateway.answer(Fixtures.archiveA());

    // the monitor never answers: a backup that waited for its start ping would wait out its three tries of 10 s each.
    // Bounded below those 30 s, not at 10: a backup on a machine busy with other builds took longer than that
    Backup backup = CompletableFuture.supplyAsync(() -> services.backups.runBackup(services.instances.list().get(0).id(), Backup.Trigger.SCHEDULED))
        .get(25, TimeUnit.SECONDS);

    assertThat(backup.successful()).isTrue();
    assertThat(paths(1)).as("finished while the monitor still holds the start ping (or a try of it again): the end's ping waits behind it")
        .containsOnly("POST /ping/abc-123/start");
  }

  @Test
  void aPingUrlJavaCannotParseIsLoggedByItsHostOnlyNeverWithItsToken() throws Exception {
    // a healthchecks UUID pasted with a trailing |: java.net.URI refuses it and its message quotes it whole
    url.set("https://hc-ping.example.invalid/uuid-SECRET-4444|");
    TestServices services = services();
    services.gateway.answer(Fixtures.archiveA());

    String log;
    try (CapturedOutput output = CapturedOutput.start()) {
      Backup backup = services.backups.runBackup(services.instances.list().get(0).id(), Backup.Trigger.SCHEDULED);
      assertThat(backup.successful()).isTrue();
      log = output.text();
    }

    assertThat(log).doesNotContain("SECRET").doesNotContain("uuid-");
    assertThat(log).contains("Dead-man ping for 'Pi-hole HOME' to https://hc-ping.example.invalid not sent: it cannot be read as an address (Illegal"
        + " character in path at character 49", "— check PIHOLE_HOME_PING_URL");
  }
}
