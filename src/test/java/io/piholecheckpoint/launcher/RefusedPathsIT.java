package io.piholecheckpoint.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import io.piholecheckpoint.testing.RawHttp;
import io.piholecheckpoint.testing.RunningApp;
import java.nio.file.Files;
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

  /**
   * The 400 page the launcher sends for such a path is rendered when first needed, not at start: rendering it at start
   * loaded FreeMarker's parser and runtime (some 350 classes, 3-4 MiB of RSS) before any page was asked for. The class-load
   * log tells: FMParser and Environment are loaded only to parse and run a template.
   */
  @Test
  void theStartParsesNoTemplateTheRefusedPathsPageIsRenderedWhenFirstNeeded() throws Exception {
    Path classes = dir.resolve("classes.log");
    Map<String, String> env = Map.of("PIHOLE_HOME_URL", "http://127.0.0.1:9",
        "JAVA_OPTS", "-XX:TieredStopAtLevel=1 -XX:+UseSerialGC -Xmx128m -Xlog:class+load=info:file=" + classes);
    try (RunningApp app = RunningApp.start(dir.resolve("data"), dir.resolve("backups"), env)) {
      RawHttp.Answer health = RawHttp.exchange(app.port(), "GET /health HTTP/1.1\nHost: 127.0.0.1\nConnection: close", "");

      assertThat(health.status()).isEqualTo(200);
      assertThat(Files.readString(classes)).doesNotContain("freemarker.core.FMParser ", "freemarker.core.Environment ");

      RawHttp.Answer first = RawHttp.exchange(app.port(), "GET /static/..;/x HTTP/1.1\nHost: 127.0.0.1\nAccept: text/html\nConnection: close", "");
      RawHttp.Answer second = RawHttp.exchange(app.port(), "GET /backups/..;/instances HTTP/1.1\nHost: 127.0.0.1\nAccept: */*\nConnection: close", "");

      assertThat(first.status()).isEqualTo(400);
      assertThat(first.body()).contains("<section class=\"error-page\">", "not in plain form");
      assertThat(second.status()).isEqualTo(400);
      assertThat(second.body()).isEqualTo(first.body());
      assertThat(Files.readString(classes)).contains("freemarker.core.FMParser ", "freemarker.core.Environment ");
    }
  }
}
