package io.piholecheckpoint.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.piholecheckpoint.testing.Eventually;
import io.piholecheckpoint.testing.FakePihole;
import io.piholecheckpoint.testing.HttpAgent;
import io.piholecheckpoint.testing.RunningApp;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A whole session with known secrets — app password, API token, Pi-hole passwords (environment
 * and UI), a TOTP seed, the archive passphrase — after which none of them may appear in the log, a page, an API answer
 * or the database file.
 */
class SecretsNeverLeakIT {
  private static final String APP_PASSWORD = "app-Secret-7f3a9c";
  private static final String API_TOKEN = "api-Secret-token-51be0d2c";
  private static final String ENV_PIHOLE_PASSWORD = "pihole-Secret-env-c41d";
  private static final String UI_PIHOLE_PASSWORD = "pihole-Secret-ui-9e07";
  private static final String TOTP_SEED = "JBSWY3DPEHPK3PXPSECRETSEED";
  private static final String PASSPHRASE = "archive-Secret-passphrase-88";
  private static final List<String> SECRETS = List.of(APP_PASSWORD, API_TOKEN, ENV_PIHOLE_PASSWORD, UI_PIHOLE_PASSWORD, TOTP_SEED, PASSPHRASE);
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir
  Path dir;

  @Test
  void noSecretAppearsInLogsPagesApiAnswersOrTheDatabase() throws Exception {
    List<String> seen = new ArrayList<>();
    try (FakePihole envPihole = FakePihole.builder().password(ENV_PIHOLE_PASSWORD).totpSecret(TOTP_SEED).start();
         FakePihole uiPihole = FakePihole.start(UI_PIHOLE_PASSWORD);
         RunningApp app = RunningApp.start(dir.resolve("data"), dir.resolve("backups"), Map.of(
             "APP_PASSWORD", APP_PASSWORD, "API_TOKEN", API_TOKEN, "BACKUP_ENCRYPTION_PASSPHRASE", PASSPHRASE,
             "PIHOLE_HOME_URL", envPihole.url(), "PIHOLE_HOME_PASSWORD", ENV_PIHOLE_PASSWORD, "PIHOLE_HOME_TOTP_SECRET", TOTP_SEED))) {
      String bearer = "Bearer " + API_TOKEN;
      HttpAgent script = new HttpAgent(app);
      HttpResponse<String> created = script.send("POST", "/api/v1/instances", "application/json",
          JSON.writeValueAsString(Map.of("name", "Office", "url", uiPihole.url(), "password", UI_PIHOLE_PASSWORD)), "Authorization", bearer);
      assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
      seen.add(created.body());
      for (long id : new long[] {1, 2}) {
        String job = JSON.readTree(script.send("POST", "/api/v1/instances/" + id + "/backups", null, null, "Authorization", bearer).body())
            .at("/job/url").asText();
        Eventually.until("backup of instance " + id + " is done", Duration.ofSeconds(60), () ->
            JSON.readTree(script.get(job, "Authorization", bearer).body()).get("state").asText().matches("done|failed"));
        JsonNode finished = JSON.readTree(script.get(job, "Authorization", bearer).body());
        assertThat(finished.get("state").asText()).as(finished.toString()).isEqualTo("done");
        long backup = finished.get("backupId").asLong();
        seen.add(script.get("/api/v1/backups/" + backup, "Authorization", bearer).body());
        seen.add(script.get("/api/v1/backups/" + backup + "/contents", "Authorization", bearer).body());
      }
      seen.add(script.get("/api/v1/instances", "Authorization", bearer).body());
      seen.add(script.get("/api/v1/instances/2", "Authorization", bearer).body());
      seen.add(script.get("/health").body());

      HttpAgent browser = new HttpAgent(app);
      browser.get("/login");
      HttpResponse<String> signIn = browser.postForm("/login", Map.of("password", APP_PASSWORD, "_csrf", browser.csrfToken()));
      assertThat(signIn.statusCode()).isEqualTo(303);
      for (String page : new String[] {"/", "/instances/1", "/instances/2", "/instances/1/edit", "/instances/2/edit", "/settings", "/backups/1"}) {
        HttpResponse<String> response = browser.get(page);
        assertThat(response.statusCode()).as(page).isEqualTo(200);
        seen.add(response.body());
      }
      seen.add(String.valueOf(browser.postForm("/login", Map.of("password", "wrong-" + APP_PASSWORD, "_csrf", browser.csrfToken())).body()));
      app.stop();
      seen.add(app.output());
    }
    seen.add(bytesOfEveryFileUnder(dir.resolve("data")));
    assertThat(Files.getPosixFilePermissions(dir.resolve("data/checkpoint.db"))).as("the database is the owner's only")
        .containsExactlyInAnyOrder(java.nio.file.attribute.PosixFilePermission.OWNER_READ, java.nio.file.attribute.PosixFilePermission.OWNER_WRITE);

    for (String secret : SECRETS) {
      assertThat(seen).as("nothing shows " + secret).allSatisfy(text -> assertThat(text).doesNotContain(secret));
    }
  }

  /** The database, its WAL and anything else in DATA_DIR, read as bytes. */
  private static String bytesOfEveryFileUnder(Path data) throws Exception {
    StringBuilder all = new StringBuilder();
    try (Stream<Path> files = Files.walk(data)) {
      for (Path f : files.filter(Files::isRegularFile).toList()) {
        all.append(new String(Files.readAllBytes(f), StandardCharsets.ISO_8859_1));
      }
    }
    assertThat(all).as("the database was read").contains("SQLite format 3");
    return all.toString();
  }
}
