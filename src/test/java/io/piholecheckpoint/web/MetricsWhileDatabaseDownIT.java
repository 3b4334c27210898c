package io.piholecheckpoint.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.piholecheckpoint.testing.Eventually;
import io.piholecheckpoint.testing.FakePihole;
import io.piholecheckpoint.testing.HttpAgent;
import io.piholecheckpoint.testing.InProcessApp;
import io.piholecheckpoint.testing.PostgresServer;
import io.piholecheckpoint.testing.PrometheusParser;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * /metrics while the PostgreSQL catalogue is down (its server stopped under the app): the scrape
 * still answers, with checkpoint_database_up 0 and without the gauges read from the database, as
 * /health answers 503; once the server is back, it is 1 again. A signed-in user meanwhile gets the
 * 503 that passes, not a 500, on every path that asks the database for the session.
 */
class MetricsWhileDatabaseDownIT {
  @TempDir
  Path dir;

  @Test
  void aScrapeSaysTheDatabaseIsDownWhilePostgresqlIsStoppedAndUpOnceItIsBack() throws Exception {
    try (PostgresServer postgres = PostgresServer.own(); FakePihole home = FakePihole.start("labpass")) {
      Path password = Files.writeString(dir.resolve("database-password"), PostgresServer.PASSWORD + "\n");
      try (InProcessApp app = InProcessApp.start(dir.resolve("data"), dir.resolve("backups"), Map.of(
          "DATABASE_URL", postgres.createDatabase(null), "DATABASE_USER", PostgresServer.USER, "DATABASE_PASSWORD_FILE", password.toString(),
          "PIHOLE_HOME_URL", home.url(), "PIHOLE_HOME_PASSWORD", "labpass"))) {
        PrometheusParser before = PrometheusParser.parse(app.get("/metrics").body());
        assertThat(before.value("checkpoint_database_up")).hasValue(1.0);
        assertThat(before.value("pihole_config_info", "config_id=1", "config_name=Home")).hasValue(1.0);
        assertThat(before.value("checkpoint_backup_files_missing")).hasValue(0.0);

        postgres.halt();
        HttpResponse<String> down = app.get("/metrics");
        HttpResponse<String> health = app.get("/health");
        postgres.resume();

        assertThat(down.statusCode()).as(down.body()).isEqualTo(200);
        PrometheusParser metrics = PrometheusParser.parse(down.body());
        assertThat(metrics.value("checkpoint_database_up")).hasValue(0.0);
        assertThat(metrics.value("pihole_config_info", "config_id=1", "config_name=Home")).as("read from the database: left out").isEmpty();
        assertThat(metrics.value("pihole_scheduler_up")).hasValue(0.0);
        // not known while the database cannot say: absent, not a reassuring 0
        assertThat(metrics.value("checkpoint_backup_files_missing")).isEmpty();
        assertThat(metrics.value("checkpoint_backup_files_corrupted")).isEmpty();
        assertThat(health.statusCode()).as(health.body()).isEqualTo(503);
        Eventually.until("the database is up again in /metrics", Duration.ofSeconds(60),
            () -> PrometheusParser.parse(app.get("/metrics").body()).value("checkpoint_database_up").orElse(0.0) == 1.0);
      }
    }
  }

  @Test
  void aSignedInUserGetsTheRetryable503WhilePostgresqlIsStopped() throws Exception {
    try (PostgresServer postgres = PostgresServer.own()) {
      Path password = Files.writeString(dir.resolve("database-password"), PostgresServer.PASSWORD + "\n");
      try (InProcessApp app = InProcessApp.start(dir.resolve("data"), dir.resolve("backups"), Map.of(
          "DATABASE_URL", postgres.createDatabase(null), "DATABASE_USER", PostgresServer.USER, "DATABASE_PASSWORD_FILE", password.toString(),
          "APP_PASSWORD", "correct horse battery"))) {
        HttpAgent browser = new HttpAgent(app);
        browser.get("/login");
        assertThat(browser.postForm("/login", Map.of("password", "correct horse battery", "_csrf", browser.csrfToken())).statusCode()).isEqualTo(303);
        HttpAgent stranger = new HttpAgent(app);
        stranger.get("/login");
        String strangersToken = stranger.csrfToken();

        postgres.halt();
        HttpResponse<String> api = browser.get("/api/v1/instances");
        HttpResponse<String> page = browser.get("/", "Accept", "text/html");
        HttpResponse<String> instance = browser.get("/instances/1", "Accept", "text/html");
        HttpResponse<String> settings = browser.get("/settings", "Accept", "text/html");
        HttpResponse<String> signIn = stranger.postForm("/login", Map.of("password", "correct horse battery", "_csrf", strangersToken));
        postgres.resume();

        assertThat(api.statusCode()).as(api.body()).isEqualTo(503);
        assertThat(api.body()).contains("\"database_unreachable\"");
        assertThat(api.headers().firstValue("Retry-After")).hasValue("30");
        assertThat(page.statusCode()).as(page.body()).isEqualTo(503);
        assertThat(page.body()).contains("DATABASE_URL");
        // a page is the styled error page, as for a busy database, not a line of plain text; its sentences joined with one period
        for (HttpResponse<String> html : java.util.List.of(page, instance, settings, signIn)) {
          assertThat(html.statusCode()).as(html.uri() + ": " + html.body()).isEqualTo(503);
          assertThat(html.headers().firstValue("Content-Type")).as(html.uri().toString()).hasValueSatisfying(
              type -> assertThat(type).startsWith("text/html"));
          assertThat(html.headers().firstValue("Retry-After")).as(html.uri().toString()).hasValue("30");
          assertThat(html.body()).contains("The database cannot be reached").contains("DATABASE_URL").doesNotContain("..");
        }
        Eventually.until("the API answers again", Duration.ofSeconds(60), () -> browser.get("/api/v1/instances").statusCode() != 503);
        HttpResponse<String> back = browser.get("/api/v1/instances");
        assertThat(back.statusCode()).as("still signed in: " + back.body()).isEqualTo(200);
      }
    }
  }
}
