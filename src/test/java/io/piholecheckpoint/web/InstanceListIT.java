package io.piholecheckpoint.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.piholecheckpoint.testing.FakePihole;
import io.piholecheckpoint.testing.InProcessApp;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/** Many instances on the dashboard and in the API's list: searched, filtered and paged by the server, at plain addresses. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class InstanceListIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern CARD = Pattern.compile("<h2><a href=\"/instances/\\d+\">([^<]+)</a></h2>");

  @TempDir
  static Path dir;

  private FakePihole pihole;
  private InProcessApp app;

  @BeforeAll
  void start() throws Exception {
    pihole = FakePihole.start("labpass");
    Map<String, String> env = new HashMap<>();
    for (int n = 1; n <= 30; n++) {
      env.put("PIHOLE_P%02d_URL".formatted(n), pihole.url());
      env.put("PIHOLE_P%02d_ACTIVE".formatted(n), n == 30 ? "false" : "true");
    }
    app = InProcessApp.start(dir.resolve("data"), dir.resolve("backups"), env);
  }

  @AfterAll
  void stop() {
    app.close();
    pihole.close();
  }

  private static java.util.List<String> cards(String html) {
    java.util.List<String> names = new java.util.ArrayList<>();
    Matcher m = CARD.matcher(html);
    while (m.find()) {
      names.add(m.group(1));
    }
    return names;
  }

  @Test
  void theDashboardShowsOnePageOfTheSearchWithLinksToTheOthers() throws Exception {
    HttpResponse<String> page = app.get("/?q=p1&size=5&page=2");

    assertThat(page.statusCode()).isEqualTo(200);
    assertThat(cards(page.body())).containsExactly("P15", "P16", "P17", "P18", "P19");
    assertThat(page.body()).contains("10 of 30 instance(s), page 2 of 2")
        .contains("rel=\"prev\" href=\"/?q=p1&amp;size=5\"").doesNotContain("rel=\"next\"")
        .contains("<a href=\"/?q=p1&amp;status=unknown&amp;size=5\"").as("no inactive instance matches p1: no link").doesNotContain("data-filter=\"inactive\"");
  }

  @Test
  void theDashboardFiltersByStatus() throws Exception {
    HttpResponse<String> page = app.get("/?status=disabled");

    assertThat(cards(page.body())).containsExactly("P30");
    assertThat(page.body()).contains("1 of 30 instance(s)");
  }

  @Test
  void theDashboardsFilterIsNamedAsTheBadgeOfWhatItShows() throws Exception {
    HttpResponse<String> page = app.get("/?status=inactive");

    assertThat(cards(page.body())).containsExactly("P30");
    assertThat(page.body()).contains("data-filter=\"inactive\"").doesNotContain("data-filter=\"disabled\"")
        .contains("<span class=\"badge state-inactive\" data-state>inactive</span>");
  }

  @Test
  void theApiFiltersByTheStatusItAnswers() throws Exception {
    JsonNode listed = JSON.readTree(app.get("/api/v1/instances?q=P30").body()).at("/instances/0");
    HttpResponse<String> byStatus = app.get("/api/v1/instances?status=" + listed.get("status").asText());
    HttpResponse<String> error = app.get("/api/v1/instances?status=error");

    assertThat(byStatus.statusCode()).isEqualTo(200);
    assertThat(JSON.readTree(byStatus.body()).at("/instances/0/name").asText()).isEqualTo("P30");
    assertThat(JSON.readTree(byStatus.body()).get("total").asInt()).isEqualTo(1);
    assertThat(error.statusCode()).isEqualTo(200);
    assertThat(JSON.readTree(error.body()).get("total").asInt()).isZero();
    assertThat(JSON.readTree(app.get("/api/v1/instances?status=disabled").body()).get("total").asInt()).as("the old word").isEqualTo(1);
  }

  @Test
  void theDashboardSaysWhenAPageIsPastTheLastOne() throws Exception {
    HttpResponse<String> page = app.get("/?page=9");

    assertThat(page.statusCode()).isEqualTo(200);
    assertThat(cards(page.body())).isEmpty();
    assertThat(page.body()).contains("There is no page 9").contains("href=\"/?page=2\"");
  }

  @Test
  void theDashboardRefusesAStatusItDoesNotKnowAndAPageTooLarge() throws Exception {
    HttpResponse<String> status = app.get("/?status=broken");
    HttpResponse<String> size = app.get("/?size=101");

    assertThat(status.statusCode()).isEqualTo(400);
    assertThat(status.body()).contains("status must be one of all, ok, failing, stale, inactive, misconfigured, removed, unknown, or one of the states failing groups: auth_error, unreachable, tls_error, error");
    assertThat(size.statusCode()).isEqualTo(400);
    assertThat(size.body()).contains("size must be a whole number from 1 to 100");
  }

  @Test
  void theApiPagesTheListWithALinkToTheNextPage() throws Exception {
    JsonNode first = JSON.readTree(app.get("/api/v1/instances?size=12").body());
    JsonNode last = JSON.readTree(app.get("/api/v1/instances?size=12&page=3").body());

    assertThat(first.get("instances")).hasSize(12);
    assertThat(first.get("total").asInt()).isEqualTo(30);
    assertThat(first.get("pages").asInt()).isEqualTo(3);
    assertThat(first.get("next").asText()).isEqualTo("/api/v1/instances?page=2&size=12");
    assertThat(last.get("instances")).hasSize(6);
    assertThat(last.get("next").isNull()).isTrue();
  }

  @Test
  void theApiSearchesAndFilters() throws Exception {
    JsonNode found = JSON.readTree(app.get("/api/v1/instances?q=P2&status=disabled").body());

    assertThat(found.get("total").asInt()).isZero();
    assertThat(JSON.readTree(app.get("/api/v1/instances?q=p3").body()).at("/instances/0/name").asText()).isEqualTo("P30");
  }

  @Test
  void theApiRefusesAPageSizeBeyondItsMaximum() throws Exception {
    HttpResponse<String> response = app.get("/api/v1/instances?size=501");

    assertThat(response.statusCode()).isEqualTo(400);
    assertThat(JSON.readTree(response.body()).at("/error/message").asText()).isEqualTo("size must be a whole number from 1 to 500");
  }
}
