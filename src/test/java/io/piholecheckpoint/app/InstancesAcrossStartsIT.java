package io.piholecheckpoint.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.piholecheckpoint.testing.FakePihole;
import io.piholecheckpoint.testing.InProcessApp;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a start makes of the data and settings it is given — instances that come and go with the
 * environment, values and rows no form would accept — and of a database that breaks under it.
 * The app runs in the test's JVM (migration step, then the launcher): none of this is about the
 * process, whose starts, refusals and stops StartupIT runs as entrypoint.sh.
 */
class InstancesAcrossStartsIT {
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

  @Test
  void healthTurns503WhenTheDatabaseFileIsUnreadable() throws Exception {
    try (InProcessApp app = InProcessApp.start(data(), backups(), Map.of())) {
      assertThat(app.get("/health").statusCode()).isEqualTo(200);

      Files.writeString(data().resolve("checkpoint.db"), "this is not an SQLite database, and it is long enough to have a header");
      HttpResponse<String> health = app.get("/health");

      assertThat(health.statusCode()).isEqualTo(503);
      assertThat(json(health).get("status").asText()).isEqualTo("unavailable");
      assertThat(json(health).at("/database/reachable").asBoolean()).isFalse();
      assertThat(json(health).at("/database/error").asText()).contains("did not answer");
    }
  }

  @Test
  void anInstanceWhoseVariablesDisappearIsMarkedRemovedAndComesBack() throws Exception {
    try (FakePihole office = FakePihole.start("labpass")) {
      Map<String, String> both = Map.of("PIHOLE_HOME_URL", "http://127.0.0.1:9",
          "PIHOLE_OFFICE_URL", office.url(), "PIHOLE_OFFICE_PASSWORD", "labpass");
      long backupId;
      try (InProcessApp app = InProcessApp.start(data(), backups(), both)) {
        backupId = json(app.post("/api/v1/instances/2/backups?wait=true")).get("id").asLong();
      }

      try (InProcessApp app = InProcessApp.start(data(), backups(), Map.of("PIHOLE_HOME_URL", "http://127.0.0.1:9"))) {
        JsonNode officeNow = json(app.get("/api/v1/instances/2"));
        assertThat(officeNow.get("removed").asBoolean()).isTrue();
        assertThat(officeNow.get("status").asText()).isEqualTo("removed");
        assertThat(json(app.get("/health")).at("/scheduler/jobs").asInt()).isEqualTo(1);
        assertThat(app.download("/backups/" + backupId + "/download").statusCode()).isEqualTo(200);
        assertThat(app.post("/api/v1/instances/2/backups?wait=true").statusCode()).isEqualTo(409);
      }

      try (InProcessApp app = InProcessApp.start(data(), backups(), both)) {
        assertThat(json(app.get("/api/v1/instances/2")).get("removed").asBoolean()).isFalse();
        assertThat(json(app.get("/health")).at("/scheduler/jobs").asInt()).isEqualTo(2);
      }
    }
  }

