package io.piholecheckpoint.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.piholecheckpoint.testing.FakePihole;
import io.piholecheckpoint.testing.Fixtures;
import io.piholecheckpoint.testing.InProcessApp;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * A script with the API token downloads the archive the API's {@code downloadUrl} names, with
 * APP_PASSWORD set, as curl does it ({@code -L}: redirects followed). Round 30's outsider got the
 * login page, 200, saved as the backup. A wrong or missing token is 401, never a page.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ApiTokenDownloadIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String TOKEN = "api-token-0123456789abcdef";

  @TempDir
  static Path dir;

  private final HttpClient curl = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.ALWAYS).build();
  private FakePihole home;
  private InProcessApp app;
  private String downloadUrl;

  @BeforeAll
  void start() throws Exception {
    home = FakePihole.start("labpass");
    app = InProcessApp.start(dir.resolve("data"), dir.resolve("backups"), Map.of("APP_PASSWORD", "app-password-for-tests",
        "API_TOKEN", TOKEN, "PIHOLE_HOME_URL", home.url(), "PIHOLE_HOME_PASSWORD", "labpass"));
    HttpResponse<String> backup = curl.send(request("/api/v1/instances/1/backups?wait=true", "Bearer " + TOKEN)
        .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(backup.statusCode()).as(backup.body()).isBetween(200, 201);
    JsonNode made = JSON.readTree(backup.body());
    downloadUrl = (made.has("backup") ? made.get("backup") : made).get("downloadUrl").asText();
  }

  @AfterAll
  void stop() {
    app.close();
    home.close();
  }

  @Test
  void theDownloadUrlGivesTheArchiveToTheApiToken() throws Exception {
    HttpResponse<byte[]> answer = curl.send(request(downloadUrl, "Bearer " + TOKEN).build(), HttpResponse.BodyHandlers.ofByteArray());

    assertThat(answer.statusCode()).isEqualTo(200);
    assertThat(answer.headers().firstValue("Content-Type")).hasValue("application/zip");
    assertThat(answer.headers().firstValue("Content-Disposition").orElseThrow()).startsWith("attachment; filename=\"");
    assertThat(answer.body()).isEqualTo(Fixtures.archiveA());
  }

  @Test
  void aWrongOrMissingTokenIs401InJsonNeverAPage() throws Exception {
    for (String authorization : new String[] {"Bearer " + TOKEN + "x", null}) {
      HttpResponse<String> answer = curl.send(request(downloadUrl, authorization).build(), HttpResponse.BodyHandlers.ofString());

      assertThat(answer.statusCode()).as(authorization).isEqualTo(401);
      assertThat(answer.headers().firstValue("Content-Type").orElseThrow()).as(authorization).startsWith("application/json");
      assertThat(JSON.readTree(answer.body()).get("error").get("code").asText()).isEqualTo("unauthorized");
    }
  }

  /** The page's own address takes a session, not the token: a script that sends one there is told so, not led to the sign-in page. */
  @Test
  void thePageAddressToldATokenItDoesNotTakeAnswers401NotTheSignInPage() throws Exception {
    HttpResponse<String> answer = curl.send(request("/backups/1/download", "Bearer " + TOKEN).build(), HttpResponse.BodyHandlers.ofString());

    assertThat(answer.statusCode()).isEqualTo(401);
    assertThat(answer.body()).contains("/api/v1/backups/1/download").doesNotContain("<html");
    assertThat(answer.headers().firstValue("Location")).isEmpty();
  }

  private HttpRequest.Builder request(String path, String authorization) {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + app.port() + path));
    return authorization == null ? request : request.header("Authorization", authorization);
  }
}
