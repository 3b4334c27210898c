package io.piholecheckpoint.offsite;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.piholecheckpoint.testing.Eventually;
import io.piholecheckpoint.testing.FakePihole;
import io.piholecheckpoint.testing.Fixtures;
import io.piholecheckpoint.testing.Gpg;
import io.piholecheckpoint.testing.InProcessApp;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** OFFSITE_NAS_URL=file://… on the running app: a backup is copied encrypted, read back, and shown verified. */
class OffsiteCopyIT {
  private static final String PASSPHRASE = "a passphrase for the off-site tests";
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir
  Path dir;

  private static JsonNode json(String body) throws Exception {
    return JSON.readTree(body);
  }

  @Test
  void aBackupIsCopiedEncryptedVerifiedAndShown() throws Exception {
    Path nas = Files.createDirectories(dir.resolve("nas"));
    try (FakePihole pihole = FakePihole.start("labpass")) {
      Map<String, String> env = new HashMap<>(Map.of("PIHOLE_HOME_URL", pihole.url(), "PIHOLE_HOME_PASSWORD", "labpass",
          "BACKUP_ENCRYPTION_PASSPHRASE", PASSPHRASE, "OFFSITE_NAS_URL", nas.toUri().toString()));
      try (InProcessApp app = InProcessApp.start(dir.resolve("data"), dir.resolve("backups"), env)) {
        String job = json(app.post("/api/v1/instances/1/backups").body()).at("/job/url").asText();
        Eventually.until("the backup is done", Duration.ofSeconds(30), () -> json(app.get(job).body()).get("state").asText().equals("done"));
        long id = json(app.get(job).body()).get("backupId").asLong();

        Eventually.until("the copy is verified", Duration.ofSeconds(60),
            () -> json(app.get("/api/v1/backups/" + id).body()).at("/offsite/0/state").asText().equals("verified"));

        JsonNode copy = json(app.get("/api/v1/backups/" + id).body()).at("/offsite/0");
        assertThat(copy.get("destination").asText()).isEqualTo("NAS");
        assertThat(copy.get("copiedAt").isNull()).isFalse();
        assertThat(copy.get("verifiedAt").isNull()).isFalse();
        assertThat(copy.get("error").isNull()).isTrue();
        String key = copy.get("remoteKey").asText();
        assertThat(key).startsWith("home/").endsWith(".zip.gpg");
        byte[] remote = Files.readAllBytes(nas.resolve(key));
        assertThat(remote).isNotEqualTo(Fixtures.archiveA());
        new Gpg(dir.resolve("gnupg")).decrypt(nas.resolve(key), dir.resolve("out.zip"), PASSPHRASE);
        assertThat(Files.readAllBytes(dir.resolve("out.zip"))).isEqualTo(Fixtures.archiveA());
        assertThat(Files.readString(nas.resolve(key + ".json"))).contains("\"instance\": \"").doesNotContain(PASSPHRASE);

        JsonNode destination = json(app.get("/api/v1/offsite").body()).at("/destinations/0");
        assertThat(destination.get("name").asText()).isEqualTo("NAS");
        assertThat(destination.get("status").asText()).isEqualTo("ok");
        assertThat(destination.get("pending").asLong()).isZero();
        assertThat(destination.get("lastSuccessAt").isNull()).isFalse();
        assertThat(json(app.get("/health").body()).get("status").asText()).isEqualTo("ok");
        String metrics = app.get("/metrics").body();
        assertThat(metrics).contains("checkpoint_offsite_copies_total{destination=\"NAS\",outcome=\"verified\"} 1.0",
            "checkpoint_offsite_pending{destination=\"NAS\"} 0.0", "checkpoint_offsite_last_success_timestamp_seconds{destination=\"NAS\"}");
        assertThat(app.output()).contains("Off-site copies go to NAS").doesNotContain(PASSPHRASE);
      }
    }
  }

