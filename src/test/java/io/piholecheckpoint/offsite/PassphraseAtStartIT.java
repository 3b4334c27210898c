package io.piholecheckpoint.offsite;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.piholecheckpoint.testing.Eventually;
import io.piholecheckpoint.testing.FakePihole;
import io.piholecheckpoint.testing.InProcessApp;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A start with another BACKUP_ENCRYPTION_PASSPHRASE than the destination's copies were encrypted with is found at that
 * start, not on the day a restore needs a copy: /health is degraded with a passphrase field naming the destination, and
 * Settings says it. What the adoption at that start skipped, and why, is on Settings too.
 */
class PassphraseAtStartIT {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir
  Path dir;

  private static JsonNode json(HttpResponse<String> response) throws Exception {
    return JSON.readTree(response.body());
  }

  @Test
  void aWrongPassphraseAtStartDegradesHealthAndShowsOnSettingsWithWhatTheAdoptionSkipped() throws Exception {
    Path nas = Files.createDirectories(dir.resolve("nas"));
    try (FakePihole pihole = FakePihole.start("labpass")) {
      Map<String, String> env = new HashMap<>(Map.of("PIHOLE_HOME_URL", pihole.url(), "PIHOLE_HOME_PASSWORD", "labpass",
          "OFFSITE_NAS_URL", nas.toUri().toString(), "OFFSITE_FIRST_RUN_SECONDS", "0", "BACKUP_ENCRYPTION_PASSPHRASE", "the right passphrase"));
      try (InProcessApp app = start(env)) {
        long id = json(app.post("/api/v1/instances/1/backups?wait=true")).get("id").asLong();
        Eventually.until("the copy is verified", Duration.ofSeconds(60),
            () -> json(app.get("/api/v1/backups/" + id)).at("/offsite/0/state").asText().equals("verified"));
        Eventually.until("the passphrase was checked", Duration.ofSeconds(30), () -> app.output().contains("Off-site copies at NAS:"));
        assertThat(json(app.get("/health")).get("passphrase").isNull()).as("the right passphrase opens them").isTrue();
      }
      // an archive whose manifest is not one: the adoption at the next start skips it, and says why
      Files.writeString(nas.resolve("home").resolve("home_20200101T000000Z_aaaaaa.zip.gpg.json"), "{not json", StandardCharsets.UTF_8);
      Files.write(nas.resolve("home").resolve("home_20200101T000000Z_aaaaaa.zip.gpg"), new byte[] {1, 2, 3});
      env.put("BACKUP_ENCRYPTION_PASSPHRASE", "not the passphrase they were encrypted with");
      // changed on purpose (the local check file deleted): what is checked here is the passphrase against the off-site copies
      Files.delete(dir.resolve("backups").resolve(".passphrase-check.gpg"));

      try (InProcessApp app = start(env)) {
        Eventually.until("health is degraded by the passphrase", Duration.ofSeconds(60),
            () -> json(app.get("/health")).at("/passphrase/status").asText().equals("wrong"));

        JsonNode health = json(app.get("/health"));
        assertThat(health.get("status").asText()).isEqualTo("degraded");
        assertThat(health.at("/passphrase/status").asText()).isEqualTo("wrong");
        assertThat(health.at("/passphrase/destinations/0").asText()).isEqualTo("NAS");
        assertThat(health.at("/passphrase/message").asText()).contains("does not open the off-site copies at NAS",
            "Start Pi-hole Checkpoint with the passphrase they were encrypted with");
        String settings = app.get("/settings").body();
        assertThat(settings).contains("data-passphrase-problem", "does not open the off-site copies at NAS");
        assertThat(settings).contains("data-adoption-notes", "1 archive skipped: its manifest is not usable");
        assertThat(settings).doesNotContain("not the passphrase they were encrypted with", "the right passphrase");
      }
    }
  }

  @Test
  void aDestinationOutOfReachAtStartShowsThePassphraseAsNotCheckedYetWithoutDegrading() throws Exception {
    Path nas = Files.createDirectories(dir.resolve("nas"));
    try (FakePihole pihole = FakePihole.start("labpass")) {
      Map<String, String> env = new HashMap<>(Map.of("PIHOLE_HOME_URL", pihole.url(), "PIHOLE_HOME_PASSWORD", "labpass",
          "OFFSITE_NAS_URL", nas.toUri().toString(), "OFFSITE_FIRST_RUN_SECONDS", "0", "BACKUP_ENCRYPTION_PASSPHRASE", "the right passphrase"));
      try (InProcessApp app = start(env)) {
        long id = json(app.post("/api/v1/instances/1/backups?wait=true")).get("id").asLong();
        Eventually.until("the copy is verified", Duration.ofSeconds(60),
            () -> json(app.get("/api/v1/backups/" + id)).at("/offsite/0/state").asText().equals("verified"));
      }
      Path unmounted = Files.move(nas, dir.resolve("nas-unmounted")); // the NAS is off at the next start

      try (InProcessApp app = start(env)) {
        Eventually.until("the check could not be made", Duration.ofSeconds(60),
            () -> json(app.get("/health")).at("/passphrase/status").asText().equals("unchecked"));

        JsonNode health = json(app.get("/health"));
        assertThat(health.at("/passphrase/destinations/0").asText()).isEqualTo("NAS");
        assertThat(health.at("/passphrase/nextTry").asText()).as("when it is tried again").isNotEmpty();
        assertThat(health.at("/passphrase/message").asText()).contains("NAS", "not known yet");
        assertThat(health.get("status").asText()).as("not known to be wrong: not degraded by it").isEqualTo("ok");
        String settings = app.get("/settings").body();
        assertThat(settings).contains("data-passphrase-unchecked", "is not known yet").doesNotContain("data-passphrase-problem");
      } finally {
        Files.move(unmounted, nas);
      }
    }
  }

  /** No passphrase set and a destination that copies plain: nothing to check, so nothing "unchecked" while it is out of reach. */
  @Test
  void aPlainDestinationOutOfReachWithNoPassphraseSetShowsNoPassphraseState() throws Exception {
    Path unmounted = dir.resolve("nas-not-mounted");
    Map<String, String> env = Map.of("OFFSITE_NAS_URL", unmounted.toUri().toString(), "OFFSITE_NAS_ENCRYPT", "false", "OFFSITE_FIRST_RUN_SECONDS", "0");
    try (InProcessApp app = start(env)) {
      Eventually.until("the destination's first run tried to read it", Duration.ofSeconds(60),
          () -> app.output().contains("Off-site copies at NAS could not be adopted")); // the passphrase is tried right after, in the same run

      JsonNode health = json(app.get("/health"));
      assertThat(health.get("passphrase").isNull()).as(health.toString()).isTrue();
      assertThat(app.output()).doesNotContain("Whether the passphrase opens the off-site copies at NAS");
      assertThat(app.get("/settings").body()).doesNotContain("data-passphrase-unchecked", "data-passphrase-problem");
    }
  }

  private InProcessApp start(Map<String, String> env) throws Exception {
    return InProcessApp.start(dir.resolve("data"), dir.resolve("backups"), env);
  }
}
