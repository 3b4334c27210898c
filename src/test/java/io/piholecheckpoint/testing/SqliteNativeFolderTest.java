package io.piholecheckpoint.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** sqlite-jdbc's native library goes to a folder of each JVM's own under target/, for the test JVMs and the processes they start. */
class SqliteNativeFolderTest {
  private static final Path ROOT = RunningApp.home().resolve("target").resolve("sqlite-native").normalize();

  @Test
  void thisTestJvmExtractsTheLibraryToAFolderOfItsOwnUnderTarget() throws Exception {
    try (Connection c = DriverManager.getConnection("jdbc:sqlite::memory:")) {
      Path folder = Path.of(System.getProperty("org.sqlite.tmpdir"));
      assertThat(folder.getParent().normalize()).isEqualTo(ROOT);
      try (Stream<Path> files = Files.list(folder)) {
        assertThat(files.map(f -> f.getFileName().toString())).anyMatch(n -> n.startsWith("sqlite-") && n.endsWith(".so"));
      }
    }
  }

  @Test
  void eachProcessAboutToStartGetsANewFolderThatItsJavaReads() throws Exception {
    List<String> folders = new java.util.ArrayList<>();
    for (int i = 0; i < 2; i++) {
      Map<String, String> environment = new HashMap<>();
      SqliteNativeFolder.give(environment);
      ProcessBuilder java = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
          "-XshowSettings:properties", "-version").redirectErrorStream(true);
      java.environment().putAll(environment);
      Process p = java.start();
      String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
      String folder = output.lines().map(String::strip).filter(l -> l.startsWith("org.sqlite.tmpdir = ")).findFirst()
          .orElseThrow(() -> new AssertionError(output)).substring("org.sqlite.tmpdir = ".length());
      assertThat(Path.of(folder)).isDirectory();
      assertThat(Path.of(folder).getParent().normalize()).isEqualTo(ROOT);
      folders.add(folder);
    }
    assertThat(folders).doesNotHaveDuplicates();
  }
}
