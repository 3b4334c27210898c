package io.piholecheckpoint.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.piholecheckpoint.testing.FakePihole;
import io.piholecheckpoint.testing.Fixtures;
import io.piholecheckpoint.testing.InProcessApp;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * HTML pages answer the status classes the API answers: a parameter a page does not take, or a
 * value it cannot use, is a 400 page naming it (never a 200 that ignores it), and a live Pi-hole
 * that fails is a 502 page with its message. Raw HTTP against the real launcher.
 */
class HonestPageStatusIT {
  private static Path dir;
  private static FakePihole pihole;
  private static InProcessApp app;

  @BeforeAll
  static void start() throws Exception {
    dir = Files.createTempDirectory("honest-page-status");
    pihole = FakePihole.start("the-right-one");
    app = InProcessApp.start(dir.resolve("data"), dir.resolve("backups"), Map.of("PIHOLE_HOME_URL", pihole.url(),
        "PIHOLE_HOME_PASSWORD", "a-wrong-one", "PIHOLE_HOME_ACTIVE", "false"));
    assertThat(app.upload("/api/v1/instances/1/backups/import", "file", "a.zip", Fixtures.archiveA()).statusCode()).isEqualTo(201);
    assertThat(app.upload("/api/v1/instances/1/backups/import", "file", "b.zip", Fixtures.archiveB()).statusCode()).isEqualTo(201);
  }

  @AfterAll
  static void stop() throws Exception {
    app.close();
    pihole.close();
  }

  @ParameterizedTest(name = "{0} -> 400 naming {1}")
  @CsvSource(delimiter = '|', value = {
      "/backups/2?diff=abc|diff must be live or the id of a backup",
      "/backups/2?list=nope|list must be one of groups",
      "/backups/2?bogus=1|bogus is not a parameter here",
      "/backups/2?after=x|given with after",
      "/backups/2?cursor=x|category must be given with change and cursor",
      "/backups/2?diff=1&category=nope|there is no list &#39;nope&#39;",
      "/backups/2?diff=1&category=domains&change=sideways|sideways",
      "/backups/2?diff=1&category=domains&cursor=forged|out of date or was edited",
      "/backups/2?diff=1&diff=2|diff is given twice",
      "/?bogus=1|bogus is not a parameter here; it takes page, q, size, status",
      "/settings?x=|this address takes none",
      "/instances/1?status=broken|status must be one of success, failed",
      "/instances/1?trigger=cosmic|trigger must be one of manual, scheduled, recovered",
      "/instances/1?before=yesterday|before must be the id of a backup",
      "/instances/1?page=2|page is not a parameter here",
      "/instances/1/edit?x=1|this address takes none",
      "/instances/new?x=1|this address takes none"})
  void aParameterAPageCannotUseIsA400PageSayingWhatIsAllowed(String path, String message) throws Exception {
    HttpResponse<String> response = app.get(path);

    assertThat(response.statusCode()).isEqualTo(400);
    assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("text/html"));
    assertThat(response.body()).contains("Bad request").contains(message);
  }

  /** Outsider 41 (6): the history's Trigger filter offers and takes every trigger the API takes, imported too. */
  @Test
  void theHistoryFiltersByEveryTriggerTheApiTakes() throws Exception {
    HttpResponse<String> imported = app.get("/instances/1?trigger=imported");

    assertThat(imported.statusCode()).isEqualTo(200);
    assertThat(imported.body()).contains("<option value=\"imported\" selected>imported</option>", "<option value=\"offsite\">offsite</option>");
    assertThat(imported.body().split("<tr class=\"backup").length - 1).as("both imported backups").isEqualTo(2);
  }

  /** They show which secrets are set and where each Pi-hole and share is: no browser or proxy keeps a copy, nor of their error pages. */
  @ParameterizedTest
  @ValueSource(strings = {"/instances/new", "/instances/1/edit", "/settings/destinations/new", "/settings/destinations/NOPE"})
  void formsOfSettingsAreNeverCached(String path) throws Exception {
    HttpResponse<String> page = app.get(path);

    assertThat(page.statusCode()).isIn(200, 404);
    assertThat(page.headers().firstValue("Cache-Control")).as(path).hasValue("no-store");
  }

  @Test
  void theParametersThePagesLinkToStillWork() throws Exception {
    assertThat(app.get("/backups/2?diff=1").statusCode()).isEqualTo(200);
    assertThat(app.get("/backups/2?diff=1&category=domains&change=added").statusCode()).isEqualTo(200);
    assertThat(app.get("/instances/1?status=&trigger=").statusCode()).as("the filter form's 'all'").isEqualTo(200);
    assertThat(app.get("/instances/1?status=success&trigger=manual&before=2").statusCode()).isEqualTo(200);
    assertThat(app.get("/").statusCode()).isEqualTo(200);
    assertThat(app.get("/settings").statusCode()).isEqualTo(200);
  }

  @Test
  void aLiveDiffWhoseLoginIsRefusedIsA502PageWithTheMessage() throws Exception {
    HttpResponse<String> page = app.get("/backups/2?diff=live");
    HttpResponse<String> api = app.get("/api/v1/backups/2/diff?against=live");

    assertThat(api.statusCode()).isEqualTo(502);
    assertThat(page.statusCode()).isEqualTo(api.statusCode());
    assertThat(page.body()).contains("wrong password for Pi-hole");
  }
}