  @Test
  void aDestinationFailingLongerThanOffsiteStaleAfterMakesHealthDegradedNamingIt() throws Exception {
    Path notADirectory = Files.writeString(dir.resolve("nas"), "a file where the share's folder should be");
    try (FakePihole pihole = FakePihole.start("labpass")) {
      Map<String, String> env = Map.of("PIHOLE_HOME_URL", pihole.url(), "PIHOLE_HOME_PASSWORD", "labpass", "BACKUP_ENCRYPTION_PASSPHRASE", PASSPHRASE,
          "OFFSITE_NAS_URL", notADirectory.toUri().toString(), "OFFSITE_STALE_AFTER", "PT1S", "OFFSITE_FIRST_RUN_SECONDS", "0");
      try (InProcessApp app = InProcessApp.start(dir.resolve("data"), dir.resolve("backups"), env)) {
        assertThat(app.post("/api/v1/instances/1/backups").statusCode()).isEqualTo(202);

        Eventually.until("/health is degraded", Duration.ofSeconds(60), () -> json(app.get("/health").body()).get("status").asText().equals("degraded"));

        JsonNode health = json(app.get("/health").body());
        assertThat(health.get("offsiteFailing")).extracting(JsonNode::asText).containsExactly("NAS");
        assertThat(health.get("storage").get("missingFiles").asInt()).as("degraded by the destination alone").isZero();
        JsonNode nas = json(app.get("/api/v1/offsite").body()).at("/destinations/0");
        assertThat(nas.get("status").asText()).isEqualTo("failing");
        assertThat(nas.get("error").asText()).contains("is not a directory");
        assertThat(nas.get("failingSince").isNull()).isFalse();
      }
    }
  }

  @Test
  void instancesThatNameNobodyAreToldAtStartAndOnSettings() throws Exception {
    Path nas = Files.createDirectories(dir.resolve("nas"));
    try (FakePihole pihole = FakePihole.start("labpass")) {
      Map<String, String> env = Map.of("PIHOLE_HOME_URL", pihole.url(), "PIHOLE_HOME_PASSWORD", "labpass", "BACKUP_ENCRYPTION_PASSPHRASE", PASSPHRASE,
          "OFFSITE_NAS_URL", nas.toUri().toString(), "OFFSITE_NAS_INSTANCES", "home,ofice");
      try (InProcessApp app = InProcessApp.start(dir.resolve("data"), dir.resolve("backups"), env)) {
        assertThat(app.output()).contains("OFFSITE_NAS_INSTANCES names OFICE, which is no instance's PIHOLE_<P>_ prefix or name")
            .doesNotContain("names HOME");
        assertThat(app.get("/settings").body()).contains("OFFSITE_NAS_INSTANCES names OFICE, which is no instance&#39;s prefix or name");
      }
    }
  }

  @Test
  void aDestinationWithoutPassphraseIsDisabledAndTheAppStillBacksUp() throws Exception {
    try (FakePihole pihole = FakePihole.start("labpass")) {
      Map<String, String> env = Map.of("PIHOLE_HOME_URL", pihole.url(), "PIHOLE_HOME_PASSWORD", "labpass",
          "OFFSITE_NAS_URL", dir.resolve("nas").toUri().toString(), "OFFSITE_USB_URL", "ftp://nas.local/x");
      try (InProcessApp app = InProcessApp.start(dir.resolve("data"), dir.resolve("backups"), env)) {
        JsonNode destinations = json(app.get("/api/v1/offsite").body()).get("destinations");

        assertThat(destinations).hasSize(2);
        assertThat(destinations.findValuesAsText("status")).containsOnly("disabled");
        assertThat(destinations.get(0).get("error").asText()).contains("BACKUP_ENCRYPTION_PASSPHRASE");
        assertThat(destinations.get(1).get("error").asText()).contains("OFFSITE_USB_URL");
        assertThat(app.output()).contains("Off-site destination NAS is disabled", "Off-site destination USB is disabled");
        assertThat(app.post("/api/v1/instances/1/backups").statusCode()).isEqualTo(202);
      }
    }
  }
}
