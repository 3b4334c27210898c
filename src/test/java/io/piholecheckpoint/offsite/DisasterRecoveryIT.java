package io.piholecheckpoint.offsite;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.piholecheckpoint.testing.Eventually;
import io.piholecheckpoint.testing.FakePihole;
import io.piholecheckpoint.testing.Fixtures;
import io.piholecheckpoint.testing.InProcessApp;
import io.piholecheckpoint.testing.TestArchives;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import io.piholecheckpoint.testing.OffsiteServers;
import io.piholecheckpoint.testing.OffsiteServers.Kind;
import io.piholecheckpoint.testing.OffsiteServers.Server;
import java.util.HashMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The box is lost: back up a Pi-hole to a destination of each kind (against its real server), wipe
 * DATA_DIR and BACKUP_DIR, start again with the same settings, and restore the Pi-hole from the
 * adopted off-site copy. One server per kind for the class.
 */
class DisasterRecoveryIT {
  private static final String PASSPHRASE = "a passphrase kept in the password manager";
  private static final ObjectMapper JSON = new ObjectMapper();

  @RegisterExtension
  static final OffsiteServers.PerClass servers = new OffsiteServers.PerClass();
  @TempDir
  Path dir;

  private static JsonNode json(HttpResponse<String> response) throws Exception {
    return JSON.readTree(response.body());
  }

  @ParameterizedTest
  @EnumSource(Kind.class)
  void aFreshInstallWithTheSameSettingsAdoptsTheHistoryAndRestoresThePiholeFromIt(Kind kind) throws Exception {
    Server server = servers.of(kind);
    try (FakePihole pihole = FakePihole.start("labpass")) {
      Map<String, String> env = new HashMap<>(server.variables("NAS", "recovery"));
      // adoption comes with the first off-site run: at the start, rather than after the 10 s the network is given to settle
      env.putAll(Map.of("PIHOLE_HOME_URL", pihole.url(), "PIHOLE_HOME_PASSWORD", "labpass", "BACKUP_ENCRYPTION_PASSPHRASE", PASSPHRASE,
          "OFFSITE_FIRST_RUN_SECONDS", "0"));
      long lost;
      try (InProcessApp app = InProcessApp.start(dir.resolve("data"), dir.resolve("backups"), env)) {
        lost = json(app.post("/api/v1/instances/1/backups?wait=true")).get("id").asLong();
        Eventually.until("the copy is verified", Duration.ofSeconds(60),
            () -> json(app.get("/api/v1/backups/" + lost)).at("/offsite/0/state").asText().equals("verified"));
      }
      wipe(dir.resolve("data"));
      wipe(dir.resolve("backups"));
      pihole.archive(Fixtures.archiveB()); // the Pi-hole drifted (or was set up again) meanwhile

      try (InProcessApp app = InProcessApp.start(dir.resolve("data"), dir.resolve("backups"), env)) {
        Eventually.until("the history is adopted at start", Duration.ofSeconds(60),
            () -> json(app.get("/api/v1/instances/1/backups")).get("backups").size() == 1);
        JsonNode adopted = json(app.get("/api/v1/instances/1/backups")).at("/backups/0");
        assertThat(adopted.get("trigger").asText()).as("as the lost install took it: Back up now").isEqualTo("manual");
        long id = adopted.get("id").asLong();
        // adopted as copied from its manifest; verified only once the copy queue has read it back there
        assertThat(json(app.get("/api/v1/backups/" + id)).at("/offsite/0/state").asText()).isIn("copied", "verified");
        Eventually.until("the adopted copy is read back and verified", Duration.ofSeconds(60),
            () -> json(app.get("/api/v1/backups/" + id)).at("/offsite/0/state").asText().equals("verified"));
        assertThat(json(app.get("/api/v1/backups/" + id)).at("/offsite/0/copiedAt").asText("null")).as("this install never uploaded it").isIn("null", "");
        Eventually.until("adopted and not fetched yet, it is remote only", Duration.ofSeconds(10),
            () -> json(app.get("/api/v1/backups/" + id)).path("remoteOnly").asText().equals("NAS"));
        assertThat(json(app.get("/api/v1/backups/" + id)).get("fileMissing").asBoolean()).isFalse();
        assertThat(app.get("/").body()).contains("remote only — on NAS");
        HttpResponse<String> again = app.post("/api/v1/offsite/NAS/adopt");
        assertThat(again.statusCode()).as(again.body()).isEqualTo(202);
        assertThat(json(again).get("adopted").asInt()).isZero();
        assertThat(json(again).get("alreadyKnown").asInt()).isEqualTo(1);
        assertThat(app.post("/api/v1/offsite/B2/adopt").statusCode()).isEqualTo(404);

        JsonNode done = restore(app, id);

        assertThat(done.get("state").asText()).as(done.toString()).isEqualTo("verified");
        assertThat(pihole.lastImport()).isEqualTo(Fixtures.archiveA());
        assertThat(json(app.get("/health")).get("status").asText()).isEqualTo("ok");
        assertThat(app.output()).doesNotContain(PASSPHRASE);
        server.secrets().forEach(secret -> assertThat(app.output()).doesNotContain(secret));
      }
    }
  }

