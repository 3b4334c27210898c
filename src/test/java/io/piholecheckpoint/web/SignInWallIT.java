package io.piholecheckpoint.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.piholecheckpoint.testing.Eventually;
import io.piholecheckpoint.testing.Fixtures;
import io.piholecheckpoint.testing.HttpAgent;
import io.piholecheckpoint.testing.InProcessApp;
import io.piholecheckpoint.testing.StandaloneJetty;
import io.piholecheckpoint.testing.StandaloneTomcat;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The path corpus ({@link WallCorpus}) against the sign-in wall in the three containers that run
 * the WAR, which normalise paths differently: the real launcher, stock Jetty 12 and stock Tomcat
 * 11. Each is seeded through the API (an instance named like a canary, an imported archive), the
 * corpus is shown alive (every guarded route answers 2xx with credentials), then every variant
 * is sent without credentials and every breach is reported at once. Afterwards nothing changed.
 */
class SignInWallIT {
  private static final String PASSWORD = "wall-password-for-tests";
  private static final String API_TOKEN = "wall-api-token-0123456789abcdef";
  private static final String METRICS_TOKEN = "wall-metrics-token-0123456789abcdef";
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir
  Path dir;

  private Map<String, String> settings() {
    Map<String, String> settings = new HashMap<>(Map.of("APP_PASSWORD", PASSWORD, "API_TOKEN", API_TOKEN, "METRICS_TOKEN", METRICS_TOKEN,
        "DATA_DIR", dir.resolve("data").toString(), "BACKUP_DIR", dir.resolve("backups").toString()));
    settings.put("CHECKPOINT_MIGRATE_ON_START", "true");
    return settings;
  }

  @Test
  void onlyTheOpenSetAnswersWithoutCredentialsInTheLauncher() throws Exception {
    try (InProcessApp app = InProcessApp.start(dir.resolve("data"), dir.resolve("backups"), settings())) {
      wallHolds(app.port(), app::output);
    }
  }

  @Test
  void onlyTheOpenSetAnswersWithoutCredentialsInStockJetty() throws Exception {
    try (StandaloneJetty jetty = StandaloneJetty.start(dir, settings())) {
      wallHolds(jetty.port(), jetty::log);
    }
  }

  @Test
  void onlyTheOpenSetAnswersWithoutCredentialsInStockTomcat() throws Exception {
    try (StandaloneTomcat tomcat = StandaloneTomcat.start(dir, settings())) {
      wallHolds(tomcat.port(), tomcat::log);
    }
  }

  private interface Log {
    String text() throws Exception;
  }

  private void wallHolds(int port, Log log) throws Exception {
    String base = "http://127.0.0.1:" + port;
    HttpAgent script = new HttpAgent(base);
    Eventually.until("/health answers 200", Duration.ofSeconds(90), () -> answers(script, "/health") == 200);
    try {
      long instance = createInstance(script);
      long backup = importArchive(script, instance);
      List<WallCorpus.Route> routes = WallCorpus.routes(instance, backup);
      HttpAgent browser = signedIn(base);
      for (WallCorpus.Route route : routes) {
        if (route.guarded() && route.method().equals("GET") && !route.path().equals("/error")) {
          assertThat(withCredentials(route.path(), script, browser)).as("with credentials: " + route.path()).isBetween(200, 299);
        }
      }
      List<WallCorpus.Probe> probes = WallCorpus.probes(routes, port);

      long start = System.nanoTime();
      List<String> breaches = WallCorpus.breaches(probes, port);
      // a figure for bench/RESULTS.md, not an assertion: speed depends on the machine
      System.out.printf("SignInWallIT: %d requests on port %d in %.1f s%n", probes.size(), port, (System.nanoTime() - start) / 1e9);

      assertThat(breaches).as("of %d requests, these got past the wall", probes.size()).isEmpty();
      JsonNode instances = JSON.readTree(script.get("/api/v1/instances", "Authorization", "Bearer " + API_TOKEN).body()).get("instances");
      assertThat(instances).as("no instance created or deleted").hasSize(1);
      JsonNode kept = JSON.readTree(script.get("/api/v1/backups/" + backup, "Authorization", "Bearer " + API_TOKEN).body());
      assertThat(kept.get("id").asLong()).as("the backup is still there").isEqualTo(backup);
      assertThat(kept.get("pinned").asBoolean()).as("and not pinned").isFalse();
    } catch (Exception | AssertionError e) {
      throw new AssertionError(e.getMessage() + "\ncontainer log:\n" + tail(log.text()), e);
    }
  }

  private static String tail(String log) {
    return log.length() < 6000 ? log : log.substring(log.length() - 6000);
  }

  private static int answers(HttpAgent agent, String path) {
    try {
      return agent.get(path).statusCode();
    } catch (Exception e) {
      return -1;
    }
  }

  private static int withCredentials(String path, HttpAgent script, HttpAgent browser) throws Exception {
    if (path.startsWith("/api/")) {
      return script.get(path, "Authorization", "Bearer " + API_TOKEN).statusCode();
    }
    if (path.startsWith("/metrics")) {
      return script.get(path, "Authorization", "Bearer " + METRICS_TOKEN).statusCode();
    }
    return browser.get(path).statusCode();
  }

  private static HttpAgent signedIn(String base) throws Exception {
    HttpAgent browser = new HttpAgent(base);
    browser.get("/login");
    HttpResponse<String> response = browser.postForm("/login", Map.of("password", PASSWORD, "_csrf", browser.csrfToken()));
    assertThat(response.statusCode()).as(response.body()).isEqualTo(303);
    return browser;
  }

  private static long createInstance(HttpAgent script) throws Exception {
    String body = JSON.createObjectNode().put("name", WallCorpus.CANARY).put("url", "http://127.0.0.1:9").put("password", "pw").toString();
    HttpResponse<String> created = script.send("POST", "/api/v1/instances", "application/json", body, "Authorization", "Bearer " + API_TOKEN);
    assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
    return JSON.readTree(created.body()).get("id").asLong();
  }

  private static long importArchive(HttpAgent script, long instance) throws Exception {
    HttpResponse<String> imported = script.upload("/api/v1/instances/" + instance + "/backups/import", "pi-hole_teleporter.zip",
        Fixtures.archiveA(), "Authorization", "Bearer " + API_TOKEN);
    assertThat(imported.statusCode()).as(imported.body()).isEqualTo(201);
    return JSON.readTree(imported.body()).get("id").asLong();
  }

}
