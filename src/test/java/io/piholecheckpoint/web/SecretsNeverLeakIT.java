package io.piholecheckpoint.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.piholecheckpoint.testing.Eventually;
import io.piholecheckpoint.testing.FakePihole;
import io.piholecheckpoint.testing.Fixtures;
import io.piholecheckpoint.testing.TestArchives;
import io.piholecheckpoint.testing.HttpAgent;
import io.piholecheckpoint.testing.InProcessApp;
import io.piholecheckpoint.testing.Ports;
import io.piholecheckpoint.testing.RunningApp;
import io.piholecheckpoint.testing.SkippingClock;
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
 * A whole session with known secrets — app password, API token, Pi-hole passwords and TOTP seeds
 * (environment and UI), the archive passphrase — after which none of them may appear in the log, a page, an API answer
 * or the database file.
 *
 * <p>Both Pi-holes ask for the 2FA code, and the environment's is signed in to four times: each login after the first
 * waits for the next 30 s step, as a reused code is refused. The session runs in this JVM with its Pi-hole client on a
 * {@link SkippingClock} that the fakes share, so those waits move the clock on instead of taking ~80 s. The process's own
 * output — the entrypoint, the launcher, the start and the stop with every one of these secrets in its environment — is
 * searched in a forked start ({@link #noSecretOfTheEnvironmentAppearsInTheProcesssOutputOrDatabase}).
 */
class SecretsNeverLeakIT {
  private static final String APP_PASSWORD = "app-Secret-7f3a9c";
  private static final String API_TOKEN = "api-Secret-token-51be0d2c";
  private static final String ENV_PIHOLE_PASSWORD = "pihole-Secret-env-c41d";
  private static final String UI_PIHOLE_PASSWORD = "pihole-Secret-ui-9e07";
  private static final String TOTP_SEED = "JBSWY3DPEHPK3PXPSECRETSEED";
  private static final String UI_TOTP_SEED = "MFRGGZDFMZTWQ2LKNNWG23TPOBYXE43U";
  private static final String PASSPHRASE = "archive-Secret-passphrase-88";
  /** The 2FA secret in pihole.toml of the first backup, and the one the Pi-hole holds later: compared, never shown. */
  private static final String ARCHIVED_TOTP = "KRUGKIDROVUWG2ZAMJZG653OEBTG66BA";
  private static final String LATER_TOTP = "MJZG653OEBTG66BANJ2W24DTEBXXMZLS";
  private static final List<String> SECRETS = List.of(APP_PASSWORD, API_TOKEN, ENV_PIHOLE_PASSWORD, UI_PIHOLE_PASSWORD, TOTP_SEED, UI_TOTP_SEED,
      PASSPHRASE, ARCHIVED_TOTP, LATER_TOTP);
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir
  Path dir;

  @Test
  void noSecretAppearsInLogsPagesApiAnswersOrTheDatabase() throws Exception {
    List<String> seen = new ArrayList<>();
    SkippingClock clock = new SkippingClock();
    try (FakePihole envPihole = FakePihole.builder().password(ENV_PIHOLE_PASSWORD).totpSecret(TOTP_SEED).clock(clock)
        .archive(TestArchives.withSetting(Fixtures.archiveA(), "totp_secret", ARCHIVED_TOTP)).start();
         FakePihole uiPihole = FakePihole.builder().password(UI_PIHOLE_PASSWORD).totpSecret(UI_TOTP_SEED).clock(clock).start();
         InProcessApp app = InProcessApp.start(dir.resolve("data"), dir.resolve("backups"), environment(envPihole.url()), clock)) {
      String bearer = "Bearer " + API_TOKEN;
      HttpAgent script = new HttpAgent(app);
      HttpResponse<String> created = script.send("POST", "/api/v1/instances", "application/json",
          JSON.writeValueAsString(Map.of("name", "Office", "url", uiPihole.url(), "password", UI_PIHOLE_PASSWORD, "totpSecret", UI_TOTP_SEED)),
          "Authorization", bearer);
      assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
      seen.add(created.body());
      long archivedBackup = backUp(script, bearer, 1, seen);
      backUp(script, bearer, 2, seen);
      envPihole.archive(TestArchives.withSetting(Fixtures.archiveA(), "totp_secret", LATER_TOTP));
      long laterBackup = backUp(script, bearer, 1, seen);
      seen.addAll(secretChangeShownByName(script, bearer, archivedBackup, laterBackup));
      seen.add(script.get("/api/v1/instances", "Authorization", bearer).body());
      seen.add(script.get("/api/v1/instances/2", "Authorization", bearer).body());
      seen.add(script.get("/health").body());

      HttpAgent browser = new HttpAgent(app);
      browser.get("/login");
      HttpResponse<String> signIn = browser.postForm("/login", Map.of("password", APP_PASSWORD, "_csrf", browser.csrfToken()));
      assertThat(signIn.statusCode()).isEqualTo(303);
      for (String page : new String[] {"/", "/instances/1", "/instances/2", "/instances/1/edit", "/instances/2/edit", "/settings", "/backups/1",
          "/backups/" + laterBackup + "?diff=" + archivedBackup, "/backups/" + archivedBackup + "?diff=live"}) {
        HttpResponse<String> response = browser.get(page);
        assertThat(response.statusCode()).as(page).isEqualTo(200);
        seen.add(response.body());
      }
      assertThat(browser.get("/backups/" + laterBackup + "?diff=" + archivedBackup).body()).as("the diff page")
          .contains("webserver.api.totp_secret").contains("2FA secret changed");
      assertThat(browser.get("/instances/1").body()).as("the history row").contains("2FA secret changed");
      seen.add(String.valueOf(browser.postForm("/login", Map.of("password", "wrong-" + APP_PASSWORD, "_csrf", browser.csrfToken())).body()));
      app.stop();
      seen.add(app.output());
      assertThat(envPihole.totpRefusals() + uiPihole.totpRefusals()).as("every login sent a code of its own step").isZero();
    }
    seen.add(bytesOfEveryFileUnder(dir.resolve("data")));
    assertThat(Files.getPosixFilePermissions(dir.resolve("data/checkpoint.db"))).as("the database is the owner's only")
        .containsExactlyInAnyOrder(java.nio.file.attribute.PosixFilePermission.OWNER_READ, java.nio.file.attribute.PosixFilePermission.OWNER_WRITE);

    for (String secret : SECRETS) {
      assertThat(seen).as("nothing shows " + secret).allSatisfy(text -> assertThat(text).doesNotContain(secret));
    }
  }

  /** The forked process, with every secret of the session in its environment: its whole output and its files show none. */
  @Test
  void noSecretOfTheEnvironmentAppearsInTheProcesssOutputOrDatabase() throws Exception {
    List<String> seen = new ArrayList<>();
    try (RunningApp app = RunningApp.start(dir.resolve("data"), dir.resolve("backups"), environment("http://127.0.0.1:" + Ports.unused()))) {
      HttpAgent script = new HttpAgent(app);
      HttpResponse<String> instances = script.get("/api/v1/instances", "Authorization", "Bearer " + API_TOKEN);
      assertThat(instances.statusCode()).as(instances.body()).isEqualTo(200);
      seen.add(instances.body());
      seen.add(script.get("/health").body());
      app.stop();
      seen.add(app.output());
    }
    seen.add(bytesOfEveryFileUnder(dir.resolve("data")));

    for (String secret : SECRETS) {
      assertThat(seen).as("nothing shows " + secret).allSatisfy(text -> assertThat(text).doesNotContain(secret));
    }
  }

  /** The secrets of the session's environment, its Pi-hole at {@code piholeUrl}. */
  private static Map<String, String> environment(String piholeUrl) {
    return Map.of("APP_PASSWORD", APP_PASSWORD, "API_TOKEN", API_TOKEN, "BACKUP_ENCRYPTION_PASSPHRASE", PASSPHRASE,
        "PIHOLE_HOME_URL", piholeUrl, "PIHOLE_HOME_PASSWORD", ENV_PIHOLE_PASSWORD, "PIHOLE_HOME_TOTP_SECRET", TOTP_SEED);
  }

  /**
   * A password written into PIHOLE_<P>_URL (which the form and the API refuse) is cut out before the
   * address is stored: the instance is still marked misconfigured, shown by the rest of its address,
   * and the password is in no page, API answer, log line or database byte.
   */
  @Test
  void aPasswordInAnEnvironmentUrlIsNeitherStoredShownNorLogged() throws Exception {
    String secret = "EnvUrlSecret77";
    List<String> seen = new ArrayList<>();
    try (RunningApp app = RunningApp.start(dir.resolve("data"), dir.resolve("backups"), Map.of(
        "APP_PASSWORD", APP_PASSWORD, "API_TOKEN", API_TOKEN, "PIHOLE_X_URL", "http://admin:" + secret + "@10.0.0.5"))) {
      HttpAgent script = new HttpAgent(app);
      HttpResponse<String> instance = script.get("/api/v1/instances/1", "Authorization", "Bearer " + API_TOKEN);
      seen.add(instance.body());
      seen.add(script.get("/api/v1/instances", "Authorization", "Bearer " + API_TOKEN).body());
      seen.add(script.get("/health").body());
      HttpAgent browser = new HttpAgent(app);
      browser.get("/login");
      browser.postForm("/login", Map.of("password", APP_PASSWORD, "_csrf", browser.csrfToken()));
      for (String page : new String[] {"/", "/instances/1"}) {
        HttpResponse<String> response = browser.get(page);
        assertThat(response.statusCode()).as(page).isEqualTo(200);
        seen.add(response.body());
      }
      app.stop();
      seen.add(app.output());

      JsonNode read = JSON.readTree(instance.body());
      assertThat(read.get("url").asText()).as(instance.body()).isEqualTo("http://***@10.0.0.5");
      assertThat(read.get("status").asText()).as(instance.body()).isEqualTo("misconfigured");
      assertThat(app.output()).contains("PIHOLE_X_URL='http://***@10.0.0.5'", "PIHOLE_X_PASSWORD");
    }
    seen.add(bytesOfEveryFileUnder(dir.resolve("data")));

    assertThat(seen).allSatisfy(text -> assertThat(text).doesNotContain(secret).doesNotContain("admin:"));
  }

  /** Runs a backup of instance {@code id} through the API and collects its answers; returns the backup's id. */
  private static long backUp(HttpAgent script, String bearer, long id, List<String> seen) throws Exception {
    String job = JSON.readTree(script.send("POST", "/api/v1/instances/" + id + "/backups", null, null, "Authorization", bearer).body())
        .at("/job/url").asText();
    Eventually.until("backup of instance " + id + " is done", Duration.ofSeconds(60), () ->
        JSON.readTree(script.get(job, "Authorization", bearer).body()).get("state").asText().matches("done|failed"));
    JsonNode finished = JSON.readTree(script.get(job, "Authorization", bearer).body());
    assertThat(finished.get("state").asText()).as(finished.toString()).isEqualTo("done");
    long backup = finished.get("backupId").asLong();
    seen.add(script.get("/api/v1/backups/" + backup, "Authorization", bearer).body());
    seen.add(script.get("/api/v1/backups/" + backup + "/contents", "Authorization", bearer).body());
    return backup;
  }

  /**
   * Two backups that differ only in the 2FA secret: the diff, the history row and an exact
   * restore's preview name the change (their bodies join what is checked for every secret).
   */
  private static List<String> secretChangeShownByName(HttpAgent script, String bearer, long archived, long later) throws Exception {
    List<String> bodies = new ArrayList<>();
    String diff = script.get("/api/v1/backups/" + later + "/diff?against=" + archived, "Authorization", bearer).body();
    bodies.add(diff);
    assertThat(JSON.readTree(diff).get("settings")).as(diff).singleElement().satisfies(s -> {
      assertThat(s.get("key").asText()).isEqualTo("webserver.api.totp_secret");
      assertThat(s.get("note").asText()).isEqualTo("2FA secret changed");
    });
    String history = script.get("/api/v1/instances/1/backups", "Authorization", bearer).body();
    bodies.add(history);
    assertThat(JSON.readTree(history).at("/backups/0/changes").asText()).as(history).isEqualTo("2FA secret changed");
    assertThat(JSON.readTree(history).at("/backups/0/unchangedSincePrevious").asBoolean()).isFalse();
    String preview = script.send("POST", "/api/v1/backups/" + archived + "/restore", "application/json",
        "{\"dryRun\":true,\"mode\":\"exact\"}", "Authorization", bearer).body();
    bodies.add(preview);
    assertThat(JSON.readTree(preview).get("warnings")).as(preview).hasSize(1);
    assertThat(JSON.readTree(preview).at("/warnings/0").asText())
        .isEqualTo("The 2FA secret will become the backup's: codes from the authenticator in use now will stop working."
            + " Set PIHOLE_HOME_TOTP_SECRET to the backup's 2FA secret and restart Pi-hole Checkpoint afterwards.");
    assertThat(JSON.readTree(preview).at("/preview/settings/0/note").asText()).isEqualTo("2FA secret changed");
    return bodies;
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