  /** The outsider's repro: two Pi-holes added in the web interface, then a restart with variables that name Pi-holes alike. */
  @Test
  void anEnvironmentInstanceNeverTakesTheNameOfOneAddedInTheWebInterface() throws Exception {
    try (InProcessApp app = InProcessApp.start(data(), backups(), Map.of())) {
      for (String name : List.of("Office", "HOME OFFICE")) {
        assertThat(app.send("POST", "/api/v1/instances", JSON.createObjectNode().put("name", name).put("url", "http://127.0.0.1:9").toString())
            .statusCode()).isEqualTo(201);
      }
    }
    Map<String, String> env = Map.of("PIHOLE_OFFICE_URL", "http://127.0.0.1:9", "PIHOLE_HOME_OFFICE_URL", "http://127.0.0.1:9",
        "PIHOLE_CELLAR_URL", "http://127.0.0.1:9");

    try (InProcessApp app = InProcessApp.start(data(), backups(), env)) {
      JsonNode listed = json(app.get("/api/v1/instances?q=office")).get("instances");
      List<String> present = new java.util.ArrayList<>();
      listed.forEach(i -> {
        if (!i.get("removed").asBoolean()) {
          present.add(i.get("name").asText() + " " + i.get("origin").asText());
        }
      });

      assertThat(present).containsExactlyInAnyOrder("Office ui", "HOME OFFICE ui");
      assertThat(app.output()).contains("PIHOLE_OFFICE_* names its Pi-hole 'Office', the name of the Pi-hole 'Office' (#1) added in the web"
          + " interface; it is not created (it was never stored, so it has no backups) — give it a PIHOLE_OFFICE_NAME of its own, or rename 'Office' in"
          + " the web interface, and restart").contains("PIHOLE_HOME_OFFICE_* names its Pi-hole 'Home Office'")
          .contains("started: 1 instance(s) from the environment");
      assertThat(json(app.get("/health")).at("/scheduler/jobs").asInt()).as("the two added and Cellar").isEqualTo(3);
      // never stored, so on no card: the dashboard says it, for whoever does not read the log
      assertThat(app.get("/").body()).contains("data-environment-warnings", "PIHOLE_OFFICE_* names its Pi-hole &#39;Office&#39;, the name of"
          + " the Pi-hole &#39;Office&#39; (#1) added in the web interface; it is not created", "PIHOLE_HOME_OFFICE_* names its Pi-hole");
    }

    // given a name of its own, it is applied at the next start
    Map<String, String> renamed = new java.util.HashMap<>(env);
    renamed.put("PIHOLE_OFFICE_NAME", "Office 2");
    try (InProcessApp app = InProcessApp.start(data(), backups(), renamed)) {
      JsonNode listed = json(app.get("/api/v1/instances?q=office%202")).get("instances");
      assertThat(listed).singleElement().satisfies(i -> {
        assertThat(i.get("origin").asText()).isEqualTo("env");
        assertThat(i.get("removed").asBoolean()).isFalse();
      });
    }
  }

  /** A second prefix for the same Pi-hole (a doubled underscore) is left out: said on the dashboard too, not only in the log. */
  @Test
  void aPrefixLeftOutForItsNameIsNamedOnTheDashboard() throws Exception {
    try (InProcessApp app = InProcessApp.start(data(), backups(), Map.of("PIHOLE_HOME_URL", "http://127.0.0.1:9",
        "PIHOLE_HOME__URL", "http://127.0.0.1:9"))) {
      String dashboard = app.get("/").body();

      assertThat(dashboard).contains("data-environment-warnings", "PIHOLE_HOME__* names its Pi-hole &#39;Home&#39;, the name of PIHOLE_HOME_*"
          + " already; it is not used");
    }
    try (InProcessApp app = InProcessApp.start(data(), backups(), Map.of("PIHOLE_HOME_URL", "http://127.0.0.1:9"))) {
      assertThat(app.get("/").body()).as("nothing to say").doesNotContain("data-environment-warnings");
    }
  }

  /** Outsiders' round 43–44: a Pi-hole's plain password beside its _FILE, which wins, was said in the log alone. */
  @Test
  void aPasswordThatItsFileOverridesIsNamedOnTheDashboard() throws Exception {
    java.nio.file.Files.createDirectories(dir);
    Path secret = java.nio.file.Files.writeString(dir.resolve("home-password"), "from-the-file");
    try (InProcessApp app = InProcessApp.start(data(), backups(), Map.of("PIHOLE_HOME_URL", "http://127.0.0.1:9",
        "PIHOLE_HOME_PASSWORD", "plain", "PIHOLE_HOME_PASSWORD_FILE", secret.toString()))) {
      String dashboard = app.get("/").body();

      assertThat(dashboard).contains("data-environment-warnings", "PIHOLE_HOME_PASSWORD is set, but so is PIHOLE_HOME_PASSWORD_FILE, which"
          + " wins: PIHOLE_HOME_PASSWORD is not read — remove one of them").doesNotContain("plain<", "from-the-file");
    }
  }

