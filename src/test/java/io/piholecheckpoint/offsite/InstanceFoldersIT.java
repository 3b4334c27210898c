package io.piholecheckpoint.offsite;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.piholecheckpoint.testing.Eventually;
import io.piholecheckpoint.testing.FakePihole;
import io.piholecheckpoint.testing.Fixtures;
import io.piholecheckpoint.testing.InProcessApp;
import io.piholecheckpoint.testing.OffsiteServers;
import io.piholecheckpoint.testing.OffsiteServers.Kind;
import io.piholecheckpoint.testing.OffsiteServers.Server;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 16: off-site copies go to {@code <prefix>/<folder>/}, and the folder was the name's readable slug, {@code pihole} for
 * every name without a Latin letter, so a household's "Кухня" and "Гостиная" shared one. Through the app, with one directory
 * destination: each has a folder of its own, pruning one's copies leaves the other's, and a fresh DATA_DIR adopts each's
 * history into its own instance.
 */
class InstanceFoldersIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String PASSPHRASE = "a passphrase kept in the password manager";

  @RegisterExtension
  static final OffsiteServers.PerClass servers = new OffsiteServers.PerClass();
  @TempDir
  Path dir;

  @Test
  void twoInstancesWithoutLatinNamesKeepTheirCopiesApartThroughPruningAndAdoption() throws Exception {
    Server server = servers.of(Kind.FILE);
    Path stored = server.stored("household");
    try (FakePihole kitchenPihole = FakePihole.start("kitchenpass"); FakePihole livingPihole = FakePihole.start("livingpass")) {
      Map<String, String> env = new HashMap<>(server.variables("NAS", "household"));
      env.putAll(Map.of("OFFSITE_NAS_MAX_BACKUPS", "1", "OFFSITE_FIRST_RUN_SECONDS", "0", "BACKUP_ENCRYPTION_PASSPHRASE", PASSPHRASE));
      String livingKey;
      String kitchenNewest;
      try (InProcessApp app = InProcessApp.start(dir.resolve("data"), dir.resolve("backups"), env)) {
        long kitchen = add(app, "Кухня", kitchenPihole, "kitchenpass");
        long living = add(app, "Гостиная", livingPihole, "livingpass");
        String kitchenFirst = verifiedCopy(app, backUp(app, kitchen));
        livingKey = verifiedCopy(app, backUp(app, living));

        assertThat(folder(kitchenFirst)).as("one folder each").isNotEqualTo(folder(livingKey));
        assertThat(Set.of(folder(kitchenFirst), folder(livingKey))).allMatch(f -> f.matches("pihole-[0-9a-f]{6}"));

        kitchenPihole.archive(Fixtures.archiveB());
        kitchenNewest = verifiedCopy(app, backUp(app, kitchen));
        Eventually.until("the kitchen's older copy is pruned there by MAX_BACKUPS 1", Duration.ofSeconds(60),
            () -> !OffsiteServers.files(stored).contains(kitchenFirst));
        assertThat(OffsiteServers.files(stored)).as("the living room's only copy is not the kitchen's to prune")
            .containsExactlyInAnyOrder(kitchenNewest, kitchenNewest + ".json", livingKey, livingKey + ".json");
      }
      wipe(dir.resolve("data"));
      wipe(dir.resolve("backups"));

      try (InProcessApp app = InProcessApp.start(dir.resolve("data"), dir.resolve("backups"), env)) {
        Eventually.until("both instances are re-created and their copies adopted at start", Duration.ofSeconds(60),
            () -> histories(app).values().stream().mapToInt(Set::size).sum() == 2);

        Map<String, Set<String>> histories = histories(app);
        assertThat(histories).containsOnlyKeys("Кухня", "Гостиная");
        assertThat(histories.get("Кухня")).containsExactly(file(kitchenNewest));
        assertThat(histories.get("Гостиная")).containsExactly(file(livingKey));
        assertThat(app.output()).doesNotContain(PASSPHRASE).doesNotContain("kitchenpass").doesNotContain("livingpass");
      }
    }
  }

  private static long add(InProcessApp app, String name, FakePihole pihole, String password) throws Exception {
    HttpResponse<String> response = app.send("POST", "/api/v1/instances",
        JSON.createObjectNode().put("name", name).put("url", pihole.url()).put("password", password).toString());
    assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
    return json(response).get("id").asLong();
  }

  private static long backUp(InProcessApp app, long instance) throws Exception {
    HttpResponse<String> response = app.post("/api/v1/instances/" + instance + "/backups?wait=true");
    assertThat(response.statusCode()).as(response.body()).isIn(200, 201);
    return json(response).get("id").asLong();
  }

  /** The copy's key at the destination, once it is verified there. */
  private static String verifiedCopy(InProcessApp app, long backup) throws Exception {
    Eventually.until("the copy of backup " + backup + " is verified", Duration.ofSeconds(60),
        () -> json(app.get("/api/v1/backups/" + backup)).at("/offsite/0/state").asText().equals("verified"));
    return json(app.get("/api/v1/backups/" + backup)).at("/offsite/0/remoteKey").asText();
  }

  /** Each instance's backups' file names, by its name. */
  private static Map<String, Set<String>> histories(InProcessApp app) throws Exception {
    Map<String, Set<String>> histories = new TreeMap<>();
    for (JsonNode instance : json(app.get("/api/v1/instances")).get("instances")) {
      JsonNode backups = json(app.get("/api/v1/instances/" + instance.get("id").asLong() + "/backups")).get("backups");
      histories.put(instance.get("name").asText(), Stream.iterate(0, i -> i < backups.size(), i -> i + 1)
          .map(i -> backups.get(i).get("fileName").asText()).collect(Collectors.toSet()));
    }
    return histories;
  }

  private static String folder(String key) {
    return key.substring(0, key.indexOf('/'));
  }

  private static String file(String key) {
    return key.substring(key.indexOf('/') + 1);
  }

  private static JsonNode json(HttpResponse<String> response) throws Exception {
    return JSON.readTree(response.body());
  }

  private static void wipe(Path folder) throws Exception {
    try (Stream<Path> all = Files.walk(folder)) {
      for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }
}
