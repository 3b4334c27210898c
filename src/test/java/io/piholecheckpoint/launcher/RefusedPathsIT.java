package io.piholecheckpoint.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import io.piholecheckpoint.testing.RawHttp;
import io.piholecheckpoint.testing.RunningApp;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The packaged launcher (entrypoint.sh, the launcher jar beside the WAR's jars) reads a path Jetty refuses with the one
 * class it shares with the web app: "..;" before /api/ is the API's JSON, elsewhere the app's own 400 page.
 */
class RefusedPathsIT {
  @TempDir
  Path dir;

  @Test
  void pathsJettyRefusesAreAnsweredInTheShapeTheirClientReads() throws Exception {
    try (RunningApp app = RunningApp.start(dir.resolve("data"), dir.resolve("backups"), Map.of("PIHOLE_HOME_URL", "http://127.0.0.1:9"))) {
      RawHttp.Answer api = RawHttp.exchange(app.port(), "GET /health/..;/api/v1/instances HTTP/1.1\nHost: 127.0.0.1\nAccept: */*\nConnection: close", "");
      RawHttp.Answer page = RawHttp.exchange(app.port(), "GET /backups/..;/instances HTTP/1.1\nHost: 127.0.0.1\nAccept: */*\nConnection: close", "");

      assertThat(api.status()).isEqualTo(400);
      assertThat(api.body()).startsWith("{\"error\":{\"code\":\"bad_request\"");
      assertThat(page.status()).isEqualTo(400);
      assertThat(page.body()).contains("<section class=\"error-page\">", "not in plain form").doesNotContainIgnoringCase("jetty");
    }
  }
}
