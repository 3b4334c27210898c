package io.piholecheckpoint.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.piholecheckpoint.testing.FakePihole;
import io.piholecheckpoint.testing.InProcessApp;
import io.piholecheckpoint.testing.Ports;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An instance's PIHOLE_&lt;P&gt;_PASSWORD_FILE that cannot be read was found only when its backup ran. Now it is checked at the
 * start, as the other _FILE settings are: the app starts, that instance alone is marked misconfigured with what to do
 * (API, page, /health, one log line naming it and the variable) and not scheduled, and the others run; no secret is shown.
 */
class InstancePasswordFileAtStartIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  /** In the file that is too large: it must never be shown, however the file is refused. */
  private static final String SECRET = "s3cret-never-shown";

  @TempDir
  Path dir;

  @Test
  void anUnreadablePasswordFileMarksItsInstanceAloneAndTheAppStarts() throws Exception {
    Path fifo = dir.resolve("home-password");
    assertThat(new ProcessBuilder("mkfifo", fifo.toString()).inheritIO().start().waitFor()).isZero();
    Path missing = dir.resolve("gone-password");
    Path folder = Files.createDirectory(dir.resolve("folder-password"));
    Path big = Files.writeString(dir.resolve("big-password"), SECRET + "x".repeat(70 * 1024));
    Path good = Files.writeString(dir.resolve("lab-password"), "labpass\n");
    String nobody = "http://127.0.0.1:" + Ports.unused();
    Map<String, String> env = new HashMap<>(Map.of(
        "PIHOLE_HOME_URL", nobody, "PIHOLE_HOME_PASSWORD_FILE", fifo.toString(),
        "PIHOLE_GONE_URL", nobody, "PIHOLE_GONE_PASSWORD_FILE", missing.toString(),
        "PIHOLE_FOLDER_URL", nobody, "PIHOLE_FOLDER_PASSWORD_FILE", folder.toString(),
        "PIHOLE_BIG_URL", nobody, "PIHOLE_BIG_PASSWORD_FILE", big.toString()));
    try (FakePihole lab = FakePihole.start("labpass")) {
      env.putAll(Map.of("PIHOLE_LAB_URL", lab.url(), "PIHOLE_LAB_PASSWORD_FILE", good.toString()));
      try (InProcessApp app = InProcessApp.start(dir.resolve("data"), dir.resolve("backups"), env)) {
        Map<String, String> expected = Map.of(
            "HOME", "PIHOLE_HOME_PASSWORD_FILE=" + fifo + " is not a regular file (a FIFO",
            "GONE", "PIHOLE_GONE_PASSWORD_FILE=" + missing + " cannot be read",
            "FOLDER", "PIHOLE_FOLDER_PASSWORD_FILE=" + folder + " is a folder",
            "BIG", "PIHOLE_BIG_PASSWORD_FILE=" + big + " is larger than 64 KiB");

        String api = app.get("/api/v1/instances").body();
        for (JsonNode instance : JSON.readTree(api).get("instances")) {
          String prefix = instance.get("envPrefix").asText();
          if (prefix.equals("LAB")) {
            assertThat(instance.get("status").asText()).as(instance.toString()).isNotEqualTo("misconfigured");
            assertThat(instance.get("nextRuns")).as("scheduled").isNotEmpty();
          } else {
            assertThat(instance.get("status").asText()).as(instance.toString()).isEqualTo("misconfigured");
            assertThat(instance.get("statusMessage").asText()).contains(expected.get(prefix)).contains("not backed up until the file is fixed");
            assertThat(instance.get("nextRuns")).as("not scheduled: %s", instance).isEmpty();
            assertThat(app.output()).as("logged, naming the instance and the variable")
                .containsPattern("Pi-hole '" + instance.get("name").asText() + "' is not scheduled: .*" + java.util.regex.Pattern.quote(expected.get(prefix)));
          }
        }
        assertThat(JSON.readTree(api).get("instances")).hasSize(5);

        JsonNode health = JSON.readTree(app.get("/health").body());
        assertThat(health.get("status").asText()).isEqualTo("degraded");
        assertThat(health.get("instances").findValuesAsText("message")).anySatisfy(m -> assertThat(m).contains(expected.get("HOME")));
        assertThat(app.get("/").body()).contains("misconfigured").contains("PIHOLE_GONE_PASSWORD_FILE=" + missing);

        HttpResponse<String> backup = app.post("/api/v1/instances/" + idOf(api, "LAB") + "/backups?wait=true");
        assertThat(backup.statusCode()).as("the others run: %s", backup.body()).isEqualTo(201);

        assertThat(app.output() + api + health).doesNotContain(SECRET).doesNotContain("labpass");
      }
    }
  }

  /** The file created after the start: the next look at the instance finds it, and it is scheduled and backed up, no restart. */
  @Test
  void aPasswordFileCreatedAfterTheStartIsEnoughWithoutARestart() throws Exception {
    Path later = dir.resolve("home-password");
    try (FakePihole home = FakePihole.start("homepass");
         InProcessApp app = InProcessApp.start(dir.resolve("data"), dir.resolve("backups"),
             Map.of("PIHOLE_HOME_URL", home.url(), "PIHOLE_HOME_PASSWORD_FILE", later.toString()))) {
      JsonNode before = JSON.readTree(app.get("/api/v1/instances").body()).get("instances").get(0);
      assertThat(before.get("status").asText()).isEqualTo("misconfigured");
      assertThat(before.get("statusMessage").asText()).contains("PIHOLE_HOME_PASSWORD_FILE=" + later + " cannot be read");
      assertThat(before.get("nextRuns")).isEmpty();

      Files.writeString(later, "homepass\n");

      JsonNode after = JSON.readTree(app.get("/api/v1/instances").body()).get("instances").get(0);
      assertThat(after.get("status").asText()).as(after.toString()).isNotEqualTo("misconfigured");
      assertThat(after.get("nextRuns")).as("scheduled again").isNotEmpty();
      HttpResponse<String> backup = app.post("/api/v1/instances/" + after.get("id").asLong() + "/backups?wait=true");
      assertThat(backup.statusCode()).as(backup.body()).isEqualTo(201);
      assertThat(app.output()).contains("its secret files can be read now").doesNotContain("homepass");
    }
  }

  private static long idOf(String api, String prefix) throws Exception {
    for (JsonNode instance : JSON.readTree(api).get("instances")) {
      if (instance.get("envPrefix").asText().equals(prefix)) {
        return instance.get("id").asLong();
      }
    }
    throw new AssertionError("no instance " + prefix + " in " + api);
  }
}
