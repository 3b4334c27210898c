package io.piholecheckpoint.offsite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.piholecheckpoint.testing.Eventually;
import io.piholecheckpoint.testing.FakePihole;
import io.piholecheckpoint.testing.InProcessApp;
import io.piholecheckpoint.testing.OffsiteServers;
import io.piholecheckpoint.testing.OffsiteServers.Kind;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two SFTP destinations at one folder of a real OpenSSH server, one written from the user's home
 * ({@code /~/x}), the other with that home's absolute path: the first connection of the {@code /~/}
 * one tells where the home is, and it is refused naming the other; after a restart both are off at
 * once, naming each other, before anything connects: the home learned is kept.
 */
class SftpHomeAcrossRestartsIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  @TempDir
  Path dir;

  private static JsonNode json(HttpResponse<String> response) throws Exception {
    return JSON.readTree(response.body());
  }

  @Test
  void aHomePathAndTheAbsolutePathOfThatHomeAreOnePlaceAtTheFirstConnectionAndAtOnceAfterARestart() throws Exception {
    Path home = Path.of(System.getProperty("user.home"));
    assumeTrue(Files.isDirectory(home), "the user the tests run as has no home folder to start at");
    String folder = "checkpoint-home-it-" + UUID.randomUUID();
    try (OffsiteServers.PerClass servers = new OffsiteServers.PerClass(dir.resolve("servers"));
         FakePihole pihole = FakePihole.start("labpass")) {
      Map<String, String> env = new HashMap<>();
      env.putAll(servers.of(Kind.SFTP).variables("HOMED", "unused"));
      env.putAll(servers.of(Kind.SFTP).variables("ABSOLUTE", "unused"));
      URI server = URI.create(env.get("OFFSITE_HOMED_URL"));
      String at = "sftp://" + server.getUserInfo() + "@" + server.getHost() + ":" + server.getPort();
      env.put("OFFSITE_HOMED_URL", at + "/~/" + folder);
      env.put("OFFSITE_ABSOLUTE_URL", at + home.toRealPath() + "/" + folder);
      env.putAll(Map.of("PIHOLE_HOME_URL", pihole.url(), "PIHOLE_HOME_PASSWORD", "labpass", "OFFSITE_HOMED_ENCRYPT", "false",
          "OFFSITE_ABSOLUTE_ENCRYPT", "false", "OFFSITE_FIRST_RUN_SECONDS", "0"));
      try {
        try (InProcessApp app = start(env)) {
          assertThat(json(app.get("/api/v1/offsite")).get("destinations")).as("the home is not known yet: both start")
              .allSatisfy(d -> assertThat(d.get("status").asText()).isNotEqualTo("disabled"));
          long id = json(app.post("/api/v1/instances/1/backups?wait=true")).get("id").asLong();
          Eventually.until("the /~/ destination learned its home and was refused", Duration.ofSeconds(60), () -> {
            JsonNode copies = json(app.get("/api/v1/backups/" + id)).get("offsite");
            for (JsonNode copy : copies) {
              if (copy.get("destination").asText().equals("HOMED") && copy.get("error").asText().contains("OFFSITE_ABSOLUTE_URL")) {
                return true;
              }
            }
            return false;
          });
        }

        try (InProcessApp again = start(env)) {
          JsonNode destinations = json(again.get("/api/v1/offsite")).get("destinations");
          assertThat(destinations).hasSize(2).allSatisfy(d -> assertThat(d.get("status").asText()).as(d.toString()).isEqualTo("disabled"));
          for (JsonNode d : destinations) {
            String other = d.get("name").asText().equals("HOMED") ? "ABSOLUTE" : "HOMED";
            assertThat(d.get("error").asText()).contains("OFFSITE_" + d.get("name").asText() + "_URL is the place of OFFSITE_" + other + "_URL");
          }
        }
      } finally {
        removeAll(home.resolve(folder));
      }
    }
  }

  private InProcessApp start(Map<String, String> env) throws Exception {
    return InProcessApp.start(dir.resolve("data"), dir.resolve("backups"), env);
  }

  private static void removeAll(Path folder) throws Exception {
    if (Files.exists(folder)) {
      try (Stream<Path> all = Files.walk(folder)) {
        for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
          Files.delete(p);
        }
      }
    }
  }
}
