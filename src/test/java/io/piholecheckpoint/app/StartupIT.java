package io.piholecheckpoint.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.piholecheckpoint.testing.InProcessApp;
import io.piholecheckpoint.testing.RunningApp;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.api.io.TempDir;

/** How the launcher starts, refuses to start, and reports itself, run as entrypoint.sh. */
class StartupIT {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir
  Path dir;

  private Path data() {
    return dir.resolve("data");
  }

  private Path backups() {
    return dir.resolve("backups");
  }

  private static JsonNode json(HttpResponse<String> response) throws Exception {
    return JSON.readTree(response.body());
  }

  @Nested
  class Protection {
    @Test
    void requireAuthWithoutAPasswordRefusesToStart() throws Exception {
      RunningApp.Exit exit = RunningApp.runToExit("run", data(), backups(), Map.of("REQUIRE_AUTH", "true"));

      assertThat(exit.code()).isNotZero();
      assertThat(exit.output()).contains("REQUIRE_AUTH=true but no APP_PASSWORD (or APP_PASSWORD_FILE) is set");
    }

    @Test
    void anUnreadablePasswordFileIsNamedAndStopsTheStart() throws Exception {
      RunningApp.Exit exit = RunningApp.runToExit("run", data(), backups(),
          Map.of("APP_PASSWORD_FILE", dir.resolve("missing-secret").toString()));

      assertThat(exit.code()).isNotZero();
      assertThat(exit.output()).contains("APP_PASSWORD_FILE=" + dir.resolve("missing-secret") + " cannot be read");
    }
  }

