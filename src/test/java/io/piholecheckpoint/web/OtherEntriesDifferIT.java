package io.piholecheckpoint.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.piholecheckpoint.testing.Fixtures;
import io.piholecheckpoint.testing.InProcessApp;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Two backups whose lists and settings are equal but whose etc/hosts and dhcp.leases differ: the
 * history row, the diff page and the diff API all name those entries, never their contents.
 */
class OtherEntriesDifferIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String SECRET_LEASE = "1733000000 aa:bb:cc:dd:ee:ff 192.168.1.77 secret-laptop *";
  private static Path dir;
  private static InProcessApp app;
  private static long before;
  private static long after;

  @BeforeAll
  static void start() throws Exception {
    dir = Files.createTempDirectory("other-entries");
    app = InProcessApp.start(dir.resolve("data"), dir.resolve("backups"), Map.of("PIHOLE_HOME_URL", "http://127.0.0.1:9",
        "PIHOLE_HOME_ACTIVE", "false"));
    before = imported(Fixtures.archiveA());
    after = imported(withEntries(Fixtures.archiveA(), Map.of("etc/hosts", "127.0.0.1 localhost\n192.168.1.5 only-in-hosts-7f3a.lan\n",
        "etc/pihole/dhcp.leases", SECRET_LEASE + "\n")));
  }

  @AfterAll
  static void stop() {
    app.close();
  }

  @Test
  void theHistoryRowTheDiffPageAndTheApiNameTheSameEntries() throws Exception {
    JsonNode backups = JSON.readTree(app.get("/api/v1/instances/1/backups").body());
    String row = backups.findValues("changes").stream().map(JsonNode::asText).filter(c -> c.contains("other archive content")).findFirst().orElse("");
    String page = app.get("/backups/" + after + "?diff=" + before).body();
    JsonNode api = JSON.readTree(app.get("/api/v1/backups/" + after + "/diff?against=" + before).body());

    assertThat(row).isEqualTo("no list or setting changes; other archive content differs: etc/hosts, etc/pihole/dhcp.leases changed");
    assertThat(page).doesNotContain("No differences.").contains("<bdi>etc/hosts</bdi> (changed)").contains("<bdi>etc/pihole/dhcp.leases</bdi> (changed)")
        .doesNotContain("secret-laptop").doesNotContain("only-in-hosts-7f3a");
    assertThat(api.get("otherEntries").toString())
        .isEqualTo("[{\"name\":\"etc/hosts\",\"change\":\"changed\"},{\"name\":\"etc/pihole/dhcp.leases\",\"change\":\"changed\"}]");
    assertThat(api.toString()).doesNotContain("secret-laptop");
  }

  @Test
  void equalArchivesStillHaveNoDifferences() throws Exception {
    long again = imported(Fixtures.archiveA());

    assertThat(app.get("/backups/" + again + "?diff=" + before).body()).contains("No differences.");
  }

  private static long imported(byte[] archive) throws Exception {
    var response = app.upload("/api/v1/instances/1/backups/import", "file", "x.zip", archive);
    assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
    return JSON.readTree(response.body()).findValue("id").asLong();
  }

  /** The archive with the named entries' contents replaced, everything else byte for byte. */
  private static byte[] withEntries(byte[] archive, Map<String, String> replaced) throws Exception {
    Path source = Files.createTempFile(dir, "source", ".zip");
    Files.write(source, archive);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (ZipFile in = new ZipFile(source.toFile()); ZipOutputStream zip = new ZipOutputStream(out)) {
      for (ZipEntry entry : Collections.list(in.entries())) {
        zip.putNextEntry(new ZipEntry(entry.getName()));
        zip.write(replaced.containsKey(entry.getName()) ? replaced.get(entry.getName()).getBytes(StandardCharsets.UTF_8)
            : in.getInputStream(entry).readAllBytes());
        zip.closeEntry();
      }
    }
    return out.toByteArray();
  }
}
