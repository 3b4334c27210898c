package io.piholecheckpoint.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.piholecheckpoint.testing.Eventually;
import io.piholecheckpoint.testing.FakePihole;
import io.piholecheckpoint.testing.Fixtures;
import io.piholecheckpoint.testing.InProcessApp;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The job a client polls while a manual backup downloads: its bytes rise while the archive arrives, not only at the end. */
class BackupProgressIT {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir
  java.nio.file.Path dir;

  @Test
  void aSlowExportShowsItsBytesRisingAndTheSizeToExpect() throws Exception {
    try (FakePihole pihole = FakePihole.start("labpass");
         InProcessApp app = InProcessApp.start(dir.resolve("data"), dir.resolve("backups"),
             Map.of("PIHOLE_HOME_URL", pihole.url(), "PIHOLE_HOME_PASSWORD", "labpass"))) {
      assertThat(app.post("/api/v1/instances/1/backups?wait=true").statusCode()).isEqualTo(201); // gives the size to expect
      pihole.exportAnswer(FakePihole.ExportAnswer.TRICKLE);

      String job = JSON.readTree(app.post("/api/v1/instances/1/backups").body()).at("/job/url").asText();
      List<JsonNode> seen = new ArrayList<>();
      Eventually.until("the job is done", Duration.ofSeconds(30), () -> {
        JsonNode now = JSON.readTree(app.get(job).body());
        seen.add(now);
        Thread.sleep(50);
        return now.get("state").asText().equals("done");
      });

      long total = Fixtures.archiveA().length;
      assertThat(seen).as("polled while downloading, some bytes but not all").anySatisfy(s -> {
        assertThat(s.get("state").asText()).isEqualTo("downloading");
        assertThat(s.get("bytes").asLong()).isBetween(1L, total - 1);
      });
      assertThat(seen.get(seen.size() - 1).get("bytes").asLong()).isEqualTo(total);
      assertThat(seen.get(seen.size() - 1).get("expectedBytes").asLong()).isEqualTo(total);
    }
  }
}
