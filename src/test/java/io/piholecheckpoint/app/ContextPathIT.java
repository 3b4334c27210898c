package io.piholecheckpoint.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.piholecheckpoint.testing.Eventually;
import io.piholecheckpoint.testing.HttpAgent;
import io.piholecheckpoint.testing.StandaloneJetty;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The WAR deployed by a stock Jetty 12 under {@code /cp} ({@code webapps/cp.war}) rather than at the root: its pages point a
 * browser at root addresses ({@code /login}, {@code /static/app.css}) that lie outside it. The start says so in one ERROR line
 * naming the context path and what to do, and /health says it too (degraded), rather than serving an unusable UI silently.
 */
class ContextPathIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern STYLESHEET = Pattern.compile("href=\"([^\"]*app\\.css)\"");

  @TempDir
  Path dir;

  @Test
  void aDeploymentUnderAnotherContextPathIsNamedInTheLogAndInHealth() throws Exception {
    Map<String, String> settings = Map.of("APP_PASSWORD", "context-path-password", "DATA_DIR", dir.resolve("data").toString(),
        "BACKUP_DIR", dir.resolve("backups").toString(), "CHECKPOINT_MIGRATE_ON_START", "true");
    try (StandaloneJetty jetty = StandaloneJetty.start(dir, settings, new StandaloneJetty.Deployment("cp.war", false, null))) {
      HttpAgent browser = new HttpAgent("http://127.0.0.1:" + jetty.port());
      try {
        Eventually.until("/cp/health answers", Duration.ofSeconds(90), () -> status(browser, "/cp/health") == 200);
        // what a browser does with the sign-in page: its stylesheet's address, as written, is not the app's
        HttpResponse<String> login = browser.get("/cp/login");
        Matcher css = STYLESHEET.matcher(login.body());
        assertThat(css.find()).as(login.body()).isTrue();
        assertThat(browser.get(css.group(1)).statusCode()).as("%s, followed as a browser does", css.group(1)).isEqualTo(404);

        JsonNode health = JSON.readTree(browser.get("/cp/health").body());
        assertThat(health.get("status").asText()).isEqualTo("degraded");
        assertThat(health.get("deployment").asText()).contains("context path /cp", "webapps/ROOT.war");
        assertThat(jetty.log()).contains("ERROR").contains("deployed Pi-hole Checkpoint at the context path /cp")
            .contains("Deploy the WAR as the root context");
      } catch (Exception | AssertionError e) {
        throw new AssertionError(e.getMessage() + "\ncontainer log:\n" + jetty.log(), e);
      }
    }
  }

  private static int status(HttpAgent agent, String path) {
    try {
      return agent.get(path).statusCode();
    } catch (Exception e) {
      return -1;
    }
  }
}
