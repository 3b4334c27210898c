package io.piholecheckpoint.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.piholecheckpoint.testing.Eventually;
import io.piholecheckpoint.testing.FakePihole;
import io.piholecheckpoint.testing.FaultProxy;
import io.piholecheckpoint.testing.InProcessApp;
import io.piholecheckpoint.testing.OffsiteServers;
import io.piholecheckpoint.testing.OffsiteServers.Kind;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Destinations added through {@code /api/v1/offsite} beside one of the environment: checked by the
 * same rules (409 for a name of the environment's, 422 for a place taken, 400 for what is malformed,
 * 404 for an unknown one), put in use without a restart, kept across one, and their secrets never
 * shown in an answer, a page, the log or the database.
 */
class OffsiteDestinationsApiIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String PASSPHRASE = "a passphrase for off-site copies";

  @TempDir
  Path dir;
  private FakePihole pihole;
  private InProcessApp app;

  @BeforeEach
  void start() throws Exception {
    Files.createDirectories(dir.resolve("env-nas"));
    Files.createDirectories(dir.resolve("ui-nas"));
    pihole = FakePihole.start("labpass");
    app = start(Map.of());
  }

  private InProcessApp start(Map<String, String> more) throws Exception {
    Map<String, String> env = new HashMap<>(Map.of("PIHOLE_HOME_URL", pihole.url(), "PIHOLE_HOME_PASSWORD", "labpass",
        "BACKUP_ENCRYPTION_PASSPHRASE", PASSPHRASE, "OFFSITE_ENVNAS_URL", dir.resolve("env-nas").toUri().toString(),
        // the copies after a restart are made by the first off-site run: at once, not 10 s on, when no network has to settle
        "OFFSITE_FIRST_RUN_SECONDS", "0"));
    env.putAll(more);
    return InProcessApp.start(dir.resolve("data"), dir.resolve("backups"), env);
  }

  @AfterEach
  void stop() throws Exception {
    if (app != null) {
      app.close();
    }
    pihole.close();
  }

  private HttpResponse<String> send(String method, String path, Map<String, ?> body) throws Exception {
    return app.send(method, path, body == null ? null : JSON.writeValueAsString(body));
  }

  private JsonNode listed(String name) throws Exception {
    for (JsonNode d : JSON.readTree(app.get("/api/v1/offsite").body()).get("destinations")) {
      if (d.get("name").asText().equals(name)) {
        return d;
      }
    }
    return null;
  }

  private long backUp() throws Exception {
    String job = JSON.readTree(app.post("/api/v1/instances/1/backups").body()).at("/job/url").asText();
    Eventually.until("the backup is done", Duration.ofSeconds(60), () -> JSON.readTree(app.get(job).body()).get("state").asText().equals("done"));
    return JSON.readTree(app.get(job).body()).get("backupId").asLong();
  }

  private JsonNode copyAt(long backup, String destination) throws Exception {
    for (JsonNode c : JSON.readTree(app.get("/api/v1/backups/" + backup).body()).get("offsite")) {
      if (c.get("destination").asText().equals(destination)) {
        return c;
      }
    }
    return null;
  }

  private boolean verifiedAt(long backup, String destination) throws Exception {
    JsonNode copy = copyAt(backup, destination);
    return copy != null && copy.get("state").asText().equals("verified");
  }

  @Test
  void aFileDestinationAddedThroughTheApiTakesCopiesWithoutARestart() throws Exception {
    HttpResponse<String> created = send("POST", "/api/v1/offsite", Map.of("name", "usb", "url", dir.resolve("ui-nas").toUri().toString(),
        "maxBackups", 5));

    assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
    assertThat(created.headers().firstValue("Location")).hasValue("/api/v1/offsite/USB");
    JsonNode usb = JSON.readTree(created.body());
    assertThat(usb.get("source").asText()).isEqualTo("settings");
    assertThat(usb.at("/settings/maxBackups").isInt()).as("a number, as it was sent").isTrue();
    assertThat(usb.at("/settings/maxBackups").asInt()).isEqualTo(5);
    HttpResponse<String> sentBack = send("PUT", "/api/v1/offsite/USB", JSON.convertValue(usb.get("settings"), Map.class));
    assertThat(sentBack.statusCode()).as("the settings as answered are a request: " + sentBack.body()).isEqualTo(200);
    assertThat(listed("ENVNAS").get("source").asText()).isEqualTo("environment");
    long backup = backUp();
    Eventually.until("the copy at USB is verified", Duration.ofSeconds(90),
        () -> copyAt(backup, "USB") != null && copyAt(backup, "USB").get("state").asText().equals("verified"));
    try (Stream<Path> files = Files.walk(dir.resolve("ui-nas"))) {
      assertThat(files.map(Path::toString)).anyMatch(f -> f.endsWith(".zip.gpg"));
    }
  }

  @Test
  void anSftpDestinationWithAPastedKeyAndAPinnedHostKeyPassesItsTestBeforeAndAfterItIsSaved() throws Exception {
    try (OffsiteServers.Server sftp = OffsiteServers.start(Kind.SFTP, dir.resolve("sftp"))) {
      Map<String, String> variables = sftp.variables("X", "checkpoint");
      Map<String, Object> body = new LinkedHashMap<>(Map.of("name", "box", "url", variables.get("OFFSITE_X_URL"),
          "privateKey", Files.readString(Path.of(variables.get("OFFSITE_X_PRIVATE_KEY_FILE"))), "hostKey", variables.get("OFFSITE_X_HOST_KEY")));

      HttpResponse<String> unsaved = send("POST", "/api/v1/offsite/test", body);

      assertThat(unsaved.statusCode()).as(unsaved.body()).isEqualTo(200);
      assertThat(listed("BOX")).as("a Test saves nothing").isNull();
      assertThat(send("POST", "/api/v1/offsite", body).statusCode()).isEqualTo(201);
      HttpResponse<String> saved = app.post("/api/v1/offsite/BOX/test");
      assertThat(saved.statusCode()).as(saved.body()).isEqualTo(200);
      assertThat(JSON.readTree(saved.body()).at("/test/ok").asBoolean()).isTrue();
      assertThat(listed("BOX").get("secretsSet").toString()).isEqualTo("[\"privateKey\"]");
      body.put("hostKey", "SHA256:" + "A".repeat(43));
      HttpResponse<String> mismatch = send("POST", "/api/v1/offsite/test", body);
      assertThat(mismatch.statusCode()).as(mismatch.body()).isEqualTo(422);
      assertThat(JSON.readTree(mismatch.body()).at("/error/code").asText()).isEqualTo("host_key_mismatch");
    }
  }

  /** A NAS share that is not mounted: its folder is not there, and the Test says so and makes none (the server's disk would fill). */
  @Test
  void anSftpDestinationWhoseFolderIsNotThereFailsItsTestNamingTheFolderAndNothingIsMade() throws Exception {
    try (OffsiteServers.Server sftp = OffsiteServers.start(Kind.SFTP, dir.resolve("sftp"))) {
      Map<String, String> variables = sftp.variables("X", "share");
      Path folder = sftp.stored("share").resolve("checkpoint");
      Map<String, Object> body = Map.of("name", "box", "url", variables.get("OFFSITE_X_URL") + "/checkpoint",
          "privateKey", Files.readString(Path.of(variables.get("OFFSITE_X_PRIVATE_KEY_FILE"))), "hostKey", variables.get("OFFSITE_X_HOST_KEY"));

      HttpResponse<String> test = send("POST", "/api/v1/offsite/test", body);

      assertThat(test.statusCode()).as(test.body()).isEqualTo(503);
      JsonNode answer = JSON.readTree(test.body());
      assertThat(answer.at("/error/code").asText()).isEqualTo("unreachable");
      assertThat(answer.at("/test/step").asText()).isEqualTo("write");
      assertThat(answer.at("/error/message").asText()).contains("the folder " + folder + " is not on", "Create the folder (or mount it)");
      assertThat(folder).doesNotExist();
    }
  }

  /**
   * A store that takes the connection and never answers: the Test answers with the timeout error after its configured timeout,
   * once, not once per try of the SDK (whose tries took 9.5 s). Said by what happened, not by a wall clock a loaded machine
   * stretches: one connection made (a try of the SDK's own is another), and the Test waited the configured 3 s at least.
   */
  @Test
  void aStalledS3DestinationsTestAnswersWithTheTimeoutAfterOneTryOfItsConfiguredTimeout() throws Exception {
    try (FaultProxy stalled = FaultProxy.to("127.0.0.1", 9)) {
      stalled.stall();
      Map<String, Object> body = Map.of("name", "bucket", "url", "s3://checkpoint/pihole", "endpoint", "http://127.0.0.1:" + stalled.port(),
          "accessKeyId", "AKIDEXAMPLE", "secretAccessKey", "a-secret-never-shown", "pathStyle", true, "timeoutSeconds", 3);

      HttpResponse<String> test = send("POST", "/api/v1/offsite/test", body);

      assertThat(test.statusCode()).as(test.body()).isEqualTo(503);
      JsonNode answer = JSON.readTree(test.body());
      assertThat(answer.at("/error/code").asText()).isEqualTo("timeout");
      assertThat(answer.at("/test/step").asText()).isEqualTo("write");
      assertThat(stalled.connections()).as("one try: the SDK did not try again after the timeout").isEqualTo(1);
      assertThat(answer.at("/test/millis").asLong()).as("it waited for the configured timeout").isGreaterThanOrEqualTo(2_900);
    }
  }

  @Test
  void whatTheRulesRefuseIsAnsweredWithTheStatusOfTheFaultAndNothingIsStored() throws Exception {
    String envPlace = dir.resolve("env-nas").toUri().toString();

    HttpResponse<String> clash = send("POST", "/api/v1/offsite", Map.of("name", "envnas", "url", dir.resolve("ui-nas").toUri().toString()));
    HttpResponse<String> overlap = send("POST", "/api/v1/offsite", Map.of("name", "twin", "url", envPlace + "/inner"));
    HttpResponse<String> own = send("POST", "/api/v1/offsite", Map.of("name", "own", "url", dir.resolve("data/copies").toUri().toString()));
    HttpResponse<String> port = send("POST", "/api/v1/offsite", Map.of("name", "far", "url", "sftp://me@nas.lan:99999/x", "password", "p"));
    HttpResponse<String> badName = send("POST", "/api/v1/offsite", Map.of("name", "no spaces", "url", envPlace));
    HttpResponse<String> noUrl = send("POST", "/api/v1/offsite", Map.of("name", "empty"));
    HttpResponse<String> unknownField = send("POST", "/api/v1/offsite", Map.of("name", "odd", "url", envPlace, "bucket", "b"));

    assertThat(clash.statusCode()).as(clash.body()).isEqualTo(409);
    assertThat(overlap.statusCode()).as(overlap.body()).isEqualTo(422);
    assertThat(JSON.readTree(overlap.body()).at("/error/message").asText()).contains("url is the place of OFFSITE_ENVNAS_URL");
    assertThat(own.statusCode()).as(own.body()).isEqualTo(422);
    assertThat(JSON.readTree(own.body()).at("/error/message").asText()).contains("Pi-hole Checkpoint's own folder");
    assertThat(port.statusCode()).as(port.body()).isEqualTo(422);
    assertThat(badName.statusCode()).as(badName.body()).isEqualTo(400);
    assertThat(noUrl.statusCode()).as(noUrl.body()).isEqualTo(400);
    assertThat(unknownField.statusCode()).as(unknownField.body()).isEqualTo(400);
    assertThat(JSON.readTree(app.get("/api/v1/offsite").body()).get("destinations")).hasSize(1);
    assertThat(send("PUT", "/api/v1/offsite/NOPE", Map.of("url", envPlace)).statusCode()).isEqualTo(404);
    assertThat(send("PUT", "/api/v1/offsite/ENVNAS", Map.of("maxBackups", 3)).statusCode()).isEqualTo(409);
    assertThat(send("DELETE", "/api/v1/offsite/ENVNAS", null).statusCode()).isEqualTo(409);
    HttpResponse<String> unknown = send("DELETE", "/api/v1/offsite/NOPE", null);
    assertThat(unknown.statusCode()).isEqualTo(404);
    assertThat(JSON.readTree(unknown.body()).at("/error/message").asText()).as("ENVNAS is there, in the environment")
        .isEqualTo("no off-site destination 'NOPE' was added in Settings (none was; destinations set by OFFSITE_<NAME>_* variables are"
            + " changed in the environment)");
  }

  @Test
  void aLinkToAnotherPlaceIsThatPlaceAndEveryBoundIsAnswered422() throws Exception {
    Path toData = Files.createSymbolicLink(dir.resolve("lnk"), dir.resolve("data"));
    Path toEnv = Files.createSymbolicLink(dir.resolve("env-link"), dir.resolve("env-nas"));

    HttpResponse<String> own = send("POST", "/api/v1/offsite", Map.of("name", "sym1", "url", toData.toUri().toString()));
    HttpResponse<String> twin = send("POST", "/api/v1/offsite", Map.of("name", "sym2", "url", toEnv.toUri().toString()));
    HttpResponse<String> port = send("POST", "/api/v1/offsite", Map.of("name", "dav", "url", "webdav+http://127.0.0.1:0/dav"));
    HttpResponse<String> endpoint = send("POST", "/api/v1/offsite", Map.of("name", "s3", "url", "s3://b/p", "endpoint", "http://127.0.0.1:65536",
        "accessKeyId", "k", "secretAccessKey", "s"));
    HttpResponse<String> hostKey = send("POST", "/api/v1/offsite", Map.of("name", "hk", "url", "webdav+http://127.0.0.1:8080/dav",
        "hostKey", "SHA256:abc"));
    HttpResponse<String> longUrl = send("POST", "/api/v1/offsite", Map.of("name", "long", "url", "file:///mnt/" + "a".repeat(3_000)));

    assertThat(own.statusCode()).as(own.body()).isEqualTo(422);
    assertThat(JSON.readTree(own.body()).at("/error/message").asText()).contains("Pi-hole Checkpoint's own folder");
    assertThat(twin.statusCode()).as(twin.body()).isEqualTo(422);
    assertThat(JSON.readTree(twin.body()).at("/error/message").asText()).contains("url is the place of OFFSITE_ENVNAS_URL");
    assertThat(port.statusCode()).as(port.body()).isEqualTo(422);
    assertThat(JSON.readTree(port.body()).at("/error/message").asText()).contains("url has the port 0");
    assertThat(endpoint.statusCode()).as(endpoint.body()).isEqualTo(422);
    assertThat(JSON.readTree(endpoint.body()).at("/error/message").asText()).contains("endpoint has the port 65536");
    assertThat(hostKey.statusCode()).as(hostKey.body()).isEqualTo(422);
    assertThat(JSON.readTree(hostKey.body()).at("/error/message").asText()).contains("hostKey is a setting of an sftp:// destination only");
    assertThat(longUrl.statusCode()).as(longUrl.body()).isEqualTo(422);
    assertThat(JSON.readTree(app.get("/api/v1/offsite").body()).get("destinations")).hasSize(1);
  }

  @Test
  void anEnvironmentDestinationThroughALinkToDataDirIsDisabledAtStart() throws Exception {
    app.close();
    Path toData = Files.createSymbolicLink(dir.resolve("lnk"), dir.resolve("data"));

    app = start(Map.of("OFFSITE_SYM_URL", toData.toUri().toString()));

    JsonNode sym = listed("SYM");
    assertThat(sym.get("status").asText()).isEqualTo("disabled");
    assertThat(sym.get("error").asText()).contains("OFFSITE_SYM_URL is in (or around)");
  }

  @Test
  void aDestinationThatMovedCopiesAgainToItsNewPlaceInsteadOfCallingTheOldCopiesVerified() throws Exception {
    send("POST", "/api/v1/offsite", Map.of("name", "usb", "url", dir.resolve("ui-nas").toUri().toString()));
    long backup = backUp();
    Eventually.until("the copies are verified", Duration.ofSeconds(90), () -> verifiedAt(backup, "USB") && verifiedAt(backup, "ENVNAS"));

    Files.createDirectories(dir.resolve("ui-moved"));
    Files.createDirectories(dir.resolve("env-moved"));
    HttpResponse<String> moved = send("PUT", "/api/v1/offsite/USB", Map.of("url", dir.resolve("ui-moved").toUri().toString()));
    app.close();
    app = start(Map.of("OFFSITE_ENVNAS_URL", dir.resolve("env-moved").toUri().toString()));

    assertThat(moved.statusCode()).as(moved.body()).isEqualTo(200);
    for (String folder : List.of("ui-moved", "env-moved")) {
      Eventually.until("a copy is made at " + folder, Duration.ofSeconds(90), () -> {
        try (Stream<Path> files = Files.walk(dir.resolve(folder))) {
          return files.anyMatch(f -> f.toString().endsWith(".zip.gpg"));
        } catch (java.io.UncheckedIOException e) {
          // the walk met an upload's .part as the upload renamed it into place (a clean CI's run did): not there yet
          if (e.getCause() instanceof java.nio.file.NoSuchFileException) {
            return false;
          }
          throw e;
        }
      });
    }
    Eventually.until("the new copies are verified", Duration.ofSeconds(90), () -> verifiedAt(backup, "USB") && verifiedAt(backup, "ENVNAS"));
  }

  @Test
  void theEnvironmentWinsANameAddedInSettingsWhichIsListedApartAndCanBeDeleted() throws Exception {
    send("POST", "/api/v1/offsite", Map.of("name", "usb", "url", dir.resolve("ui-nas").toUri().toString()));
    long backup = backUp();
    Eventually.until("the copy at USB is verified", Duration.ofSeconds(90), () -> verifiedAt(backup, "USB"));
    app.close();
    Path envUsb = Files.createDirectories(dir.resolve("env-usb"));

    app = start(Map.of("OFFSITE_USB_URL", envUsb.toUri().toString()));

    List<JsonNode> rows = new ArrayList<>();
    JSON.readTree(app.get("/api/v1/offsite").body()).get("destinations").forEach(d -> {
      if (d.get("name").asText().equals("USB")) {
        rows.add(d);
      }
    });
    assertThat(rows).extracting(d -> d.get("source").asText()).containsExactlyInAnyOrder("environment", "settings");
    JsonNode environment = rows.stream().filter(d -> d.get("source").asText().equals("environment")).findFirst().orElseThrow();
    JsonNode stored = rows.stream().filter(d -> d.get("source").asText().equals("settings")).findFirst().orElseThrow();
    assertThat(environment.get("status").asText()).isNotEqualTo("disabled");
    assertThat(environment.get("where").asText()).contains("env-usb");
    assertThat(environment.path("settings").isObject()).as("nothing of the stored one on the environment's row").isFalse();
    assertThat(stored.get("status").asText()).isEqualTo("disabled");
    assertThat(stored.get("error").asText()).contains("OFFSITE_USB_URL configures a destination named USB in the environment");
    HttpResponse<String> test = app.post("/api/v1/offsite/USB/test");
    assertThat(test.statusCode()).as(test.body()).isEqualTo(200);
    assertThat(JSON.readTree(app.get("/health").body()).get("status").asText()).isNotEqualTo("degraded");
    Eventually.until("the environment's USB copies to its own place, not inheriting the stored one's copy", Duration.ofSeconds(90), () -> {
      try (Stream<Path> files = Files.walk(envUsb)) {
        return files.anyMatch(f -> f.toString().endsWith(".zip.gpg"));
      }
    });
    HttpResponse<String> deleted = send("DELETE", "/api/v1/offsite/USB", null);
    assertThat(deleted.statusCode()).as(deleted.body()).isEqualTo(204);
    assertThat(listed("USB").get("source").asText()).isEqualTo("environment");
    Eventually.until("the environment's copy is verified", Duration.ofSeconds(90), () -> verifiedAt(backup, "USB"));
    assertThat(send("DELETE", "/api/v1/offsite/USB", null).statusCode()).as("the environment's stays").isEqualTo(409);
  }

  @Test
  void deletingKeepsTheCopiesThereAndDropsTheirRecordsHere() throws Exception {
    send("POST", "/api/v1/offsite", Map.of("name", "usb", "url", dir.resolve("ui-nas").toUri().toString()));
    long backup = backUp();
    Eventually.until("the copy at USB is verified", Duration.ofSeconds(90),
        () -> copyAt(backup, "USB") != null && copyAt(backup, "USB").get("state").asText().equals("verified"));

    HttpResponse<String> deleted = send("DELETE", "/api/v1/offsite/USB", null);

    assertThat(deleted.statusCode()).as(deleted.body()).isEqualTo(204);
    assertThat(listed("USB")).isNull();
    assertThat(copyAt(backup, "USB")).isNull();
    try (Stream<Path> files = Files.walk(dir.resolve("ui-nas"))) {
      assertThat(files.map(Path::toString)).as("the copy there is kept").anyMatch(f -> f.endsWith(".zip.gpg"));
    }
  }

  @Test
  void aStoredDestinationThatTheEnvironmentNowOverlapsIsDisabledAtStartAndTheStartGoesOn() throws Exception {
    send("POST", "/api/v1/offsite", Map.of("name", "usb", "url", dir.resolve("ui-nas").toUri().toString()));
    app.close();

    app = start(Map.of("OFFSITE_DISK_URL", dir.resolve("ui-nas").toUri().toString()));

    JsonNode usb = listed("USB");
    assertThat(usb.get("status").asText()).isEqualTo("disabled");
    assertThat(usb.get("error").asText()).contains("url is the place of OFFSITE_DISK_URL");
    assertThat(listed("DISK").get("status").asText()).isNotEqualTo("disabled");
    assertThat(JSON.readTree(app.get("/health").body()).get("status").asText()).isEqualTo("degraded");
  }

  @Test
  void aDestinationsSecretIsNeverShownLoggedOrStoredInTheClear() throws Exception {
    try (OffsiteServers.Server webdav = OffsiteServers.start(Kind.WEBDAV, dir.resolve("dav"))) {
      Map<String, String> v = webdav.variables("X", "checkpoint");
      String password = v.get("OFFSITE_X_PASSWORD");
      StringBuilder seen = new StringBuilder();

      HttpResponse<String> created = send("POST", "/api/v1/offsite", Map.of("name", "dav", "url", v.get("OFFSITE_X_URL"), "user",
          v.get("OFFSITE_X_USER"), "password", password));
      HttpResponse<String> kept = send("PUT", "/api/v1/offsite/DAV", Map.of("password", "", "maxBackups", 4));
      HttpResponse<String> tested = app.post("/api/v1/offsite/DAV/test");

      assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
      assertThat(kept.statusCode()).as(kept.body()).isEqualTo(200);
      assertThat(tested.statusCode()).as("an empty password kept the stored one: " + tested.body()).isEqualTo(200);
      seen.append(created.body()).append(kept.body()).append(tested.body()).append(app.get("/api/v1/offsite").body())
          .append(app.get("/settings").body()).append(app.get("/settings/destinations/DAV").body());
      assertThat(app.get("/settings/destinations/DAV").body()).contains("Stored. Leave empty to keep it");
      app.close();
      seen.append(app.output());
      app = null;
      try (Stream<Path> files = Files.walk(dir.resolve("data"))) {
        for (Path f : files.filter(Files::isRegularFile).toList()) {
          seen.append(new String(Files.readAllBytes(f), StandardCharsets.ISO_8859_1));
        }
      }
      assertThat(seen).contains("SQLite format 3", "webdav+http://");
      assertThat(seen.toString()).doesNotContain(password);
    }
  }
}
