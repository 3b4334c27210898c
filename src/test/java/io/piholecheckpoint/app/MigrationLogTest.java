package io.piholecheckpoint.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class MigrationLogTest {
  @Test
  void passesTheAppliedScriptsAndDropsTheEchoedScriptLines() {
    List<String> said = new ArrayList<>();
    PrintStream out = MigrationLog.appliedScripts(said::add);
    // as MyBatis Migrations writes: its own lines to the stream, the script's echo through a PrintWriter flushed per line
    out.println("========== Applying: 20261127000001_create_changelog.sql ==========");
    PrintWriter echo = new PrintWriter(out);
    for (String line : List.of("CREATE TABLE changelog (", "  id NUMERIC(20,0) NOT NULL,", "  description VARCHAR(255) NOT NULL", ");")) {
      echo.println(line);
      echo.flush();
    }
    out.println("========== Applying: 20261127000002_create_instance_and_backup.sql ==========");

    assertThat(said).containsExactly("Applying migration 20261127000001_create_changelog.sql",
        "Applying migration 20261127000002_create_instance_and_backup.sql");
  }

  @Test
  void findsTheScriptLineAmongOthersFlushedAtOnce() {
    List<String> said = new ArrayList<>();
    PrintStream out = MigrationLog.appliedScripts(said::add);
    out.print("-- a comment of the script, é\n========== Applying: 20261205010000_create_setting_change.sql ==========\nSELECT 1;\n");
    out.flush();

    assertThat(said).containsExactly("Applying migration 20261205010000_create_setting_change.sql");
  }

  @Test
  void findsBytesOnlyWithinTheGivenLength() {
    byte[] marker = "Applying:".getBytes(StandardCharsets.US_ASCII);
    byte[] buffer = "-- x Applying: y".getBytes(StandardCharsets.US_ASCII);

    assertThat(MigrationLog.contains(buffer, buffer.length, marker)).isTrue();
    assertThat(MigrationLog.contains(buffer, 12, marker)).as("the marker cut off by the length").isFalse();
    assertThat(MigrationLog.contains(buffer, 0, marker)).isFalse();
  }
}