  @Test
  void aRemoteArchiveDamagedBeforeTheRecoveryIsReadBackAndFailedNeverShownVerified() throws Exception {
    Server server = servers.of(Kind.FILE);
    try (FakePihole pihole = FakePihole.start("labpass")) {
      Map<String, String> env = new HashMap<>(server.variables("NAS", "damaged"));
      env.putAll(Map.of("PIHOLE_HOME_URL", pihole.url(), "PIHOLE_HOME_PASSWORD", "labpass", "BACKUP_ENCRYPTION_PASSPHRASE", PASSPHRASE,
          "OFFSITE_FIRST_RUN_SECONDS", "0"));
      String remoteKey;
      try (InProcessApp app = InProcessApp.start(dir.resolve("data"), dir.resolve("backups"), env)) {
        long lost = json(app.post("/api/v1/instances/1/backups?wait=true")).get("id").asLong();
        Eventually.until("the copy is verified", Duration.ofSeconds(60),
            () -> json(app.get("/api/v1/backups/" + lost)).at("/offsite/0/state").asText().equals("verified"));
        remoteKey = json(app.get("/api/v1/backups/" + lost)).at("/offsite/0/remoteKey").asText();
      }
      wipe(dir.resolve("data"));
      wipe(dir.resolve("backups"));
      Path remote = server.stored("damaged").resolve(remoteKey);
      byte[] bytes = Files.readAllBytes(remote);
      bytes[bytes.length / 2] ^= 1; // bit rot on the NAS, the same size: only reading it back tells
      Files.write(remote, bytes);

      try (InProcessApp app = InProcessApp.start(dir.resolve("data"), dir.resolve("backups"), env)) {
        Eventually.until("the history is adopted at start", Duration.ofSeconds(60),
            () -> json(app.get("/api/v1/instances/1/backups")).get("backups").size() == 1);
        long id = json(app.get("/api/v1/instances/1/backups")).at("/backups/0/id").asLong();
        Eventually.until("the adopted copy is read back", Duration.ofSeconds(60),
            () -> !json(app.get("/api/v1/backups/" + id)).at("/offsite/0/state").asText().equals("copied"));

        JsonNode copy = json(app.get("/api/v1/backups/" + id)).at("/offsite/0");
        assertThat(copy.get("state").asText()).as(copy.toString()).isEqualTo("failed");
        assertThat(copy.get("error").asText()).contains("found when read back after its adoption", "its checksum does not match what was sent");
        assertThat(copy.path("verifiedAt").asText("null")).isIn("null", "");
        assertThat(copy.path("damagedAt").asText("null")).isNotIn("null", "");
        HttpResponse<String> download = app.get("/backups/" + id + "/download");
        assertThat(download.statusCode()).isEqualTo(409);
        assertThat(download.body()).contains("failed verification");
      }
    }
  }

