package io.piholecheckpoint.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.piholecheckpoint.testing.FaultProxy;
import io.piholecheckpoint.testing.InProcessApp;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code POST /api/v1/offsite/{name}/test} on the running app, against a directory that works, one
 * that is not there, a WebDAV server that refuses, one that is disabled and one that does not exist.
 */
class OffsiteTestApiIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String PASSWORD = "dav-password-never-shown";
  @TempDir
  static Path dir;
  private static InProcessApp app;
  private static FaultProxy refusing;

  @BeforeAll
  static void start() throws Exception {
    refusing = FaultProxy.to("127.0.0.1", 9).respond(FaultProxy.httpResponse(403, "Forbidden", "text/plain", "no"));
    Path nas = Files.createDirectories(dir.resolve("nas"));
    app = InProcessApp.start(dir.resolve("data"), dir.resolve("backups"), Map.of(
        "BACKUP_ENCRYPTION_PASSPHRASE", "a passphrase for the test",
        "OFFSITE_NAS_URL", nas.toUri().toString(),
        "OFFSITE_GONE_URL", Files.writeString(dir.resolve("not-a-folder"), "").toUri().toString(),
        "OFFSITE_DAV_URL", "webdav+http://127.0.0.1:" + refusing.port() + "/dav",
        "OFFSITE_DAV_USER", "checkpoint", "OFFSITE_DAV_PASSWORD", PASSWORD,
        "OFFSITE_USB_URL", "ftp://usb.local/x"));
  }

  @AfterAll
  static void stop() {
    if (app != null) {
      app.close();
    }
    if (refusing != null) {
      refusing.close();
    }
  }

  private static JsonNode json(HttpResponse<String> response) throws Exception {
    return JSON.readTree(response.body());
  }

  @Test
  void aWorkingDestinationPassesWithTheTimeItTook() throws Exception {
    HttpResponse<String> answer = app.post("/api/v1/offsite/NAS/test");

    assertThat(answer.statusCode()).isEqualTo(200);
    JsonNode test = json(answer).get("test");
    assertThat(test.get("destination").asText()).isEqualTo("NAS");
    assertThat(test.get("ok").asBoolean()).isTrue();
    assertThat(test.get("millis").asLong()).isNotNegative();
    assertThat(test.get("message").asText()).isEqualTo("wrote, read back and deleted a probe");
    assertThat(test.get("problem").isNull()).isTrue();
    try (var left = Files.list(dir.resolve("nas"))) {
      assertThat(left).as("the probe is gone").isEmpty();
    }
  }

  @Test
  void aDestinationThatCannotBeReachedIs503WithTheStepAndWhatToDo() throws Exception {
    HttpResponse<String> answer = app.post("/api/v1/offsite/gone/test");

    assertThat(answer.statusCode()).isEqualTo(503);
    JsonNode body = json(answer);
    assertThat(body.at("/error/code").asText()).isEqualTo("unreachable");
    assertThat(body.at("/error/message").asText()).startsWith("write failed: ").contains("mounted");
    assertThat(body.at("/test/ok").asBoolean()).isFalse();
    assertThat(body.at("/test/step").asText()).isEqualTo("write");
  }

  @Test
  void aDestinationThatRefusesIs422AndNeverShowsThePassword() throws Exception {
    HttpResponse<String> answer = app.post("/api/v1/offsite/DAV/test");

    assertThat(answer.statusCode()).isEqualTo(422);
    assertThat(json(answer).at("/error/code").asText()).isEqualTo("refused");
    assertThat(answer.body()).doesNotContain(PASSWORD);
    assertThat(app.output()).doesNotContain(PASSWORD);
  }

  @Test
  void aDisabledDestinationIs409WithWhy() throws Exception {
    HttpResponse<String> answer = app.post("/api/v1/offsite/USB/test");

    assertThat(answer.statusCode()).isEqualTo(409);
    assertThat(json(answer).at("/error/code").asText()).isEqualTo("destination_disabled");
    assertThat(json(answer).at("/error/message").asText()).contains("OFFSITE_USB_URL");
    HttpResponse<String> adopt = app.post("/api/v1/offsite/usb/adopt");
    assertThat(adopt.statusCode()).as("an adoption is refused the same way").isEqualTo(409);
    assertThat(json(adopt).at("/error/message").asText()).contains("OFFSITE_USB_URL");
  }

  @Test
  void anUnknownDestinationIs404NamingTheOnesThereAre() throws Exception {
    HttpResponse<String> answer = app.post("/api/v1/offsite/B2/test");

    assertThat(answer.statusCode()).isEqualTo(404);
    assertThat(json(answer).at("/error/code").asText()).isEqualTo("destination_not_found");
    assertThat(json(answer).at("/error/message").asText()).contains("DAV", "GONE", "NAS");
  }

  @Test
  void aTestIsAPostThatABrowserMustSendWithItsToken() throws Exception {
    HttpResponse<String> get = app.get("/api/v1/offsite/NAS/test");
    HttpResponse<String> crossSite = InProcessApp.HTTP.send(HttpRequest.newBuilder(URI.create(app.url("/api/v1/offsite/NAS/test")))
        .POST(HttpRequest.BodyPublishers.noBody()).header("Origin", "http://evil.example").header("Accept", "application/json").build(),
        HttpResponse.BodyHandlers.ofString());

    assertThat(get.statusCode()).isEqualTo(405);
    assertThat(get.headers().firstValue("Allow")).hasValue("POST, OPTIONS");
    assertThat(crossSite.statusCode()).isEqualTo(403);
  }
}
