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

  private static final byte[] APPLYING = "Applying:".getBytes(StandardCharsets.US_ASCII);

  /** A PrintStream that passes "Applying: <script>" lines to {@code sink}. */
  static PrintStream appliedScripts(Consumer<String> sink) {
    return new PrintStream(new ByteArrayOutputStream() {
      @Override
      public synchronized void flush() {
        // The echo flushes every line of every script (~850 on a fresh database): most hold no
        // "Applying:", which is ASCII, so their bytes are dropped without decoding and splitting
        // them (40 % of this stream's CPU in the migration step, bench/RESULTS.md).
        if (!contains(buf, count, APPLYING)) {
          reset();
          return;
        }
        String text = toString(StandardCharsets.UTF_8);
        reset();
        text.lines().filter(l -> l.contains("Applying:"))
            .map(l -> l.replaceAll("=+", "").trim().replace("Applying:", "Applying migration"))
            .forEach(sink);
      }
    }, true, StandardCharsets.UTF_8);
  }

  /** Whether the first {@code length} bytes of {@code bytes} hold {@code part}. */
  static boolean contains(byte[] bytes, int length, byte[] part) {
    for (int start = 0; start + part.length <= length; start++) {
      int i = 0;
      while (i < part.length && bytes[start + i] == part[i]) {
        i++;
      }
      if (i == part.length) {
        return true;
      }
    }
    return false;
  }
}
