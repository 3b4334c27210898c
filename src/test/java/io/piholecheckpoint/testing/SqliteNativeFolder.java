package io.piholecheckpoint.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.platform.launcher.LauncherSession;
import org.junit.platform.launcher.LauncherSessionListener;

/**
 * sqlite-jdbc's folder for its native library ({@code org.sqlite.tmpdir}, /tmp by default), one of its own for each test
 * JVM and each process the tests start. As it loads, sqlite-jdbc deletes the copies in that folder that no live JVM's lock
 * file claims; two JVMs starting at once on one folder both try to delete the same copy, and the one that comes second
 * logs "Failed to delete old native lib" with a stack trace, which failed a check for stack traces in a server's log
 * (FieldEncryptionKeyIT, in CI). The pom names each test JVM's folder under target/sqlite-native; this listener makes it
 * before any test loads the driver (sqlite-jdbc logs an error for a folder that is not there).
 */
public final class SqliteNativeFolder implements LauncherSessionListener {
  private static final String PROPERTY = "org.sqlite.tmpdir";

  @Override
  public void launcherSessionOpened(LauncherSession session) {
    String folder = System.getProperty(PROPERTY);
    if (folder != null) {
      try {
        Files.createDirectories(Path.of(folder));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }

  /**
   * Gives the process about to start with {@code environment} a new folder under target/sqlite-native, through
   * JDK_JAVA_OPTIONS: every java that entrypoint.sh or a container's script runs reads it (the migration step, the server,
   * a class-data training run), whatever JAVA_OPTS the test sets. The java launcher says it picked it up, in one line.
   */
  static void give(Map<String, String> environment) throws IOException {
    Path root = Files.createDirectories(RunningApp.home().resolve("target").resolve("sqlite-native"));
    String option = "-D" + PROPERTY + "=" + Files.createTempDirectory(root, "process-");
    environment.merge("JDK_JAVA_OPTIONS", option, (set, added) -> set + " " + added);
  }
}
