package io.piholecheckpoint.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.piholecheckpoint.testing.FakePihole;
import io.piholecheckpoint.testing.HttpAgent;
import io.piholecheckpoint.testing.InProcessApp;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.DayOfWeek;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Cron in crontab's form through every door (environment, API, preview, form), and the next
 * three runs shown, on a running launcher in TIME_ZONE Europe/Berlin.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CronScheduleIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");

  @TempDir
  static Path dir;

  private FakePihole pihole;
  private InProcessApp app;

  @BeforeAll
  void start() throws Exception {
    pihole = FakePihole.start("labpass");
    app = InProcessApp.start(dir.resolve("data"), dir.resolve("backups"), Map.of("TIME_ZONE", "Europe/Berlin",
        "PIHOLE_HOME_URL", pihole.url(), "PIHOLE_HOME_PASSWORD", "labpass", "PIHOLE_HOME_SCHEDULE", "cron", "PIHOLE_HOME_CRON", "30 2 * * 1-5"));
  }

  @AfterAll
  void stop() {
    app.close();
    pihole.close();
  }

  private static JsonNode json(HttpResponse<String> response) throws Exception {
    return JSON.readTree(response.body());
  }

  private JsonNode home() throws Exception {
    for (JsonNode i : json(app.get("/api/v1/instances")).get("instances")) {
      if (i.get("origin").asText().equals("env")) {
        return i;
      }
    }
    throw new AssertionError("no environment instance");
  }

  private static List<OffsetDateTime> runs(JsonNode nextRuns) {
    List<OffsetDateTime> runs = new ArrayList<>();
    nextRuns.forEach(n -> runs.add(OffsetDateTime.parse(n.asText())));
    return runs;
  }

  /** Three ascending weekday runs at 02:30 Berlin time, each written with Berlin's offset. */
  private static void assertWeekdaysAt0230(JsonNode nextRuns) {
    List<OffsetDateTime> runs = runs(nextRuns);
    assertThat(runs).hasSize(3).isSorted();
    for (OffsetDateTime run : runs) {
      assertThat(run.getOffset()).isEqualTo(BERLIN.getRules().getOffset(run.toInstant()));
      assertThat(run.toLocalTime()).hasToString("02:30");
      assertThat(run.getDayOfWeek()).isNotIn(DayOfWeek.SATURDAY, DayOfWeek.SUNDAY);
    }
  }

  @Test
  void anEnvironmentCronInCrontabFormIsScheduledAndAnsweredAsWrittenWithItsNextRuns() throws Exception {
    JsonNode home = home();

    assertThat(home.get("cron").asText()).isEqualTo("30 2 * * 1-5");
    assertThat(home.get("status").asText()).isNotEqualTo("misconfigured");
    assertWeekdaysAt0230(home.get("nextRuns"));
    assertThat(app.output()).doesNotContain("PIHOLE_HOME_CRON=");
  }

  @Test
  void anApiCronInCrontabFormRoundTripsUnchanged() throws Exception {
    HttpResponse<String> created = app.send("POST", "/api/v1/instances", JSON.createObjectNode().put("name", "Garage").put("url", pihole.url())
        .put("password", "labpass").put("scheduleKind", "cron").put("cron", "30 2 * * MON-FRI").toString());
    assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
    long id = json(created).get("id").asLong();

    JsonNode got = json(app.get("/api/v1/instances/" + id));
    HttpResponse<String> putBack = app.send("PUT", "/api/v1/instances/" + id, JSON.createObjectNode().put("cron", got.get("cron").asText()).toString());

    assertThat(got.get("cron").asText()).isEqualTo("30 2 * * MON-FRI");
    assertWeekdaysAt0230(got.get("nextRuns"));
    assertThat(putBack.statusCode()).isEqualTo(200);
    assertThat(json(putBack).get("cron").asText()).isEqualTo("30 2 * * MON-FRI");
    assertThat(json(putBack).get("nextRuns")).isEqualTo(got.get("nextRuns"));
  }

  /** A backup runs at most once a minute; a backwards, wrapping seconds range (58-1: four seconds) is answered too, not a 500. */
  @ParameterizedTest
  @ValueSource(strings = {"*/5 * * * * ?", "58-1 * * * * ?"})
  void aCronFiringMoreOftenThanOnceAMinuteIs400NamingTheSecondsField(String cron) throws Exception {
    int before = json(app.get("/api/v1/instances")).get("instances").size();

    HttpResponse<String> response = app.send("POST", "/api/v1/instances", JSON.createObjectNode().put("name", "Fast").put("url", pihole.url())
        .put("password", "labpass").put("scheduleKind", "cron").put("cron", cron).toString());

    assertThat(response.statusCode()).as(response.body()).isEqualTo(400);
    assertThat(json(response).at("/error/fields/cron").asText()).contains("more than once a minute", "first field, Quartz's seconds");
    assertThat(json(app.get("/api/v1/instances")).get("instances").size()).isEqualTo(before);
  }

  @ParameterizedTest
  @ValueSource(strings = {"0 3 1 * MON", "60 2 * * *", "@reboot", "30 2 * *", "30 2 * * 8", "* * * * * * * *", "0 0 0 31 2 ?", "\u0000\u202e"})
  void anUnusableCronIs400NamingTheFieldAndStoresNothing(String cron) throws Exception {
    int before = json(app.get("/api/v1/instances")).get("instances").size();

    HttpResponse<String> response = app.send("POST", "/api/v1/instances", JSON.createObjectNode().put("name", "Bad").put("url", pihole.url())
        .put("password", "labpass").put("scheduleKind", "cron").put("cron", cron).toString());

    assertThat(response.statusCode()).as(response.body()).isEqualTo(400);
    assertThat(json(response).at("/error/fields/cron").asText()).isNotBlank();
    assertThat(json(app.get("/api/v1/instances")).get("instances").size()).isEqualTo(before);
  }

  @Test
  void thePreviewAnswersTheNextThreeRunsOrWhyNot() throws Exception {
    JsonNode ok = json(app.get("/api/v1/schedules/preview?cron=" + URLEncoder.encode("30 2 * * 1-5", StandardCharsets.UTF_8)));
    HttpResponse<String> both = app.get("/api/v1/schedules/preview?cron=" + URLEncoder.encode("0 3 1 * MON", StandardCharsets.UTF_8));
    HttpResponse<String> long_ = app.get("/api/v1/schedules/preview?cron=" + "1".repeat(300));

    assertThat(ok.get("timeZone").asText()).isEqualTo("Europe/Berlin");
    assertWeekdaysAt0230(ok.get("nextRuns"));
    assertThat(ok.get("shown").get(0).asText()).matches("\\d{4}-\\d\\d-\\d\\d 02:30:00");
    assertThat(both.statusCode()).isEqualTo(400);
    assertThat(json(both).at("/error/fields/cron").asText()).contains("either matches");
    assertThat(long_.statusCode()).isEqualTo(400);
    assertThat(app.get("/api/v1/schedules/preview").statusCode()).isEqualTo(400);
    assertThat(app.get("/api/v1/schedules/preview?cron=1&x=2").statusCode()).isEqualTo(400);
    assertThat(app.get("/api/v1/schedules/other?cron=1").statusCode()).isEqualTo(404);
  }

  /**
   * Outsider 50 F4: a tab-separated line, as crontab takes it, was refused by the preview as "a control character" while the
   * environment stored it with its tabs. The preview, the API and the form now take it alike and store it with spaces; a line
   * break stays refused.
   */
  @Test
  void aTabSeparatedCronIsTakenByThePreviewTheApiAndTheFormAndStoredWithSpaces() throws Exception {
    String tabbed = "30\t2\t*\t*\t1-5";
    HttpResponse<String> preview = app.get("/api/v1/schedules/preview?cron=" + URLEncoder.encode(tabbed, StandardCharsets.UTF_8));
    HttpResponse<String> broken = app.get("/api/v1/schedules/preview?cron=" + URLEncoder.encode("30\n2 * * 1-5", StandardCharsets.UTF_8));
    HttpResponse<String> api = app.send("POST", "/api/v1/instances", JSON.createObjectNode().put("name", "Tabbed").put("url", pihole.url())
        .put("password", "labpass").put("scheduleKind", "cron").put("cron", tabbed).toString());
    HttpAgent browser = new HttpAgent(app);
    browser.get("/instances/new");
    HttpResponse<String> form = browser.postForm("/instances", Map.of("name", "Tabbed form", "url", pihole.url(), "password", "labpass",
        "scheduleKind", "cron", "cron", tabbed, "_csrf", browser.csrfToken()));

    assertThat(preview.statusCode()).as(preview.body()).isEqualTo(200);
    assertWeekdaysAt0230(json(preview).get("nextRuns"));
    assertThat(broken.statusCode()).isEqualTo(400);
    assertThat(api.statusCode()).as(api.body()).isEqualTo(201);
    assertThat(json(api).get("cron").asText()).isEqualTo("30 2 * * 1-5");
    assertThat(form.statusCode()).as(form.body()).isEqualTo(303);
    String formId = form.headers().firstValue("Location").orElseThrow().replaceAll(".*/", "");
    assertThat(json(app.get("/api/v1/instances/" + formId)).get("cron").asText()).isEqualTo("30 2 * * 1-5");
  }

  @Test
  void theFormShowsTheSavedScheduleAndItsNextRunsWithoutJavaScript() throws Exception {
    JsonNode home = home();

    String form = app.get("/instances/" + home.get("id").asLong() + "/edit").body();

    String shown = OffsetDateTime.parse(home.get("nextRuns").get(0).asText()).toLocalDateTime().toString().replace('T', ' ') + ":00";
    assertThat(form).contains("value=\"30 2 * * 1-5\"").contains("Next runs (Europe/Berlin): " + shown);
  }

  @Test
  void aRefusedNewScheduleIsNotShownBesideTheSavedSchedulesRuns() throws Exception {
    HttpResponse<String> created = app.send("POST", "/api/v1/instances", JSON.createObjectNode().put("name", "Refused").put("url", pihole.url())
        .put("password", "labpass").put("scheduleKind", "cron").put("cron", "30 2 * * *").toString());
    long id = json(created).get("id").asLong();
    HttpAgent browser = new HttpAgent(app);
    assertThat(browser.get("/instances/" + id + "/edit").body()).as("the saved schedule's runs").contains("Next runs (");

    HttpResponse<String> form = browser.postForm("/instances/" + id, Map.of("name", "Refused", "url", pihole.url(),
        "scheduleKind", "cron", "cron", "*/30 * * * * ?", "_csrf", browser.csrfToken()));

    assertThat(form.statusCode()).as(form.body()).isEqualTo(400);
    assertThat(form.body()).contains("value=\"*/30 * * * * ?\"").contains("more than once a minute").doesNotContain("Next runs (");
  }

  @Test
  void anOverlongValueIsCalledTooLongAndNeverEchoedBackWhole() throws Exception {
    HttpResponse<String> api = app.send("POST", "/api/v1/instances", JSON.createObjectNode().put("name", "Long").put("url", pihole.url())
        .put("password", "labpass").put("scheduleKind", "cron").put("cron", "1".repeat(6_000)).toString());
    HttpAgent browser = new HttpAgent(app);
    browser.get("/instances/new");
    String pasted = "0 ".repeat(40_000);
    String longUrl = "http://pi.hole/" + "a".repeat(10_000);
    HttpResponse<String> form = browser.postForm("/instances", Map.of("name", "Long", "url", longUrl, "password", "labpass",
        "scheduleKind", "cron", "cron", pasted, "_csrf", browser.csrfToken()));

    assertThat(api.statusCode()).isEqualTo(400);
    assertThat(json(api).at("/error/fields/cron").asText()).startsWith("The cron expression is too long (at most 200 characters, this one has 6000)");
    assertThat(form.statusCode()).isEqualTo(400);
    assertThat(form.body()).contains("The cron expression is too long (at most 200 characters, this one has 79999)")
        .contains("The address is too long (at most 2048 characters, this one has 10015)")
        .contains("value=\"" + pasted.substring(0, 200) + "…\"")
        .doesNotContain(pasted.substring(0, 202)).doesNotContain(longUrl.substring(0, 2049));
    assertThat(form.body().length()).as("a page of the form, not of the paste").isLessThan(30_000);
  }
}
