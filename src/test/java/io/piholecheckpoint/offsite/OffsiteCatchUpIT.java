package io.piholecheckpoint.offsite;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.piholecheckpoint.testing.Eventually;
import io.piholecheckpoint.testing.FakePihole;
import io.piholecheckpoint.testing.InProcessApp;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A destination configured after backups exist, on the running app: it gets the backups its retention keeps, not the history. */
class OffsiteCatchUpIT {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir
  Path dir;

  private static JsonNode json(String body) throws Exception {
    return JSON.readTree(body);
  }

  private static String state(InProcessApp app, long backupId) throws Exception {
    JsonNode offsite = json(app.get("/api/v1/backups/" + backupId).body()).get("offsite");
    return offsite.isEmpty() ? "none" : offsite.at("/0/state").asText();
  }

  @Test
  void aDestinationAddedLaterGetsTheNewestBackupsItsRetentionKeeps() throws Exception {
    Path nas = Files.createDirectories(dir.resolve("nas"));
    try (FakePihole pihole = FakePihole.start("labpass")) {
      Map<String, String> env = new HashMap<>(Map.of("PIHOLE_HOME_URL", pihole.url(), "PIHOLE_HOME_PASSWORD", "labpass",
          "BACKUP_ENCRYPTION_PASSPHRASE", "a passphrase for the off-site tests"));
      List<Long> before = new ArrayList<>();
      try (InProcessApp app = InProcessApp.start(dir.resolve("data"), dir.resolve("backups"), env)) {
        for (int i = 0; i < 3; i++) {
          before.add(json(app.post("/api/v1/instances/1/backups?wait=true").body()).get("id").asLong());
        }
      }

      env.put("OFFSITE_NAS_URL", nas.toUri().toString());
      env.put("OFFSITE_NAS_MAX_BACKUPS", "2");
      try (InProcessApp app = InProcessApp.start(dir.resolve("data"), dir.resolve("backups"), env)) {
        // a new backup wakes the off-site job at once; its first run catches up first
        long after = json(app.post("/api/v1/instances/1/backups?wait=true").body()).get("id").asLong();

        Eventually.until("the new backup and the newest earlier one are copied", Duration.ofSeconds(60),
            () -> state(app, after).equals("verified") && state(app, before.get(2)).equals("verified"));

        assertThat(state(app, before.get(0))).isEqualTo("none");
        assertThat(state(app, before.get(1))).isEqualTo("none");
        try (Stream<Path> files = Files.walk(nas)) {
          assertThat(files.filter(f -> f.toString().endsWith(".zip.gpg"))).hasSize(2);
        }
        assertThat(app.output()).contains("Off-site NAS: 1 earlier backup(s) of ");
      }
    }
  }
}
