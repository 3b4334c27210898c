package io.piholecheckpoint.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.piholecheckpoint.testing.Fixtures;
import io.piholecheckpoint.testing.HttpAgent;
import io.piholecheckpoint.testing.InProcessApp;
import io.piholecheckpoint.testing.TestArchives;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/** Uploading a Teleporter archive from elsewhere into an instance's history, and what is refused. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ImportArchiveIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String IMPORT = "/api/v1/instances/1/backups/import";

  @TempDir
  static Path dir;

  private InProcessApp app;

  @BeforeAll
  void start() throws Exception {
    app = InProcessApp.start(dir.resolve("data"), dir.resolve("backups"), Map.of("PIHOLE_HOME_URL", "http://127.0.0.1:9"));
  }

  @AfterAll
  void stop() {
    app.close();
  }

  private JsonNode error(HttpResponse<String> response) throws Exception {
    return JSON.readTree(response.body()).get("error");
  }

  private long archivesOnDisk() throws Exception {
    try (Stream<Path> files = Files.list(dir.resolve("backups"))) {
      return files.filter(p -> p.toString().endsWith(".zip")).count();
    }
  }

  @Test
  void addsAnUploadedArchiveToTheHistory() throws Exception {
    HttpResponse<String> response = app.upload(IMPORT, "file", "pi-hole_teleporter.zip", Fixtures.archiveA());

    assertThat(response.statusCode()).isEqualTo(201);
    JsonNode backup = JSON.readTree(response.body());
    assertThat(backup.get("trigger").asText()).isEqualTo("imported");
    assertThat(backup.at("/summary/adlists").asInt()).isEqualTo(2);
    assertThat(app.download("/backups/" + backup.get("id").asLong() + "/download").body()).isEqualTo(Fixtures.archiveA());
    try (Stream<Path> files = Files.walk(dir.resolve("backups"))) {
      assertThat(files.filter(Files::isRegularFile).map(p -> p.getFileName().toString()).filter(n -> !n.equals(".owner")))
          .as("no upload buffers or temporary copies left behind").allMatch(n -> n.endsWith(".zip"));
    }
  }

  /**
   * The archive names the FTL version that wrote it; an archive that does not say keeps none. An app of its own: the
   * second import is diffed against the first, and the index files that leaves are no concern of the other tests.
   */
  @Test
  void keepsThePiholeVersionTheArchiveNames(@TempDir Path own) throws Exception {
    String text = new String(TestArchives.entry(Fixtures.archiveB(), "etc/pihole/pihole.toml"), StandardCharsets.UTF_8);
    byte[] unnamed = TestArchives.replaced(Fixtures.archiveB(), "etc/pihole/pihole.toml",
        text.substring(text.indexOf('\n') + 1).getBytes(StandardCharsets.UTF_8));
    try (InProcessApp versions = InProcessApp.start(own.resolve("data"), own.resolve("backups"), Map.of("PIHOLE_HOME_URL", "http://127.0.0.1:9"))) {

      JsonNode named = JSON.readTree(versions.upload(IMPORT, "file", "a.zip", Fixtures.archiveA()).body());
      JsonNode silent = JSON.readTree(versions.upload(IMPORT, "file", "b.zip", unnamed).body());

      assertThat(named.get("piholeVersion").asText()).isEqualTo("v6.4.1");
      JsonNode stored = JSON.readTree(versions.get("/api/v1/backups/" + named.get("id").asLong()).body());
      assertThat(stored.get("piholeVersion").asText()).as("as recorded, read back").isEqualTo("v6.4.1");
      assertThat(stored.at("/versions/ftl").asText()).isEqualTo("v6.4.1");
      assertThat(silent.get("piholeVersion").isNull()).as(silent.toString()).isTrue();
    }
  }

  /**
   * Outsider 34: the API had a backup's Pi-hole version, the pages showed none. An instance known only from an imported
   * archive (its Pi-hole never reached) shows its latest backup's on its page, and each backup its own, in its row and on its page.
   */
  @Test
  void thePagesShowTheVersionsOfThePiholeABackupWasTakenFrom(@TempDir Path own) throws Exception {
    try (InProcessApp versions = InProcessApp.start(own.resolve("data"), own.resolve("backups"), Map.of("PIHOLE_HOME_URL", "http://127.0.0.1:9"))) {
      long id = JSON.readTree(versions.upload(IMPORT, "file", "a.zip", Fixtures.archiveA()).body()).get("id").asLong();

      String instancePage = versions.get("/instances/1").body();
      String backupPage = versions.get("/backups/" + id).body();

      assertThat(instancePage).containsPattern("<small data-latest-backup-version>latest backup: [^<]*FTL v6\\.4\\.1[^<]*</small>")
          .containsPattern("data-backup=\"" + id + "\">\\s*<td>.*<small class=\"version\" data-pihole-version[^>]*>FTL v6\\.4\\.1</small></td>");
      assertThat(backupPage).containsPattern("<p class=\"note\" data-pihole-version>Taken from Pi-hole [^<]*FTL v6\\.4\\.1[^<]*</p>");
    }
  }

  /**
   * A browser's upload (a form with enctype=multipart/form-data, curl -F _csrf=… -F file=@… with the cookie): its _csrf part
   * is not read, so the refusal says to send the token as the X-CSRF-Token header, and with it the same upload is taken.
   */
  @Test
  void aBrowsersUploadTakesItsCsrfTokenFromTheHeaderAndSaysSoWhenOnlyThePartHasIt() throws Exception {
    HttpAgent browser = new HttpAgent(app);
    browser.get("/");
    String boundary = "b0undary";
    java.io.ByteArrayOutputStream body = new java.io.ByteArrayOutputStream();
    body.writeBytes(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"_csrf\"\r\n\r\n" + browser.csrfToken() + "\r\n--" + boundary
        + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"pi-hole_teleporter.zip\"\r\nContent-Type: application/zip\r\n\r\n")
        .getBytes(StandardCharsets.UTF_8));
    body.writeBytes(Fixtures.archiveA());
    body.writeBytes(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
    long before = archivesOnDisk();

    HttpResponse<String> partOnly = browser.sendBytes("POST", IMPORT, "multipart/form-data; boundary=" + boundary, body.toByteArray(),
        "Origin", app.url(""));

    assertThat(partOnly.statusCode()).as(partOnly.body()).isEqualTo(403);
    assertThat(error(partOnly).get("message").asText()).contains("X-CSRF-Token header", "_csrf part is not read");
    assertThat(archivesOnDisk()).isEqualTo(before);

    HttpResponse<String> withHeader = browser.sendBytes("POST", IMPORT, "multipart/form-data; boundary=" + boundary, body.toByteArray(),
        "Origin", app.url(""), "X-CSRF-Token", browser.csrfToken());

    assertThat(withHeader.statusCode()).as(withHeader.body()).isEqualTo(201);
  }

  @Test
  void refusesWhatIsNotAZip() throws Exception {
    long before = archivesOnDisk();

    HttpResponse<String> response = app.upload(IMPORT, "file", "notes.zip", "hello".getBytes(StandardCharsets.UTF_8));

    assertThat(response.statusCode()).isEqualTo(422);
    assertThat(error(response).get("message").asText()).contains("not a ZIP archive");
    assertThat(archivesOnDisk()).isEqualTo(before);
  }

  @Test
  void refusesAZipThatIsNotATeleporterArchive() throws Exception {
    HttpResponse<String> response = app.upload(IMPORT, "file", "other.zip", TestArchives.zip("readme.txt", "hi".getBytes(StandardCharsets.UTF_8)));

    assertThat(response.statusCode()).isEqualTo(422);
    assertThat(error(response).get("message").asText()).contains("has no etc/pihole/pihole.toml");
  }

  @Test
  void refusesEntriesThatWouldEscapeADirectory() throws Exception {
    HttpResponse<String> response = app.upload(IMPORT, "file", "evil.zip", TestArchives.zip("../../etc/pihole/pihole.toml", new byte[10]));

    assertThat(response.statusCode()).isEqualTo(422);
    assertThat(error(response).get("message").asText()).contains("unsafe path");
  }

  @Test
  void refusesAZipBomb() throws Exception {
    byte[] bomb = TestArchives.zip("etc/pihole/gravity.db", new byte[300 * 1024 * 1024]); // pihole.toml has its own, lower cap

    HttpResponse<String> response = app.upload(IMPORT, "file", "bomb.zip", bomb);

    assertThat(bomb.length).isLessThan(1024 * 1024);
    assertThat(response.statusCode()).isEqualTo(422);
    assertThat(error(response).get("message").asText()).contains("ZIP bomb");
  }

  @Test
  void refusesMoreThan50MiBBeforeReadingIt() throws Exception {
    String status = app.statusLineOfHead("POST " + IMPORT + " HTTP/1.1\nHost: 127.0.0.1\nContent-Type: multipart/form-data; boundary=b\n"
        + "Content-Length: " + 51 * 1024 * 1024 + "\nConnection: close\n");

    assertThat(status).isEqualTo("HTTP/1.1 413 Payload Too Large");
  }

  @Test
  void saysWhichFieldToUse() throws Exception {
    HttpResponse<String> response = app.upload(IMPORT, "archive", "a.zip", Fixtures.archiveA());

    assertThat(response.statusCode()).isEqualTo(400);
    assertThat(error(response).get("message").asText()).contains("field named 'file'");
  }

  /** Two archives in one upload: the first was kept without a word. Refused, naming the field, nothing kept. */
  @Test
  void refusesTheFileFieldTwice() throws Exception {
    long before = archivesOnDisk();

    HttpResponse<String> response = multipart(new String[] {"file", "a.zip"}, Fixtures.archiveA(), new String[] {"file", "b.zip"}, Fixtures.archiveA());

    assertThat(response.statusCode()).as(response.body()).isEqualTo(400);
    assertThat(error(response).get("code").asText()).isEqualTo("duplicate_field");
    assertThat(error(response).get("field").asText()).isEqualTo("file");
    assertThat(error(response).get("message").asText()).contains("'file' came twice");
    assertThat(archivesOnDisk()).isEqualTo(before);
  }

  /** A part nobody reads was ignored: refused, naming it. */
  @Test
  void refusesAPartItDoesNotRead() throws Exception {
    long before = archivesOnDisk();

    HttpResponse<String> response = multipart(new String[] {"file", "a.zip"}, Fixtures.archiveA(), new String[] {"comment", null},
        "keep this one".getBytes(StandardCharsets.UTF_8));

    assertThat(response.statusCode()).as(response.body()).isEqualTo(400);
    assertThat(error(response).get("code").asText()).isEqualTo("unknown_field");
    assertThat(error(response).get("field").asText()).isEqualTo("comment");
    assertThat(error(response).get("message").asText()).contains("'comment'", "field named 'file'");
    assertThat(archivesOnDisk()).isEqualTo(before);
  }

  /** A name held twice made ZipFile read one entry's bytes for both: it was called a failed CRC check. */
  @Test
  void saysAnEntryHeldTwiceIsHeldTwice() throws Exception {
    java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
    try (java.util.zip.ZipOutputStream zip = new java.util.zip.ZipOutputStream(bytes)) {
      for (String name : new String[] {"etc/pihole/pihole.toml", "etc/pihole/pihole.tomX"}) { // ZipOutputStream refuses the same name twice
        zip.putNextEntry(new java.util.zip.ZipEntry(name));
        zip.write(("[dns]\n# " + name.length() + name.hashCode() + "\n").getBytes(StandardCharsets.UTF_8));
        zip.closeEntry();
      }
    }
    byte[] twice = new String(bytes.toByteArray(), StandardCharsets.ISO_8859_1).replace("pihole.tomX", "pihole.toml")
        .getBytes(StandardCharsets.ISO_8859_1); // the second name, in its local header and the central directory

    HttpResponse<String> response = app.upload(IMPORT, "file", "twice.zip", twice);

    assertThat(response.statusCode()).as(response.body()).isEqualTo(422);
    assertThat(error(response).get("message").asText()).contains("holds the entry etc/pihole/pihole.toml twice").doesNotContain("CRC");
  }

  /** A multipart body of the given parts: each a {name, file name or null} and its bytes. */
  private HttpResponse<String> multipart(Object... parts) throws Exception {
    String boundary = "----checkpoint" + System.nanoTime();
    java.io.ByteArrayOutputStream body = new java.io.ByteArrayOutputStream();
    for (int i = 0; i < parts.length; i += 2) {
      String[] names = (String[]) parts[i];
      body.writeBytes(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + names[0] + "\""
          + (names[1] == null ? "" : "; filename=\"" + names[1] + "\"\r\nContent-Type: application/zip") + "\r\n\r\n").getBytes(StandardCharsets.UTF_8));
      body.writeBytes((byte[]) parts[i + 1]);
      body.writeBytes("\r\n".getBytes(StandardCharsets.UTF_8));
    }
    body.writeBytes(("--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
    return InProcessApp.HTTP.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(app.url(IMPORT)))
        .header("Content-Type", "multipart/form-data; boundary=" + boundary).header("Accept", "application/json")
        .POST(java.net.http.HttpRequest.BodyPublishers.ofByteArray(body.toByteArray())).build(), HttpResponse.BodyHandlers.ofString());
  }

  /** BACKUP_DIR on a real 2 MiB tmpfs (needs root; skipped elsewhere): a 4 MB upload cannot be buffered. Our disk, not the client's request. */
  @Test
  void anUploadThatFindsTheDiskFullIsA503StorageErrorNotABadRequest() throws Exception {
    Path mount = Files.createDirectories(dir.resolve("tiny"));
    org.junit.jupiter.api.Assumptions.assumeTrue(run("mount", "-t", "tmpfs", "-o", "size=2m", "tmpfs", mount.toString()), "mounting a tmpfs needs root");
    try (InProcessApp small = InProcessApp.start(dir.resolve("data-tiny"), mount, Map.of("PIHOLE_HOME_URL", "http://127.0.0.1:9"))) {
      byte[] big = new byte[4 * 1024 * 1024];
      new java.util.Random(12).nextBytes(big);

      HttpResponse<String> response = small.upload(IMPORT, "file", "big.zip", big);

      assertThat(response.statusCode()).isEqualTo(503);
      assertThat(error(response).get("code").asText()).isEqualTo("storage_error");
      assertThat(error(response).get("message").asText()).contains("not enough space in BACKUP_DIR");
    } finally {
      run("umount", mount.toString());
    }
  }

  private static boolean run(String... command) throws Exception {
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    p.getInputStream().readAllBytes();
    return p.waitFor() == 0;
  }
}
