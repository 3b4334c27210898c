package io.piholecheckpoint.offsite;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.piholecheckpoint.testing.Eventually;
import io.piholecheckpoint.testing.FakePihole;
import io.piholecheckpoint.testing.InProcessApp;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A backup whose archive is gone from this disk and whose only copy is at a destination that is disabled, or no longer
 * configured, is not "not found" (404) nor a fault (500): download, contents, diff, restore and verify answer 503
 * {@code offsite_copy_unreachable}, naming the destination and what brings it back.
 */
class UnreachableCopyIT {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir
  Path dir;

  private long id;
  private long newer;

  private static JsonNode json(HttpResponse<String> response) throws Exception {
    return JSON.readTree(response.body());
  }

  @Test
  void aCopyOnlyAtADisabledDestinationAnswers503NamingItAndHowToEnableIt() throws Exception {
    try (FakePihole pihole = FakePihole.start("labpass")) {
      Map<String, String> local = Map.of("PIHOLE_HOME_URL", pihole.url(), "PIHOLE_HOME_PASSWORD", "labpass");
      backUpAndLoseTheLocalArchive(local);
      // the same destination without the _ENCRYPT=false that let it copy without a passphrase: disabled at start
      Map<String, String> disabled = new HashMap<>(local);
      disabled.putAll(Map.of("OFFSITE_NAS_URL", dir.resolve("nas").toUri().toString(), "OFFSITE_FIRST_RUN_SECONDS", "0"));

      try (InProcessApp app = start(disabled)) {
        assertEveryReaderAnswersUnreachable(app, "NAS is disabled (", "re-enable it by fixing that setting and restarting");
      }
    }
  }

  @Test
  void aCopyOnlyAtARemovedDestinationAnswers503NamingItAndHowToAddItAgain() throws Exception {
    try (FakePihole pihole = FakePihole.start("labpass")) {
      Map<String, String> local = Map.of("PIHOLE_HOME_URL", pihole.url(), "PIHOLE_HOME_PASSWORD", "labpass");
      backUpAndLoseTheLocalArchive(local);

      try (InProcessApp app = start(local)) {
        assertEveryReaderAnswersUnreachable(app, "NAS is no longer configured", "add it again under the same name (OFFSITE_NAS_* variables, or Settings)");
      }
    }
  }

  private void backUpAndLoseTheLocalArchive(Map<String, String> local) throws Exception {
    Path nas = Files.createDirectories(dir.resolve("nas"));
    Map<String, String> withNas = new HashMap<>(local);
    withNas.putAll(Map.of("OFFSITE_NAS_URL", nas.toUri().toString(), "OFFSITE_NAS_ENCRYPT", "false", "OFFSITE_FIRST_RUN_SECONDS", "0"));
    String fileName;
    try (InProcessApp app = start(withNas)) {
      id = json(app.post("/api/v1/instances/1/backups?wait=true")).get("id").asLong();
      newer = json(app.post("/api/v1/instances/1/backups?wait=true")).get("id").asLong();
      Eventually.until("the copy is verified", Duration.ofSeconds(60),
          () -> json(app.get("/api/v1/backups/" + id)).at("/offsite/0/state").asText().equals("verified"));
      fileName = json(app.get("/api/v1/backups/" + id)).get("fileName").asText();
    }
    Files.delete(dir.resolve("backups").resolve(fileName));
  }

  private void assertEveryReaderAnswersUnreachable(InProcessApp app, String... said) throws Exception {
    HttpResponse<byte[]> download = app.download("/backups/" + id + "/download");
    HttpResponse<String> page = app.get("/backups/" + id);
    HttpResponse<String> contents = app.get("/api/v1/backups/" + id + "/contents");
    HttpResponse<String> diff = app.get("/api/v1/backups/" + newer + "/diff?against=" + id);
    HttpResponse<String> restore = app.send("POST", "/api/v1/backups/" + id + "/restore", "{}");
    HttpResponse<String> verify = app.get("/api/v1/backups/" + id + "/verify");

    assertThat(download.statusCode()).isEqualTo(503);
    assertThat(page.statusCode()).isEqualTo(503);
    assertThat(page.body()).contains("This backup cannot be read now").contains(said);
    for (HttpResponse<String> answer : java.util.List.of(contents, diff, restore, verify)) {
      assertThat(answer.statusCode()).as(answer.uri() + " " + answer.body()).isEqualTo(503);
      JsonNode error = json(answer).get("error");
      assertThat(error.get("code").asText()).isEqualTo("offsite_copy_unreachable");
      assertThat(error.get("message").asText()).contains("is not on this disk, and its only off-site copies are at destinations out of use now")
          .contains(said);
    }
    assertThat(json(app.get("/api/v1/backups/" + newer + "/contents")).has("error")).as("a backup still on this disk reads as ever").isFalse();
    assertThat(json(app.get("/api/v1/backups/" + id)).path("verifyError").isTextual()).as("not recorded as failing its check").isFalse();
  }

  private InProcessApp start(Map<String, String> env) throws Exception {
    return InProcessApp.start(dir.resolve("data"), dir.resolve("backups"), env);
  }
}