  @Nested
  class Settings {
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {"TIME_ZONE|Mars/Olympus|is not a time zone; use an ID such as UTC or Europe/Berlin",
        "PIHOLE_TIMEOUT_SECONDS|abc|must be a whole number from 1 to 3600"})
    void aWrongSettingIsAConfigurationErrorNotAMigrationFailure(String name, String value, String why) throws Exception {
      RunningApp.Exit exit = RunningApp.runToExit("run", data(), backups(), Map.of(name, value));

      assertThat(exit.code()).isNotZero();
      assertThat(exit.output()).contains("Configuration error: " + name + "='" + value + "' " + why).doesNotContain("Migration failed");
      assertThat(data().resolve("checkpoint.db")).as("the migration step needs only DATA_DIR").exists();
    }
  }

  @Test
  void everyBadGlobalSettingIsNamedAtOnceWithoutAStackTrace() throws Exception {
    RunningApp.Exit exit = RunningApp.runToExit("run", data(), backups(),
        Map.of("TIME_ZONE", "Mars/Olympus", "PIHOLE_RETRIES", "abc", "PIHOLE_TIMEOUT_SECONDS", "0"));

    assertThat(exit.code()).isNotZero();
    assertThat(exit.output()).contains("Configuration error: 3 settings cannot be used", "TIME_ZONE='Mars/Olympus' is not a time zone",
        "PIHOLE_RETRIES='abc' must be a whole number", "PIHOLE_TIMEOUT_SECONDS='0' must be a whole number from 1 to 3600")
        .doesNotContainPattern("\\n\\s+at [a-z]+\\.");
    // one line: not repeated by Jetty ("Failed startup of context" with the exception's class) nor by the launcher
    assertThat(exit.output()).containsOnlyOnce("PIHOLE_RETRIES='abc'").doesNotContain("Exception").doesNotContain("did not start");
  }

  /** The launcher's own setting, the web app's, and a folder that is a file: one start names all three, in one line. */
  @Test
  void aBadSettingOfEachKindIsNamedInTheOneRefusalPrintedOnce() throws Exception {
    Path inTheWay = java.nio.file.Files.writeString(dir.resolve("a-file"), "not a folder");

    RunningApp.Exit exit = RunningApp.runToExit("run", data(), inTheWay,
        Map.of("HTTP_IDLE_TIMEOUT_SECONDS", "0", "TIME_ZONE", "Mars/Olympus"));

    assertThat(exit.code()).isNotZero();
    String line = exit.output().lines().filter(l -> l.contains("Configuration error: ")).findFirst().orElseThrow(() -> new AssertionError(exit.output()));
    assertThat(line).contains("3 settings cannot be used", "HTTP_IDLE_TIMEOUT_SECONDS='0' must be a whole number from 1 to 3600",
        "TIME_ZONE='Mars/Olympus' is not a time zone", "BACKUP_DIR=" + inTheWay + " is a file, not a folder");
    assertThat(exit.output()).containsOnlyOnce("Configuration error").containsOnlyOnce("HTTP_IDLE_TIMEOUT_SECONDS='0'")
        .doesNotContain("Exception").doesNotContain("did not start").doesNotContain("listening on")
        .doesNotContainPattern("\\n\\s+at [a-z]+\\.");
    assertThat(java.nio.file.Files.readString(inTheWay)).isEqualTo("not a folder");
  }

  /**
   * The migration step runs first, in its own JVM, and the server does not run after it: a DATA_DIR (or the catalogue's file in
   * it) it cannot use is named there with every other bad setting, the launcher's too, in the one line of the start.
   */
  @Nested
  class ABrokenDataDir {
    @Test
    void aDataDirThatIsAFileIsNamedWithEveryOtherBadSettingOnce() throws Exception {
      Path inTheWay = java.nio.file.Files.writeString(dir.resolve("a-file"), "not a folder");

      RunningApp.Exit exit = RunningApp.runToExit("run", inTheWay, inTheWay.resolve("sub"), Map.of("PORT", "99999",
          "HTTP_IDLE_TIMEOUT_SECONDS", "0", "TIME_ZONE", "Mars/Olympus", "PIHOLE_RETRIES", "abc", "API_TOKEN", "short"));

      assertNamedOnceInOneLine(exit, "7 settings cannot be used", "PORT='99999' must be a whole number from 0 to 65535",
          "HTTP_IDLE_TIMEOUT_SECONDS='0' must be a whole number from 1 to 3600", "DATA_DIR=" + inTheWay + " is a file, not a folder",
          "BACKUP_DIR=" + inTheWay.resolve("sub") + " cannot be made: " + inTheWay + " is a file, not a folder",
          "TIME_ZONE='Mars/Olympus' is not a time zone", "PIHOLE_RETRIES='abc' must be a whole number", "API_TOKEN is shorter than 16 characters");
      assertThat(exit.output()).doesNotContain("cannot be created");
      assertThat(java.nio.file.Files.readString(inTheWay)).isEqualTo("not a folder");
    }

    @Test
    void aFolderInPlaceOfTheCatalogueIsNamedAsOneWithEveryOtherBadSetting() throws Exception {
      java.nio.file.Files.createDirectories(data().resolve("checkpoint.db"));

      RunningApp.Exit exit = RunningApp.runToExit("run", data(), backups(), Map.of("PORT", "abc", "TIME_ZONE", "Mars/Olympus"));

      assertNamedOnceInOneLine(exit, "3 settings cannot be used", "PORT='abc' must be a whole number",
          data().resolve("checkpoint.db") + " is a folder, not the catalogue's file — point DATA_DIR at the folder that holds checkpoint.db",
          "TIME_ZONE='Mars/Olympus' is not a time zone");
      assertThat(exit.output()).doesNotContain("SQLITE_CANTOPEN").doesNotContain("Migration failed");
      assertThat(data().resolve("checkpoint.db")).isEmptyDirectory();
    }

    @Test
    void aLinkToNothingInPlaceOfTheCatalogueIsNamedWithEveryOtherBadSetting() throws Exception {
      Path gone = dir.resolve("unmounted").resolve("checkpoint.db");
      Path link = java.nio.file.Files.createSymbolicLink(java.nio.file.Files.createDirectories(data()).resolve("checkpoint.db"), gone);

      RunningApp.Exit exit = RunningApp.runToExit("run", data(), backups(), Map.of("PORT", "abc"));

      assertNamedOnceInOneLine(exit, "2 settings cannot be used", "PORT='abc' must be a whole number",
          link + " is a symbolic link to " + gone + ", which is not there");
      assertThat(gone).doesNotExist();
    }

    private static void assertNamedOnceInOneLine(RunningApp.Exit exit, String... named) {
      assertThat(exit.code()).isNotZero();
      String line = exit.output().lines().filter(l -> l.contains("Configuration error: ")).findFirst().orElseThrow(() -> new AssertionError(exit.output()));
      assertThat(line).contains(named);
      assertThat(exit.output()).containsOnlyOnce("Configuration error").doesNotContain("Exception").doesNotContain("listening on")
          .doesNotContainPattern("\\n\\s+at [a-z]+\\.");
      for (String each : named) {
        assertThat(exit.output()).containsOnlyOnce(each);
      }
    }
  }

  @Test
  void aLongListOfBadSettingsIsLoggedWholeWithItsControlCharactersEscaped() throws Exception {
    RunningApp.Exit exit = RunningApp.runToExit("run", data(), backups(), Map.of("TIME_ZONE", "Mars/Olympus\nFORGED log line",
        "PIHOLE_RETRIES", "abc", "PIHOLE_TIMEOUT_SECONDS", "0", "FAILED_RECORD_DAYS", "0", "MAX_PARALLEL_BACKUPS", "99",
        "SCHEDULE_SPREAD", "9d", "CLUSTER_CHECKIN_SECONDS", "0", "SCHEDULER_LOCK_POLL_SECONDS", "0"));

    assertThat(exit.code()).isNotZero();
    String line = exit.output().lines().filter(l -> l.contains("Configuration error: 8 settings cannot be used")).findFirst().orElseThrow();
    assertThat(line).hasSizeGreaterThan(500).contains("TIME_ZONE='Mars/Olympus\\nFORGED log line' is not a time zone")
        .endsWith("(8) SCHEDULER_LOCK_POLL_SECONDS='0' must be a whole number from 1 to 3600");
    assertThat(exit.output()).doesNotContain("\nFORGED");
  }

  @Nested
  class Schema {
    @Test
    void missingDatabaseMakesTheLauncherExitNonZeroWithTheMigrateHint() throws Exception {
      RunningApp.Exit exit = RunningApp.runToExit("serve", data(), backups(), Map.of());

      assertThat(exit.code()).isNotZero();
      assertThat(exit.output()).contains("There is no database at").contains("run './entrypoint.sh migrate'");
      assertThat(data().resolve("checkpoint.db")).doesNotExist();
    }

    @Test
    void databaseBehindTheWarMakesTheLauncherExitNonZeroWithTheMigrateHint() throws Exception {
      InProcessApp.migrate(data(), backups());
      try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + data().resolve("checkpoint.db")); Statement s = c.createStatement()) {
        s.executeUpdate("DELETE FROM changelog WHERE ID = (SELECT MAX(ID) FROM changelog)");
      }

      RunningApp.Exit exit = RunningApp.runToExit("serve", data(), backups(), Map.of());

      assertThat(exit.code()).isNotZero();
      assertThat(exit.output()).contains("is behind this version").contains("./entrypoint.sh migrate").doesNotContain("\tat ");
    }

    /** A known reason (here the database held by another process past the wait) is its one line, not a stack trace under it nor a second line. */
    @Test
    void aDatabaseHeldByAnotherProcessStopsTheStartWithItsMessageAndNoStackTrace() throws Exception {
      InProcessApp.migrate(data(), backups());
      RunningApp.Exit exit;
      try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + data().resolve("checkpoint.db")); Statement s = c.createStatement()) {
        c.setAutoCommit(false);
        s.execute("PRAGMA locking_mode = EXCLUSIVE");
        s.executeUpdate("INSERT INTO changelog (id, applied_at, description) VALUES (20991231000001, '2099-12-31 00:00:00', 'held')");
        exit = RunningApp.runToExit("serve", data(), backups(), Map.of("DATABASE_CONNECT_WAIT_SECONDS", "0"));
        c.rollback();
      }

      assertThat(exit.code()).isNotZero();
      assertThat(exit.output()).contains("Pi-hole Checkpoint cannot start: the database", "DATABASE_CONNECT_WAIT_SECONDS").doesNotContain("\tat ")
          .containsOnlyOnce("stayed busy");
    }

    /** An older build on a newer build's database: the migration step and the server both refuse it, and say what to do. */
    @Test
    void aDatabaseANewerBuildMigratedIsRefusedByTheMigrationStepAndTheServerNamingItsMigrations() throws Exception {
      InProcessApp.migrate(data(), backups());
      try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + data().resolve("checkpoint.db")); Statement s = c.createStatement()) {
        s.executeUpdate("INSERT INTO changelog (id, applied_at, description) VALUES (20991231000000, '2099-12-31 00:00:00', 'create later table')");
      }

      RunningApp.Exit migrate = RunningApp.runToExit("migrate", data(), backups(), Map.of());
      RunningApp.Exit serve = RunningApp.runToExit("serve", data(), backups(), Map.of());

      assertThat(migrate.code()).isNotZero();
      assertThat(migrate.output()).contains("holds 1 migration(s) that this build of Pi-hole Checkpoint does not know: 20991231000000 (create later table)")
          .contains("upgrade this node");
      assertThat(serve.code()).isNotZero();
      assertThat(serve.output()).contains("20991231000000 (create later table)").contains("upgrade this node").doesNotContain("\tat ");
    }

    @Test
    void migrateOnStartMigratesFromInsideTheWar() throws Exception {
      try (RunningApp app = RunningApp.startWith("serve", data(), backups(), Map.of("CHECKPOINT_MIGRATE_ON_START", "true"))) {
        assertThat(app.get("/health").statusCode()).isEqualTo(200);
      }
    }
  }

  /**
   * Two launchers on one DATA_DIR, started once for both cases (each start is a server JVM and a migration step's):
   * the one case that adds an instance runs last, so that the first's one scheduled job is the environment's Pi-hole.
   */
  @Nested
  @TestInstance(TestInstance.Lifecycle.PER_CLASS)
  @TestMethodOrder(MethodOrderer.OrderAnnotation.class)
  class TwoProcessesOnOneDataDir {
    private RunningApp first;
    private RunningApp second;

    @BeforeAll
    void startBoth(@TempDir Path shared) throws Exception {
      Map<String, String> env = Map.of("PIHOLE_HOME_URL", "http://127.0.0.1:9");
      first = RunningApp.start(shared.resolve("data"), shared.resolve("backups"), env);
      second = RunningApp.start(shared.resolve("data"), shared.resolve("backups"), env);
    }

    @AfterAll
    void stopBoth() {
      for (RunningApp app : java.util.Arrays.asList(second, first)) { // null: its start failed
        if (app != null) {
          app.close();
        }
      }
    }

    @Test
    @Order(1)
    void twoLaunchersOnOneDataDirNeverRunTwoSchedulers() throws Exception {
      HttpResponse<String> firstHealth = first.get("/health");
      HttpResponse<String> secondHealth = second.get("/health");

      assertThat(firstHealth.statusCode()).isEqualTo(200);
      assertThat(json(firstHealth).at("/scheduler/jobs").asInt()).isEqualTo(1);
      assertThat(secondHealth.statusCode()).as("a standby serves; restarting it would not help").isEqualTo(200);
      assertThat(json(secondHealth).at("/status").asText()).isEqualTo("standby");
      assertThat(json(secondHealth).at("/scheduler/state").asText()).isEqualTo("standby");
      assertThat(json(secondHealth).at("/scheduler/reason").asText()).contains("another Pi-hole Checkpoint process");
      assertThat(second.output()).contains("Scheduler on standby");
    }

    @Test
    @Order(2)
    void theDashboardShowsWhatAnotherProcessOnTheSameDataCommitted() throws Exception {
      assertThat(first.get("/").body()).doesNotContain("Added next door");

      HttpResponse<String> created = second.send("POST", "/api/v1/instances",
          JSON.createObjectNode().put("name", "Added next door").put("url", "http://127.0.0.1:9").put("password", "pw").toString());

      assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
      assertThat(first.get("/").body()).contains("Added next door");
    }
  }

  @Test
  void stopsGracefullyOnSigterm() throws Exception {
    RunningApp app = RunningApp.start(data(), backups(), Map.of());

    int code = app.stop();

    assertThat(code).isIn(0, 143);
    assertThat(app.output()).contains("Pi-hole Checkpoint stopped");
  }
}
