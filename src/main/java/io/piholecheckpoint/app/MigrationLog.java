package io.piholecheckpoint.app;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;

/**
 * MyBatis Migrations reports to a PrintStream and echoes every script in full; operators need
 * only which scripts were applied.
 */
final class MigrationLog {
  private MigrationLog() {
  }

  /** A PrintStream that passes "Applying: <script>" lines to {@code sink}. */
  static PrintStream appliedScripts(Consumer<String> sink) {
    return new PrintStream(new ByteArrayOutputStream() {
      @Override
      public synchronized void flush() {
        String text = toString(StandardCharsets.UTF_8);
        reset();
        text.lines().filter(l -> l.contains("Applying:"))
            .map(l -> l.replaceAll("=+", "").trim().replace("Applying:", "Applying migration"))
            .forEach(sink);
      }
    }, true, StandardCharsets.UTF_8);
  }
}
