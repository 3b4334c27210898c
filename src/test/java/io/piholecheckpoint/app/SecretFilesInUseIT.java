package io.piholecheckpoint.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.piholecheckpoint.testing.FakePihole;
import io.piholecheckpoint.testing.InProcessApp;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the running app says of a Pi-hole's secret given in a file: the variable in use, and nothing stale once the file is fixed. */
class SecretFilesInUseIT {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir
  Path dir;

  private static JsonNode instance(InProcessApp app, String name) throws Exception {
    for (JsonNode i : JSON.readTree(app.get("/api/v1/instances").body()).get("instances")) {
      if (i.get("name").asText().equals(name)) {
        return i;
      }
    }
    throw new AssertionError("no instance named " + name);
  }

  /** The Pi-hole's refusal names the variable the password came from, the one to fix, not the plain one that is not read. */
  @Test
  void aWrongPasswordFromAFileNamesTheFileVariable() throws Exception {
    Path secret = Files.writeString(dir.resolve("locked-password"), "not-the-password\n");
    try (FakePihole locked = FakePihole.start("labpass");
         InProcessApp app = InProcessApp.start(dir.resolve("data"), dir.resolve("backups"), Map.of("PIHOLE_LOCKED_URL", locked.url(),
             "PIHOLE_LOCKED_PASSWORD_FILE", secret.toString()))) {
      long id = instance(app, "Locked").get("id").asLong();

      app.post("/api/v1/instances/" + id + "/backups?wait=true");

      JsonNode after = instance(app, "Locked");
      assertThat(after.get("statusMessage").asText()).contains("wrong password", "check PIHOLE_LOCKED_PASSWORD_FILE");
    }
  }

  /** The words a backup left about the file are not shown once the file is there: the next look finds it, no contact needed. */
  @Test
  void aFixedPasswordFileNoLongerShowsWhyItCouldNotBeRead() throws Exception {
    Path secret = dir.resolve("home-password");
    try (FakePihole home = FakePihole.start("labpass");
         InProcessApp app = InProcessApp.start(dir.resolve("data"), dir.resolve("backups"), Map.of("PIHOLE_HOME_URL", home.url(),
             "PIHOLE_HOME_PASSWORD_FILE", secret.toString()))) {
      long id = instance(app, "Home").get("id").asLong();
      assertThat(app.output()).as("every unreadable secret file in one line at the start").contains("Configuration: 1 secret file(s)"
          + " cannot be read; what uses each waits until it is fixed: (1) PIHOLE_HOME_PASSWORD_FILE=" + secret + " cannot be read (no such file)");
      app.post("/api/v1/instances/" + id + "/backups?wait=true");
      assertThat(instance(app, "Home").get("statusMessage").asText()).contains("PIHOLE_HOME_PASSWORD_FILE=" + secret, "cannot be read");
      int contacts = home.requests().size();

      Files.writeString(secret, "labpass\n");

      JsonNode fixed = instance(app, "Home");
      assertThat(fixed.get("status").asText()).isNotEqualTo("misconfigured");
      assertThat(fixed.get("statusMessage").asText()).doesNotContain("cannot be read").contains("can be read now");
      assertThat(home.requests()).as("found without contacting the Pi-hole").hasSize(contacts);
    }
  }
}
