package io.piholecheckpoint.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.piholecheckpoint.testing.Eventually;
import io.piholecheckpoint.testing.FakePihole;
import io.piholecheckpoint.testing.InProcessApp;
import io.piholecheckpoint.testing.PostgresServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A scheduled backup that fires while another database session holds a lock on the backup history (a LOCK TABLE by hand, a
 * long migration) is not lost until its next time, a day or a year away: it is recorded as failed because the database was
 * busy, and tried again once the lock is let go.
 */
class ScheduledBackupUnderLockIT {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir
  Path dir;

  @Test
  void aScheduledBackupThatTheDatabaseFailedIsTriedAgainRatherThanLostUntilItsNextTime() throws Exception {
    PostgresServer postgres = PostgresServer.shared();
    String url = postgres.createDatabase(null);
    Path password = Files.writeString(dir.resolve("database-password"), PostgresServer.PASSWORD + "\n");
    // once a year, at a time soon after the start: any scheduled success after the failure is the try again
    ZonedDateTime at = ZonedDateTime.now(ZoneOffset.UTC).plusSeconds(50).truncatedTo(ChronoUnit.SECONDS);
    String cron = "%d %d %d %d %d ?".formatted(at.getSecond(), at.getMinute(), at.getHour(), at.getDayOfMonth(), at.getMonthValue());
    try (FakePihole home = FakePihole.start("labpass");
         Connection locker = DriverManager.getConnection(url, PostgresServer.USER, PostgresServer.PASSWORD);
         Statement lock = locker.createStatement()) {
      locker.setAutoCommit(false);
      try (InProcessApp app = InProcessApp.start(dir.resolve("data"), dir.resolve("backups"), Map.of(
          "DATABASE_URL", url, "DATABASE_USER", PostgresServer.USER, "DATABASE_PASSWORD_FILE", password.toString(),
          "PIHOLE_HOME_URL", home.url(), "PIHOLE_HOME_PASSWORD", "labpass", "PIHOLE_HOME_SCHEDULE", "cron", "PIHOLE_HOME_CRON", cron))) {
        assertThat(ZonedDateTime.now(ZoneOffset.UTC)).as("started before the scheduled time; a slower start fails this test, not the app")
            .isBefore(at.minusSeconds(2));
        lock.execute("LOCK TABLE backup IN ACCESS EXCLUSIVE MODE");
        Eventually.until("the scheduled run found the database busy", Duration.ofSeconds(120),
            () -> app.output().contains("Scheduled backup of instance 1") || app.output().contains("the database was busy"));
        locker.rollback();

        Eventually.until("the scheduled backup, tried again, succeeded", Duration.ofSeconds(150), () -> scheduled(app, "success") > 0);
        assertThat(app.output()).contains("Scheduled backup of instance 1 failed because of the database").contains("it is tried again at");
        JsonNode backups = JSON.readTree(app.get("/api/v1/instances/1/backups").body()).get("backups");
        assertThat(StreamSupport.stream(backups.spliterator(), false).filter(b -> b.get("status").asText().equals("failed"))
            .map(b -> b.get("errorCode").asText()).toList()).as("a failed run on record says why, not \"unexpected\"")
            .allMatch(code -> code.equals("database_busy"));
      }
    }
  }

  private static long scheduled(InProcessApp app, String status) throws Exception {
    JsonNode backups = JSON.readTree(app.get("/api/v1/instances/1/backups").body()).get("backups");
    return StreamSupport.stream(backups.spliterator(), false)
        .filter(b -> b.get("trigger").asText().equals("scheduled") && b.get("status").asText().equals(status)).count();
  }
}
