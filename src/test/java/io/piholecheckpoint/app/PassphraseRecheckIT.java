package io.piholecheckpoint.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.piholecheckpoint.core.health.HealthReport;
import io.piholecheckpoint.core.recovery.PassphraseCheck;
import io.piholecheckpoint.testing.Eventually;
import io.piholecheckpoint.testing.FakePihole;
import io.piholecheckpoint.testing.InProcessApp;
import io.piholecheckpoint.testing.MovableClock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The passphrase re-check end to end, without waiting ten minutes: a start with another BACKUP_ENCRYPTION_PASSPHRASE than
 * the copies at NAS were encrypted with, while NAS is out of reach, cannot check it — health says "unchecked" with its next
 * try, not degraded; NAS comes back, and once {@link PassphraseCheck#RETRY_AFTER} (10 minutes, asserted) has passed on the
 * app's clock the off-site job's next run checks it: health is degraded, "wrong", naming NAS. The app is built in this JVM
 * ({@link Application#start(AppConfig, java.time.Clock, Duration)}) with a clock the test moves; the scheduler runs on real
 * time, its off-site job every {@link #OFFSITE_EVERY} rather than the app's minute ({@code Schedules.OFFSITE_EVERY}): what
 * is waited for is the first run after the clock moved, not the minute.
 */
class PassphraseRecheckIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration OFFSITE_EVERY = Duration.ofSeconds(2);
  @TempDir
  Path dir;

  @Test
  void aDestinationOutOfReachAtStartIsCheckedTenMinutesLaterOnceItIsBack() throws Exception {
    assertThat(PassphraseCheck.RETRY_AFTER).as("the production interval, which the README states").isEqualTo(Duration.ofMinutes(10));
    Path nas = Files.createDirectories(dir.resolve("nas"));
    try (FakePihole pihole = FakePihole.start("labpass")) {
      Map<String, String> env = new HashMap<>(Map.of("PIHOLE_HOME_URL", pihole.url(), "PIHOLE_HOME_PASSWORD", "labpass",
          "OFFSITE_NAS_URL", nas.toUri().toString(), "OFFSITE_FIRST_RUN_SECONDS", "0", "BACKUP_ENCRYPTION_PASSPHRASE", "the right passphrase"));
      try (InProcessApp app = InProcessApp.start(dir.resolve("data"), dir.resolve("backups"), env)) {
        long id = JSON.readTree(app.post("/api/v1/instances/1/backups?wait=true").body()).get("id").asLong();
        Eventually.until("the copy is verified", Duration.ofSeconds(60),
            () -> JSON.readTree(app.get("/api/v1/backups/" + id).body()).at("/offsite/0/state").asText().equals("verified"));
      }
      Path unmounted = Files.move(nas, dir.resolve("nas-unmounted")); // NAS is off at the next start
      // changed on purpose (the local check file deleted): what is checked here is the passphrase against the off-site copies
      Files.delete(dir.resolve("backups").resolve(".passphrase-check.gpg"));
      env.putAll(Map.of("BACKUP_ENCRYPTION_PASSPHRASE", "not the passphrase they were encrypted with", "DATA_DIR", dir.resolve("data").toString(),
          "BACKUP_DIR", dir.resolve("backups").toString(), "PIHOLE_RETRIES", "0"));
      MovableClock clock = new MovableClock(Instant.now().truncatedTo(ChronoUnit.SECONDS));
      Instant started = clock.instant();

      try (Application app = Application.start(AppConfig.from(env), clock, OFFSITE_EVERY)) {
        Eventually.until("the check could not be made", Duration.ofSeconds(90), () -> passphrase(app) != null);
        HealthReport.PassphraseHealth unchecked = passphrase(app);
        assertThat(unchecked.status()).isEqualTo("unchecked");
        assertThat(unchecked.nextTry()).isEqualTo(started.plus(PassphraseCheck.RETRY_AFTER));
        assertThat(app.health().check().status()).as("not known to be wrong: not degraded").isEqualTo("ok");
        Files.move(unmounted, nas); // NAS is back

        clock.advance(PassphraseCheck.RETRY_AFTER);

        Eventually.until("the passphrase is checked once the next try is due", Duration.ofSeconds(90),
            () -> "wrong".equals(passphrase(app).status()));
        HealthReport report = app.health().check();
        assertThat(report.status()).isEqualTo("degraded");
        assertThat(report.passphrase().destinations()).isEqualTo(List.of("NAS"));
        assertThat(report.passphrase().message()).contains("does not open the off-site copies at NAS");
      }
    }
  }

  private static HealthReport.PassphraseHealth passphrase(Application app) {
    return app.health().check().passphrase();
  }
}
