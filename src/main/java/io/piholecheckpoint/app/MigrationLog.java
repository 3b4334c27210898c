package io.piholecheckpoint.app;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** MyBatis Migrations reports to a PrintStream; inside the WAR its lines go to the log. */
final class MigrationLog {
  private static final Logger log = LoggerFactory.getLogger("io.piholecheckpoint.migrations");

  private MigrationLog() {
  }

  static PrintStream printStream() {
    return new PrintStream(new ByteArrayOutputStream() {
      @Override
      public void flush() {
        String text = toString(StandardCharsets.UTF_8).strip();
        reset();
        text.lines().filter(l -> !l.isBlank() && !l.startsWith("---")).forEach(l -> log.info("{}", l));
      }
    }, true, StandardCharsets.UTF_8);
  }
}