  /** Outsider 41 (4): an environment Pi-hole that gives way to a name added in the web interface says so, not its old contact's message. */
  @Test
  void anEnvironmentInstanceThatGivesWayOverItsNameSaysWhyOnItsPageAndInHealth() throws Exception {
    try (InProcessApp app = InProcessApp.start(data(), backups(), Map.of("PIHOLE_HOME_URL", "http://127.0.0.1:9"))) {
      app.post("/api/v1/instances/1/backups?wait=true"); // nothing answers there: its status message says so
      assertThat(json(app.get("/api/v1/instances/1")).get("statusMessage").asText()).isNotEmpty();
      assertThat(app.send("POST", "/api/v1/instances", JSON.createObjectNode().put("name", "Ui One").put("url", "http://127.0.0.1:9").toString())
          .statusCode()).isEqualTo(201);
    }
    String why = "Not backed up: PIHOLE_HOME_* names its Pi-hole 'Ui One', the name of the Pi-hole 'Ui One' (#2) added in the web interface"
        + " — give it a PIHOLE_HOME_NAME of its own, or rename 'Ui One' in the web interface, and restart";

    try (InProcessApp app = InProcessApp.start(data(), backups(), Map.of("PIHOLE_HOME_URL", "http://127.0.0.1:9", "PIHOLE_HOME_NAME", "Ui One"))) {
      JsonNode home = json(app.get("/api/v1/instances/1"));
      assertThat(home.get("status").asText()).isEqualTo("removed");
      assertThat(home.get("statusMessage").asText()).isEqualTo(why);
      JsonNode health = json(app.get("/health")).get("instances");
      List<String> messages = new java.util.ArrayList<>();
      health.forEach(i -> messages.add(i.get("id").asLong() + " " + i.get("status").asText() + " " + i.get("message").asText()));
      assertThat(messages).contains("1 removed " + why);
      assertThat(app.get("/instances/1").body()).contains(why.replace("'", "&#39;"));
    }

    try (InProcessApp app = InProcessApp.start(data(), backups(), Map.of("PIHOLE_HOME_URL", "http://127.0.0.1:9"))) {
      JsonNode home = json(app.get("/api/v1/instances/1"));
      assertThat(home.get("status").asText()).as("back, not contacted yet").isEqualTo("unknown");
      assertThat(home.get("statusMessage").isNull() || home.get("statusMessage").asText().isEmpty()).as(home.toString()).isTrue();
    }
  }

