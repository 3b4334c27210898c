package io.piholecheckpoint.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.piholecheckpoint.testing.Eventually;
import io.piholecheckpoint.testing.FakePihole;
import io.piholecheckpoint.testing.InProcessApp;
import io.piholecheckpoint.testing.PostgresServer;
import io.piholecheckpoint.testing.ScheduledSoon;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
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
    try (FakePihole home = FakePihole.start("labpass");
         Connection locker = DriverManager.getConnection(url, PostgresServer.USER, PostgresServer.PASSWORD);
         Statement lock = locker.createStatement()) {
      locker.setAutoCommit(false);
      // a write gives up waiting for a lock after 2 s, not 30, and so does a read (after the lower of that and 10 s): the run
      // still finds the database busy, without the test waiting out either production bound; and it is tried again 2 s later, not 30
      try (InProcessApp app = InProcessApp.start(dir.resolve("data"), dir.resolve("backups"), Map.of(
          "DATABASE_URL", url, "DATABASE_USER", PostgresServer.USER, "DATABASE_PASSWORD_FILE", password.toString(),
          "DATABASE_LOCK_WAIT_SECONDS", "2", "DATABASE_RETRY_SECONDS", "2"))) {
        // added through the API once the app is up, so that its fire waits for no margin left for a slow start; then moved to
        // once a year, a few seconds from now: any scheduled success after the failure is the try again. (Not under the lock:
        // the instance's answer reads its last backup.)
        ScheduledSoon soon = ScheduledSoon.add(app, home, 8);
        long id = soon.id();
        ZonedDateTime at = soon.at();
        lock.execute("LOCK TABLE backup IN ACCESS EXCLUSIVE MODE");
        assertThat(ZonedDateTime.now(ZoneOffset.UTC)).as("locked before the scheduled time; a slower API fails this test, not the app")
            .isBefore(at.minusSeconds(1));
        Eventually.until("the scheduled run found the database busy", Duration.ofSeconds(120),
            () -> app.output().contains("Scheduled backup of Pi-hole 'Home'") || app.output().contains("the database was busy"));
        Instant failedBy = Instant.now();
        locker.rollback();

        Eventually.until("the scheduled backup, tried again, succeeded", Duration.ofSeconds(150), () -> scheduled(app, id, "success") > 0);
        // the lock stops the run at its start (it "could not run") or in its writes: either way the database failed it
        assertThat(app.output()).containsPattern("Scheduled backup of Pi-hole 'Home' (could not run: it )?failed because of the database")
            .contains("it is tried again at");
        // the try again is planned 2 s after the failure, which was seen by failedBy (a few seconds' slack for the lines of one
        // failure logged apart under load; 30 s, the default, fails this)
        assertThat(firstRetry(app.output())).as("DATABASE_RETRY_SECONDS=2 is heeded").isBefore(failedBy.plusSeconds(2 + 5));
        JsonNode backups = JSON.readTree(app.get("/api/v1/instances/" + id + "/backups").body()).get("backups");
        assertThat(StreamSupport.stream(backups.spliterator(), false).filter(b -> b.get("status").asText().equals("failed"))
            .map(b -> b.get("errorCode").asText()).toList()).as("a failed run on record says why, not \"unexpected\"")
            .allMatch(code -> code.equals("database_busy"));
      }
    }
  }

  /** When the first try again was planned for, from the line that says so. */
  private static Instant firstRetry(String output) {
    // as a log line writes TIME_ZONE's times (UTC here): "2026-12-06 03:00:00 UTC"
    Matcher line = Pattern.compile("failed because of the database .*; it is tried again at (\\S+) (\\S+) UTC \\(failed 1 time").matcher(output);
    assertThat(line.find()).as(output).isTrue();
    return java.time.LocalDateTime.parse(line.group(1) + "T" + line.group(2)).toInstant(ZoneOffset.UTC);
  }

  private static long scheduled(InProcessApp app, long id, String status) throws Exception {
    JsonNode backups = JSON.readTree(app.get("/api/v1/instances/" + id + "/backups").body()).get("backups");
    return StreamSupport.stream(backups.spliterator(), false)
        .filter(b -> b.get("trigger").asText().equals("scheduled") && b.get("status").asText().equals(status)).count();
  }
}
