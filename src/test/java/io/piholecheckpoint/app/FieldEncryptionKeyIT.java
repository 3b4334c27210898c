package io.piholecheckpoint.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.piholecheckpoint.testing.InProcessApp;
import io.piholecheckpoint.testing.RunningApp;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A field encryption key file that holds no usable key stops the start, run as entrypoint.sh as a user would:
 * no key is derived from an empty or damaged file (secrets typed in again would be sealed with it, and those
 * sealed before could never be opened), and the file is left as it is for the user to put the original back.
 * The server step refuses (the migration step reads no key): each case runs {@code entrypoint.sh serve} on a
 * DATA_DIR migrated in this JVM, one JVM fewer than {@code run}.
 */
class FieldEncryptionKeyIT {
  @TempDir
  Path dir;

  private RunningApp.Exit start(Map<String, String> env) throws Exception {
    InProcessApp.migrate(dir.resolve("data"), dir.resolve("backups"));
    return RunningApp.runToExit("serve", dir.resolve("data"), dir.resolve("backups"), env);
  }

  private Path generatedKey(String content) throws Exception {
    return Files.writeString(Files.createDirectories(dir.resolve("data")).resolve("field-encryption.key"), content);
  }

  private static void assertRefused(RunningApp.Exit exit, String says) {
    assertThat(exit.code()).isNotZero();
    assertThat(exit.output()).contains("Configuration error: " + says)
        .containsPattern("can only be opened with|open only with").doesNotContain("\tat "); // says what the key opens
  }

  @Test
  void anEmptyGeneratedKeyFileStopsTheStartAndIsKept() throws Exception {
    Path key = generatedKey("\n");

    assertRefused(start(Map.of()), key + " is empty");
    assertThat(key).hasContent("\n");
  }

  @Test
  void aGarbageGeneratedKeyFileStopsTheStartWithoutShowingWhatItHolds() throws Exception {
    Path key = generatedKey("not a key, hunter2\n");

    RunningApp.Exit exit = start(Map.of());

    assertRefused(exit, key + " does not hold the key Checkpoint wrote there");
    assertThat(exit.output()).contains("put the original file back").doesNotContain("hunter2");
  }

  @Test
  void aCutGeneratedKeyIsNamedByWhatIsMissing() throws Exception {
    Path key = generatedKey("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA\n");

    assertRefused(start(Map.of()), key + " holds 30 bytes of base64, not the 32");
  }

  /** A volume not mounted, a key moved: a new key made in the link's place (or at its target) would open none of the stored secrets. */
  @Test
  void aLinkThatPointsNowhereInPlaceOfTheGeneratedKeyStopsTheStartAndNothingIsWritten() throws Exception {
    Path data = Files.createDirectories(dir.resolve("data"));
    Path target = dir.resolve("elsewhere").resolve("field-encryption.key");
    Path key = Files.createSymbolicLink(data.resolve("field-encryption.key"), target);

    RunningApp.Exit exit = start(Map.of());

    assertRefused(exit, key + " is a symbolic link (to " + target + ")");
    assertThat(exit.output()).contains("set FIELD_ENCRYPTION_KEY_FILE=" + target);
    assertThat(Files.isSymbolicLink(key)).as("the link is left as it is").isTrue();
    assertThat(target.getParent()).as("nothing written through it").doesNotExist();
    try (var files = Files.list(data)) {
      assertThat(files.map(p -> p.getFileName().toString())).as("nor beside it").noneMatch(n -> n.startsWith(".key-"));
    }
  }

  @Test
  void aLinkToAKeyInPlaceOfTheGeneratedKeyStopsTheStartToo() throws Exception {
    Path target = Files.writeString(dir.resolve("kept-key"), "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\n");
    Path key = Files.createSymbolicLink(Files.createDirectories(dir.resolve("data")).resolve("field-encryption.key"), target);

    assertRefused(start(Map.of()), key + " is a symbolic link (to " + target + ")");
    assertThat(target).hasContent("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\n");
  }

  @Test
  void anEmptyKeyFileSetInTheEnvironmentStopsTheStart() throws Exception {
    Path file = Files.writeString(dir.resolve("field-key"), "  \n");

    assertRefused(start(Map.of("FIELD_ENCRYPTION_KEY_FILE", file.toString())), "FIELD_ENCRYPTION_KEY_FILE=" + file + " is empty");
  }

  /** A FIFO blocks its reader until somebody writes to it: the start is refused at once instead of waiting forever. */
  @Test
  void aFifoInPlaceOfTheGeneratedKeyStopsTheStartAtOnce() throws Exception {
    Path key = fifo(Files.createDirectories(dir.resolve("data")).resolve("field-encryption.key"));

    RunningApp.Exit exit = start(Map.of());

    assertThat(exit.code()).isNotZero();
    assertThat(exit.output()).contains("Configuration error: the generated key file " + key + " is not a regular file").doesNotContain("\tat ");
  }

  @Test
  void aFifoNamedByTheKeyFileVariableStopsTheStartAtOnce() throws Exception {
    Path key = fifo(dir.resolve("field-key"));

    RunningApp.Exit exit = start(Map.of("FIELD_ENCRYPTION_KEY_FILE", key.toString()));

    assertThat(exit.code()).isNotZero();
    assertThat(exit.output()).contains("Configuration error: FIELD_ENCRYPTION_KEY_FILE=" + key + " is not a regular file").doesNotContain("\tat ");
  }

  @Test
  void aFifoNamedByAppPasswordFileStopsTheStartAtOnce() throws Exception {
    Path password = fifo(dir.resolve("app-password"));

    RunningApp.Exit exit = start(Map.of("APP_PASSWORD_FILE", password.toString()));

    assertThat(exit.code()).isNotZero();
    assertThat(exit.output()).contains("APP_PASSWORD_FILE=" + password + " is not a regular file").doesNotContain("\tat ");
  }

  private static Path fifo(Path path) throws Exception {
    assertThat(new ProcessBuilder("mkfifo", path.toString()).inheritIO().start().waitFor()).isZero();
    return path;
  }
}