  /** The outsider's repro: a status set by hand to a value no version has; the same for the enum columns of the other tables. */
  @Test
  void aStoredValueNoEnumKnowsNeverStopsTheStart() throws Exception {
    try (InProcessApp app = InProcessApp.start(data(), backups(), Map.of())) {
      assertThat(app.send("POST", "/api/v1/instances", JSON.createObjectNode().put("name", "Kitchen").put("url", "http://127.0.0.1:9").toString())
          .statusCode()).isEqualTo(201);
    }
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + data().resolve("checkpoint.db")); Statement s = c.createStatement()) {
      s.executeUpdate("UPDATE instance SET status = 'WEIRD'");
      // a column without a CHECK of its own, as instance.status: an unfinished job of a version with more states
      s.executeUpdate("INSERT INTO job (id, kind, subject, node, state, bytes, records, queued_at, finished_at)"
          + " VALUES ('j1', 'BACKUP', '1', 'gone', 'PAUSED', 0, '', 0, 1)");
    }

    try (InProcessApp app = InProcessApp.start(data(), backups(), Map.of())) {
      JsonNode kitchen = json(app.get("/api/v1/instances")).get("instances").get(0);

      assertThat(kitchen.get("name").asText()).isEqualTo("Kitchen");
      assertThat(kitchen.get("status").asText()).isEqualTo("unknown");
      assertThat(app.get("/health").statusCode()).isEqualTo(200);
      assertThat(app.get("/").statusCode()).isEqualTo(200);
      HttpResponse<String> job = app.get("/api/v1/jobs/j1");
      assertThat(job.statusCode()).as(job.body()).isEqualTo(200);
      assertThat(job.body().toLowerCase(java.util.Locale.ROOT)).as("read as the state that claims least").contains("\"failed\"");
      assertThat(app.output()).contains("A row's status holds 'WEIRD', which is no ConnectionStatus this version knows")
          .contains("read as UNKNOWN").doesNotContain("Could not process result");
    }
  }

  /** The outsider's repro: a password pasted as a query or fragment of the address, in the environment and through the API. */
  @Test
  void anAddressWithAQueryOrFragmentIsToldSoAndNeverShown() throws Exception {
    Map<String, String> env = Map.of("PIHOLE_D_URL", "http://127.0.0.1:9/?password=hunter3pw", "PIHOLE_F_URL", "http://127.0.0.1:9/#hunter6pw");
    try (InProcessApp app = InProcessApp.start(data(), backups(), env)) {
      HttpResponse<String> added = app.send("POST", "/api/v1/instances",
          JSON.createObjectNode().put("name", "Garage").put("url", "http://127.0.0.1:9/?password=hunter7pw").toString());
      String listed = app.get("/api/v1/instances").body();
      String dashboard = app.get("/").body();
      String health = app.get("/health").body();

      assertThat(added.statusCode()).isEqualTo(400);
      assertThat(added.body()).contains("Leave the query (?…) and fragment (#…) out of the address").doesNotContain("hunter");
      assertThat(listed).contains("http://127.0.0.1:9/?***", "http://127.0.0.1:9/#***").contains("Leave the query");
      assertThat(app.output()).contains("PIHOLE_D_URL='http://127.0.0.1:9/?***': Leave the query (?…) and fragment (#…) out of the address");
      for (String shown : List.of(listed, dashboard, health, app.output())) {
        assertThat(shown).doesNotContain("hunter").doesNotContain("starting with http://");
      }
    }
  }

  @Test
  void anInvalidValueIsLoggedWithItsVariableAndTheInstanceKept() throws Exception {
    try (InProcessApp app = InProcessApp.start(data(), backups(), Map.of("PIHOLE_HOME_URL", "http://127.0.0.1:9", "PIHOLE_HOME_TIME", "25:99"))) {
      assertThat(app.output()).contains("PIHOLE_HOME_TIME='25:99' is not a time as HH:MM (24 h); using 03:00");
      assertThat(json(app.get("/api/v1/instances")).get("instances")).hasSize(1);
    }
  }

  @Test
  void oneInstancesBadDataNeverStopsTheStartAndHealthNamesIt() throws Exception {
    Map<String, String> env = Map.of("PIHOLE_HOME_URL", "http://127.0.0.1:9", "PIHOLE_HOME_SCHEDULE", "cron", "PIHOLE_HOME_CRON", "0 0 0 31 2 ?",
        "PIHOLE_OFFICE_URL", "http://127.0.0.1:9");
    try (InProcessApp app = InProcessApp.start(data(), backups(), Map.of())) {
      for (String name : List.of("Kitchen", "Garage", "Cellar")) {
        assertThat(app.send("POST", "/api/v1/instances", JSON.createObjectNode().put("name", name).put("url", "http://127.0.0.1:9").toString())
            .statusCode()).isEqualTo(201);
      }
    }
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + data().resolve("checkpoint.db")); Statement s = c.createStatement()) {
      // as an older version, a newer rule or a hand edit could leave them
      s.executeUpdate("UPDATE instance SET schedule_kind = 'CRON', schedule_cron = '0 0 0 31 2 ?' WHERE name = 'Kitchen'");
      s.executeUpdate("UPDATE instance SET schedule_time = 'banana' WHERE name = 'Garage'");
    }

    try (InProcessApp app = InProcessApp.start(data(), backups(), env)) {
      JsonNode health = json(app.get("/health"));
      Map<String, JsonNode> byName = new java.util.HashMap<>();
      health.get("instances").forEach(i -> byName.put(i.get("name").asText(), i));

      assertThat(health.get("status").asText()).isEqualTo("degraded");
      assertThat(byName.get("Kitchen").get("status").asText()).isEqualTo("misconfigured");
      assertThat(byName.get("Kitchen").get("message").asText()).contains("never fires").contains("edit the instance");
      assertThat(byName.get("Garage").get("message").asText()).contains("cannot be read").contains("banana");
      assertThat(byName.get("Cellar").get("status").asText()).isNotEqualTo("misconfigured");
      assertThat(byName.get("Home").get("status").asText()).isNotEqualTo("misconfigured");
      assertThat(health.at("/scheduler/jobs").asInt()).isEqualTo(3);
      assertThat(app.output()).contains("PIHOLE_HOME_CRON='0 0 0 31 2 ?'").contains("Using the default daily schedule")
          .contains("Pi-hole 'Kitchen' is not scheduled");
      assertThat(app.get("/").body()).contains("misconfigured");

      long kitchen = byName.get("Kitchen").get("id").asLong();
      HttpResponse<String> fixed = app.send("PUT", "/api/v1/instances/" + kitchen, "{\"scheduleKind\":\"daily\"}");

      assertThat(fixed.statusCode()).as(fixed.body()).isEqualTo(200);
      assertThat(json(fixed).get("status").asText()).isNotEqualTo("misconfigured");
      assertThat(json(app.get("/health")).at("/scheduler/jobs").asInt()).isEqualTo(4);
    }
  }

  /**
   * A cron firing more often than once a minute, from PIHOLE_<P>_CRON or stored by an older build (before the rule), marks its
   * instance, not scheduled; the app starts and the others run. 58-1 is a backwards seconds range Quartz wraps (four seconds):
   * the first try of the rule threw on it and the app refused to start.
   */
  @Test
  void aCronFiringMoreOftenThanOnceAMinuteMarksItsInstanceAndTheAppStartsWhetherFromTheEnvironmentOrStored() throws Exception {
    try (InProcessApp app = InProcessApp.start(data(), backups(), Map.of())) {
      for (String name : List.of("Kitchen", "Cellar")) {
        assertThat(app.send("POST", "/api/v1/instances", JSON.createObjectNode().put("name", name).put("url", "http://127.0.0.1:9").toString())
            .statusCode()).isEqualTo(201);
      }
    }
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + data().resolve("checkpoint.db")); Statement s = c.createStatement()) {
      s.executeUpdate("UPDATE instance SET schedule_kind = 'CRON', schedule_cron = '58-1 * * * * ?' WHERE name = 'Kitchen'");
    }
    Map<String, String> env = Map.of("PIHOLE_HOME_URL", "http://127.0.0.1:9", "PIHOLE_HOME_SCHEDULE", "cron", "PIHOLE_HOME_CRON", "58-1 * * * * ?",
        "PIHOLE_FAST_URL", "http://127.0.0.1:9", "PIHOLE_FAST_SCHEDULE", "cron", "PIHOLE_FAST_CRON", "* * * * * ?",
        "PIHOLE_OFFICE_URL", "http://127.0.0.1:9");

    try (InProcessApp app = InProcessApp.start(data(), backups(), env)) {
      JsonNode health = json(app.get("/health"));
      Map<String, JsonNode> byName = new java.util.HashMap<>();
      health.get("instances").forEach(i -> byName.put(i.get("name").asText(), i));

      assertThat(byName.get("Kitchen").get("status").asText()).isEqualTo("misconfigured");
      assertThat(byName.get("Kitchen").get("message").asText()).contains("'58-1 * * * * ?' fires more than once a minute", "edit the instance");
      assertThat(byName.get("Home").get("status").asText()).isEqualTo("misconfigured");
      assertThat(byName.get("Home").get("message").asText()).contains("'58-1 * * * * ?' fires more than once a minute", "PIHOLE_HOME_");
      assertThat(byName.get("Fast").get("status").asText()).isEqualTo("misconfigured");
      assertThat(byName.get("Fast").get("message").asText()).contains("'* * * * * ?' fires more than once a minute", "PIHOLE_FAST_");
      assertThat(byName.get("Cellar").get("status").asText()).isNotEqualTo("misconfigured");
      assertThat(byName.get("Office").get("status").asText()).isNotEqualTo("misconfigured");
      assertThat(health.at("/scheduler/jobs").asInt()).as("Cellar's and Office's").isEqualTo(2);
      for (String name : List.of("Kitchen", "Home", "Fast")) {
        assertThat(json(app.get("/api/v1/instances/" + byName.get(name).get("id").asLong())).get("nextRuns")).as(name + " is not scheduled").isEmpty();
      }
    }
  }

  /**
   * A cron an older build took though Quartz read it otherwise (the #2 of 2-6/2#2 was dropped), stored or from PIHOLE_<P>_CRON:
   * the app starts, the instance is marked and not scheduled, and its message names the field in words.
   */
  @Test
  void aCronQuartzWouldReadOtherwiseThanWrittenMarksItsInstanceAndTheAppStarts() throws Exception {
    try (InProcessApp app = InProcessApp.start(data(), backups(), Map.of())) {
      assertThat(app.send("POST", "/api/v1/instances", JSON.createObjectNode().put("name", "Kitchen").put("url", "http://127.0.0.1:9").toString())
          .statusCode()).isEqualTo(201);
    }
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + data().resolve("checkpoint.db")); Statement s = c.createStatement()) {
      s.executeUpdate("UPDATE instance SET schedule_kind = 'CRON', schedule_cron = '0 0 3 ? * MON-FRI/2#2' WHERE name = 'Kitchen'");
    }
    Map<String, String> env = Map.of("PIHOLE_HOME_URL", "http://127.0.0.1:9", "PIHOLE_HOME_SCHEDULE", "cron", "PIHOLE_HOME_CRON", "0 0 3 15W/2 * ?",
        "PIHOLE_OFFICE_URL", "http://127.0.0.1:9");

    try (InProcessApp app = InProcessApp.start(data(), backups(), env)) {
      JsonNode health = json(app.get("/health"));
      Map<String, JsonNode> byName = new java.util.HashMap<>();
      health.get("instances").forEach(i -> byName.put(i.get("name").asText(), i));

      assertThat(byName.get("Kitchen").get("status").asText()).isEqualTo("misconfigured");
      assertThat(byName.get("Kitchen").get("message").asText()).contains("its day-of-week field 'MON-FRI/2#2' is not valid", "edit the instance")
          .doesNotContain("Exception");
      assertThat(json(app.get("/api/v1/instances/" + byName.get("Kitchen").get("id").asLong())).get("nextRuns")).as("not scheduled").isEmpty();
      assertThat(byName.get("Office").get("status").asText()).isNotEqualTo("misconfigured");
      assertThat(app.output()).contains("PIHOLE_HOME_CRON='0 0 3 15W/2 * ?'").contains("its day-of-month field '15W/2' is not valid");
    }
  }

  /**
   * A schedule edited by hand into columns that cannot be read: the instance is misconfigured, and neither the API nor the
   * dashboard describes the default standing in for it ("daily at 03:00") as if it were the stored one — they say it is invalid, and why.
   */
  @Test
  void aScheduleEditedByHandIntoNonsenseIsDescribedAsInvalidWithTheReasonNotAsTheDefault() throws Exception {
    long id;
    try (InProcessApp app = InProcessApp.start(data(), backups(), Map.of())) {
      HttpResponse<String> added = app.send("POST", "/api/v1/instances", JSON.createObjectNode().put("name", "Kitchen")
          .put("url", "http://127.0.0.1:9").toString());
      assertThat(added.statusCode()).isEqualTo(201);
      id = json(added).get("id").asLong();
    }
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + data().resolve("checkpoint.db")); Statement s = c.createStatement()) {
      s.executeUpdate("UPDATE instance SET schedule_kind = 'WEEKLY', schedule_time = '25:99', schedule_day = 'funday' WHERE name = 'Kitchen'");
    }

    try (InProcessApp app = InProcessApp.start(data(), backups(), Map.of())) {
      JsonNode kitchen = json(app.get("/api/v1/instances/" + id));
      String dashboard = app.get("/").body();

      assertThat(kitchen.get("status").asText()).isEqualTo("misconfigured");
      assertThat(kitchen.get("schedule").asText()).startsWith("invalid: ").contains("time '25:99'", "day 'funday'").doesNotContain("03:00");
      assertThat(kitchen.get("cron").isNull()).as("no cron form of a schedule that could not be read").isTrue();
      assertThat(kitchen.toString()).as("an empty column is said as none").contains("cron none").doesNotContain("'null'");
      assertThat(dashboard).contains("invalid: the stored schedule cannot be read").doesNotContain("daily at 03:00");
    }
  }

  /**
   * A sync group added in the UI whose WHEN was made sub-minute by hand (or by an older build, before the rule) is disabled and
   * said so once at start, with the advice for a group added in the UI — not the environment variable's and a restart.
   */
  @Test
  void aSubMinuteWhenOfAGroupAddedInTheUiIsLoggedOnceWithTheUisAdvice() throws Exception {
    try (FakePihole main = FakePihole.start("labpass"); FakePihole one = FakePihole.start("labpass")) {
      try (InProcessApp app = InProcessApp.start(data(), backups(), Map.of())) {
        for (FakePihole pihole : List.of(main, one)) {
          assertThat(app.send("POST", "/api/v1/instances", JSON.createObjectNode().put("name", pihole == main ? "Lab Main" : "Lab One")
              .put("url", pihole.url()).put("password", "labpass").toString()).statusCode()).isEqualTo(201);
        }
        HttpResponse<String> added = app.send("POST", "/api/v1/sync/groups",
            JSON.createObjectNode().put("name", "lab").put("primary", "Lab Main").set("replicas", JSON.createArrayNode().add("Lab One")).toString());
        assertThat(added.statusCode()).as(added.body()).isEqualTo(201);
      }
      try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + data().resolve("checkpoint.db")); Statement s = c.createStatement()) {
        s.executeUpdate("DELETE FROM sync_group_setting WHERE sync_group = 'LAB' AND suffix = 'WHEN'");
        s.executeUpdate("INSERT INTO sync_group_setting (sync_group, suffix, value) VALUES ('LAB', 'WHEN', '*/5 * * * * ?')");
      }

      String log;
      try (InProcessApp app = InProcessApp.start(data(), backups(), Map.of())) {
        log = app.output();
      }

      List<String> told = log.lines().filter(l -> l.contains("Sync group LAB")).toList();
      assertThat(told).as(log).singleElement().satisfies(line -> assertThat(line)
          .contains("(added in the UI) is disabled", "runs more often than once a minute", "Sync page").doesNotContain("restart", "variable"));
    }
  }

  /** The folder column is used as a path: one edited to climb out would put the next archive outside BACKUP_DIR. */
  @Test
  void aFolderEditedByHandToClimbOutIsMisconfiguredAndNothingIsWrittenOutsideBackupDir() throws Exception {
    try (FakePihole kitchen = FakePihole.start("labpass")) {
      try (InProcessApp app = InProcessApp.start(data(), backups(), Map.of())) {
        assertThat(app.send("POST", "/api/v1/instances", JSON.createObjectNode().put("name", "Kitchen").put("url", kitchen.url())
            .put("password", "labpass").toString()).statusCode()).isEqualTo(201);
      }
      try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + data().resolve("checkpoint.db")); Statement s = c.createStatement()) {
        s.executeUpdate("UPDATE instance SET slug = '../etc' WHERE name = 'Kitchen'");
      }

      try (InProcessApp app = InProcessApp.start(data(), backups(), Map.of())) {
        JsonNode instance = json(app.get("/health")).get("instances").get(0);
        assertThat(instance.get("status").asText()).isEqualTo("misconfigured");
        assertThat(instance.get("message").asText()).contains("folder (slug '../etc')").contains("cannot be read")
            .contains("back into the instance table's slug column");

        HttpResponse<String> backup = app.post("/api/v1/instances/" + instance.get("id").asLong() + "/backups?wait=true");

        assertThat(backup.statusCode()).as(backup.body()).isNotEqualTo(201);
        assertThat(json(backup).at("/error/code").asText()).as(backup.body()).isEqualTo("misconfigured");
        assertThat(json(backup).at("/error/message").asText()).contains("is not contacted: its folder ('../etc')");
        assertThat(app.output()).doesNotContain("failed unexpectedly");
        try (var found = Files.walk(dir)) {
          assertThat(found.map(p -> p.getFileName().toString())).as("no archive anywhere, inside BACKUP_DIR or out").noneMatch(n -> n.endsWith(".zip"));
        }
      }
    }
  }
}
