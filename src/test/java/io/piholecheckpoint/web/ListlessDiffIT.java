package io.piholecheckpoint.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.piholecheckpoint.testing.Fixtures;
import io.piholecheckpoint.testing.InProcessApp;
import io.piholecheckpoint.testing.TestArchives;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A backup whose archive holds no gravity.db (an uploaded config-only Teleporter archive) compared with one that does: its
 * lists are unknown, not removed. The diff page and the diff API say the lists were not compared and why, as the history's
 * change line does, in either direction, and refuse to page a list "removed" item by item.
 */
class ListlessDiffIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static Path dir;
  private static InProcessApp app;
  private static long full;
  private static long listless;

  @BeforeAll
  static void start() throws Exception {
    dir = Files.createTempDirectory("listless-diff");
    app = InProcessApp.start(dir.resolve("data"), dir.resolve("backups"), Map.of("PIHOLE_HOME_URL", "http://127.0.0.1:9",
        "PIHOLE_HOME_ACTIVE", "false"));
    full = imported(Fixtures.archiveA());
    listless = imported(TestArchives.withoutGravity(Fixtures.archiveA()));
  }

  @AfterAll
  static void stop() {
    app.close();
  }

  @Test
  void theDiffPageSaysTheListsWereNotComparedInsteadOfCountingThemRemoved() throws Exception {
    String page = app.get("/backups/" + listless + "?diff=" + full).body();
    String reversed = app.get("/backups/" + full + "?diff=" + listless).body();

    assertThat(page).contains("data-lists-not-compared").contains("backup " + listless + " holds no gravity.db")
        .doesNotContain("data-diff-counts=\"domains\"").doesNotContain("data-diff-counts=\"adlists\"").doesNotContain(" removed, ");
    assertThat(reversed).contains("data-lists-not-compared").contains("backup " + listless + " holds no gravity.db")
        .doesNotContain("data-diff-counts=\"domains\"").doesNotContain(" added, ");
  }

  @Test
  void theDiffApiSaysTheSameAndCountsNoList() throws Exception {
    JsonNode api = JSON.readTree(app.get("/api/v1/backups/" + listless + "/diff?against=" + full).body());

    assertThat(api.get("listsNotCompared").asText()).startsWith("backup " + listless + " holds no gravity.db")
        .contains("groups, adlists, domains and clients");
    assertThat(api.get("categories").has("domains")).as(api.toString()).isFalse();
    assertThat(api.get("categories").has("dnsRecords")).as("local DNS is in pihole.toml, which both hold").isTrue();
  }

  @Test
  void aListOfTheDiffIsNotPagedAsRemoved() throws Exception {
    var api = app.get("/api/v1/backups/" + listless + "/diff?against=" + full + "&category=domains&change=removed");
    var page = app.get("/backups/" + listless + "?diff=" + full + "&category=domains&change=removed");

    assertThat(api.statusCode()).as(api.body()).isEqualTo(409);
    assertThat(JSON.readTree(api.body()).get("error").get("message").asText()).contains("backup " + listless + " holds no gravity.db");
    assertThat(page.statusCode()).isEqualTo(409);
    assertThat(page.body()).contains("holds no gravity.db");
  }

  @Test
  void twoBackupsWithListsStillCompareTheirLists() throws Exception {
    JsonNode api = JSON.readTree(app.get("/api/v1/backups/" + full + "/diff?against=" + full).body());

    assertThat(api.get("listsNotCompared").isNull()).as(api.toString()).isTrue();
    assertThat(api.get("categories").has("domains")).isTrue();
  }

  private static long imported(byte[] archive) throws Exception {
    var response = app.upload("/api/v1/instances/1/backups/import", "file", "x.zip", archive);
    assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
    return JSON.readTree(response.body()).findValue("id").asLong();
  }
}
