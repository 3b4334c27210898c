package io.piholecheckpoint.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.piholecheckpoint.testing.InProcessApp;
import io.piholecheckpoint.testing.PrometheusParser;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Map;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Another database session holds a lock on a table that /metrics or /health read besides the instances (the history, the
 * cluster's check-ins): they answer saying the database is busy, not a 500 page and not "ok".
 */
class LockedTablesIT {
  @TempDir
  Path dir;

  @Test
  void metricsAndHealthSayTheDatabaseIsBusyWhileAnotherSessionLocksTheTablesTheyRead() throws Exception {
    // a read's wait for a lock is bounded by the lower of the read limit (10 s) and DATABASE_LOCK_WAIT_SECONDS (README): at 2 s
    // each locked read answers busy in 2 s, not 10. What either limit answers is DatabaseLockIT's; here it is which reads notice
    try (AppBesideALock fixture = AppBesideALock.startWithHome(dir, Map.of("DATABASE_LOCK_WAIT_SECONDS", "2"))) {
      InProcessApp app = fixture.app();
      assertThat(PrometheusParser.parse(app.get("/metrics").body()).value("checkpoint_database_up")).hasValue(1.0);
      assertThat(app.get("/health").body()).contains("\"status\":\"ok\"");

      fixture.lock("backup", "ACCESS EXCLUSIVE");
      HttpResponse<String> metrics = app.get("/metrics");
      fixture.letGo();
      fixture.lock("cluster_node", "ACCESS EXCLUSIVE");
      HttpResponse<String> health = app.get("/health");
      fixture.letGo();

      // both checked, each failing on its own
      SoftAssertions soft = new SoftAssertions();
      soft.assertThat(metrics.statusCode()).as(metrics.body()).isEqualTo(200);
      if (metrics.statusCode() == 200) {
        PrometheusParser scraped = PrometheusParser.parse(metrics.body());
        soft.assertThat(scraped.value("checkpoint_database_busy")).hasValue(1.0);
        soft.assertThat(scraped.value("checkpoint_database_up")).hasValue(1.0);
        soft.assertThat(scraped.value("pihole_config_info", "config_id=1", "config_name=Home")).as("read from the database: left out").isEmpty();
      }
      soft.assertThat(health.body()).as("/health while the check-ins are locked").doesNotContain("\"status\":\"ok\"").contains("database busy");
      soft.assertAll();

      PrometheusParser after = PrometheusParser.parse(app.get("/metrics").body());
      assertThat(after.value("checkpoint_database_busy")).as("once the lock is let go").hasValue(0.0);
      assertThat(after.value("pihole_config_info", "config_id=1", "config_name=Home")).hasValue(1.0);
    }
  }
}