  /**
   * Outsider round 46, F2: the primary's newest backup was a wipe, flagged suspicious, and Sync was held. Recovered from the
   * destination alone, the adopted wipe is still flagged: the next sync is held again, and the replica is not emptied.
   */
  @Test
  void aSyncAfterARecoveryIsHeldByTheAdoptedWipeOfThePrimaryAsItWasBefore() throws Exception {
    Server server = servers.of(Kind.FILE);
    try (FakePihole pihole = FakePihole.start("labpass"); FakePihole replica = FakePihole.start("labpass")) {
      Map<String, String> env = new HashMap<>(server.variables("NAS", "held"));
      env.putAll(Map.of("PIHOLE_HOME_URL", pihole.url(), "PIHOLE_HOME_PASSWORD", "labpass", "PIHOLE_REPLICA_URL", replica.url(),
          "PIHOLE_REPLICA_PASSWORD", "labpass", "BACKUP_ENCRYPTION_PASSPHRASE", PASSPHRASE, "OFFSITE_FIRST_RUN_SECONDS", "0",
          "SYNC_HOME_PRIMARY", "HOME", "SYNC_HOME_REPLICAS", "REPLICA", "SYNC_HOME_SNAPSHOT", "never"));
      byte[] replicaHad;
      try (InProcessApp app = InProcessApp.start(dir.resolve("data"), dir.resolve("backups"), env)) {
        long home = instance(app, "Home");
        long good = json(app.post("/api/v1/instances/" + home + "/backups?wait=true")).get("id").asLong();
        pihole.archive(TestArchives.withoutAdlists(pihole.currentArchive()));
        JsonNode wiped = json(app.post("/api/v1/instances/" + home + "/backups?wait=true"));
        assertThat(wiped.get("suspicious").asBoolean()).as(wiped.toString()).isTrue();
        for (long id : List.of(good, wiped.get("id").asLong())) {
          Eventually.until("the copy of backup " + id + " is verified", Duration.ofSeconds(60),
              () -> json(app.get("/api/v1/backups/" + id)).at("/offsite/0/state").asText().equals("verified"));
        }
        replicaHad = replica.lastImport();
      }
      wipe(dir.resolve("data"));
      wipe(dir.resolve("backups"));

      try (InProcessApp app = InProcessApp.start(dir.resolve("data"), dir.resolve("backups"), env)) {
        long home = instance(app, "Home");
        Eventually.until("the history is adopted at start", Duration.ofSeconds(60),
            () -> json(app.get("/api/v1/instances/" + home + "/backups")).get("backups").size() == 2);
        JsonNode newest = json(app.get("/api/v1/instances/" + home + "/backups")).at("/backups/0");
        assertThat(newest.get("suspicious").asBoolean()).as(newest.toString()).isTrue();

        JsonNode run = json(app.post("/api/v1/sync/home/run?wait=true"));

        assertThat(run.toString()).contains("primary_suspicious");
        assertThat(run.get("runs")).extracting(r -> r.get("outcome").asText()).as(run.toString()).containsExactly("failed");
        assertThat(replica.lastImport()).as("the replica was not emptied").isEqualTo(replicaHad);
      }
    }
  }

  private static long instance(InProcessApp app, String name) throws Exception {
    for (JsonNode i : json(app.get("/api/v1/instances")).get("instances")) {
      if (i.get("name").asText().equals(name)) {
        return i.get("id").asLong();
      }
    }
    throw new AssertionError("no instance " + name);
  }

  private static JsonNode restore(InProcessApp app, long backup) throws Exception {
    HttpResponse<String> started = app.send("POST", "/api/v1/backups/" + backup + "/restore", "{\"mode\":\"exact\"}");
    assertThat(started.statusCode()).as(started.body()).isEqualTo(202);
    String url = started.headers().firstValue("Location").orElseThrow();
    Eventually.until("the restore finished", Duration.ofSeconds(60),
        () -> !List.of("queued", "running").contains(json(app.get(url)).get("state").asText()));
    return json(app.get(url));
  }

  private static void wipe(Path folder) throws Exception {
    try (Stream<Path> all = Files.walk(folder)) {
      for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }
}
