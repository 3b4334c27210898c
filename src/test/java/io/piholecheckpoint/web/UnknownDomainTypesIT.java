package io.piholecheckpoint.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.piholecheckpoint.testing.FakePihole;
import io.piholecheckpoint.testing.Fixtures;
import io.piholecheckpoint.testing.InProcessApp;
import io.piholecheckpoint.testing.TestArchives;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A backup of a Pi-hole whose domain list holds types Pi-hole does not define (a newer one's, or damaged rows): the
 * contents page lists them by their number, so the counts the API and the pages give include them. Fixture a holds
 * three domains of the known types.
 */
class UnknownDomainTypesIT {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir
  Path dir;

  @Test
  void aBackupCountsEveryDomainWhateverItsType() throws Exception {
    try (FakePihole pihole = FakePihole.builder().password("labpass").archive(TestArchives.withDomainsOfTypes(Fixtures.archiveA(), 7, 9, 0))
            .start();
        InProcessApp app = InProcessApp.start(dir.resolve("data"), dir.resolve("backups"),
            Map.of("PIHOLE_HOME_URL", pihole.url(), "PIHOLE_HOME_PASSWORD", "labpass"))) {
      long instance = JSON.readTree(app.get("/api/v1/instances").body()).at("/instances/0/id").asLong();

      JsonNode backup = JSON.readTree(app.post("/api/v1/instances/" + instance + "/backups?wait=true").body());

      assertThat(backup.get("status").asText()).isEqualTo("success");
      long id = backup.get("id").asLong();
      assertThat(app.get("/backups/" + id).body()).as("the contents page").contains("Domains (6)");
      assertThat(backup.get("contents").asText()).contains("6 domains");
      assertThat(app.get("/instances/" + instance).body()).as("the instance page, as stored").contains("6 domains");
      JsonNode summary = JSON.readTree(app.get("/api/v1/backups/" + id).body()).get("summary");
      assertThat(summary.at("/allowExact").asInt()).isEqualTo(2);
      assertThat(summary.at("/otherDomains").asInt()).isEqualTo(2);
      assertThat(summary.at("/domains").asInt()).as("every domain, as stored").isEqualTo(6);
    }
  }
}
