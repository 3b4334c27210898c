package io.piholecheckpoint.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.piholecheckpoint.testing.Eventually;
import io.piholecheckpoint.testing.FakePihole;
import io.piholecheckpoint.testing.Fixtures;
import io.piholecheckpoint.testing.HttpAgent;
import io.piholecheckpoint.testing.StandaloneJetty;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The WAR in a stock Jetty 12 started with umask 022, as a shell or systemd starts a servlet container (the image's entrypoint
 * sets 077, which would hide a mode left to the umask): after a backup, its copy to a {@code file://} destination and an
 * upload, every file and folder the app made under DATA_DIR, BACKUP_DIR and the destination is its owner's only. The archives
 * and their copies hold the Pi-holes' password hashes.
 */
class OwnerOnlyModesIT {
  private static final String API_TOKEN = "modes-api-token-0123456789abcdef";
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Set<PosixFilePermission> OTHERS = Set.of(PosixFilePermission.GROUP_READ, PosixFilePermission.GROUP_WRITE,
      PosixFilePermission.GROUP_EXECUTE, PosixFilePermission.OTHERS_READ, PosixFilePermission.OTHERS_WRITE, PosixFilePermission.OTHERS_EXECUTE);

  @TempDir
  Path dir;

  @Test
  void everyFileAndFolderTheAppMakesIsItsOwnersOnlyUnderAPermissiveUmask() throws Exception {
    Path data = dir.resolve("data");
    Path backups = dir.resolve("backups");
    // the share, made by its user as mkdir does under umask 022: its own mode is theirs, what the app makes in it is checked
    Path share = Files.createDirectory(dir.resolve("share"), PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));
    try (FakePihole home = FakePihole.start("labpass")) {
      Map<String, String> settings = new HashMap<>(Map.of("APP_PASSWORD", "modes-password", "API_TOKEN", API_TOKEN,
          "DATA_DIR", data.toString(), "BACKUP_DIR", backups.toString(), "CHECKPOINT_MIGRATE_ON_START", "true",
          "PIHOLE_HOME_URL", home.url(), "PIHOLE_HOME_PASSWORD", "labpass",
          "OFFSITE_NAS_URL", share.toUri().toString(), "BACKUP_ENCRYPTION_PASSPHRASE", "modes passphrase for tests"));
      try (StandaloneJetty jetty = StandaloneJetty.start(dir, settings, new StandaloneJetty.Deployment("ROOT.war", false, "022"))) {
        HttpAgent api = new HttpAgent("http://127.0.0.1:" + jetty.port());
        String[] auth = {"Authorization", "Bearer " + API_TOKEN};
        try {
          Eventually.until("/health answers 200", Duration.ofSeconds(90), () -> status(api, "/health") == 200);
          long instance = JSON.readTree(api.get("/api/v1/instances", auth).body()).get("instances").get(0).get("id").asLong();
          HttpResponse<String> backup = api.send("POST", "/api/v1/instances/" + instance + "/backups?wait=true", null, null, auth);
          assertThat(backup.statusCode()).as(backup.body()).isEqualTo(201);
          HttpResponse<String> imported = api.upload("/api/v1/instances/" + instance + "/backups/import", "pi-hole_teleporter.zip",
              Fixtures.archiveA(), auth);
          assertThat(imported.statusCode()).as(imported.body()).isEqualTo(201);
          // both archives and their sidecars copied to the share
          Eventually.until("the copies on the share", Duration.ofSeconds(90), () -> files(share).stream()
              .filter(f -> !f.getFileName().toString().contains(".part-")).count() >= 4);
        } catch (Exception | AssertionError e) {
          throw new AssertionError(e.getMessage() + "\ncontainer log:\n" + jetty.log(), e);
        }
      }
      List<String> open = new ArrayList<>();
      for (Path root : List.of(data, backups, share)) {
        for (Path p : all(root)) {
          if (p.equals(share)) {
            continue;
          }
          Set<PosixFilePermission> mode = Files.getPosixFilePermissions(p, LinkOption.NOFOLLOW_LINKS);
          if (mode.stream().anyMatch(OTHERS::contains)) {
            open.add(PosixFilePermissions.toString(mode) + " " + p);
          }
        }
      }
      assertThat(files(share)).as("copies written").isNotEmpty();
      assertThat(open).as("made readable by others under umask 022").isEmpty();
    }
  }

  private static List<Path> files(Path root) throws IOException {
    return all(root).stream().filter(Files::isRegularFile).toList();
  }

  private static List<Path> all(Path root) throws IOException {
    try (Stream<Path> walk = Files.walk(root)) {
      return walk.toList();
    }
  }

  private static int status(HttpAgent agent, String path) {
    try {
      return agent.get(path).statusCode();
    } catch (Exception e) {
      return -1;
    }
  }
}
