package io.piholecheckpoint.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The unit phase skips PostgreSQL's cases ({@link TestDialects}); failsafe runs them from the unit tests that
 * src/test/postgresql-tests.txt lists. A test that reaches PostgreSQL and is missing there would run on no database at all.
 */
class PostgresqlPhaseTest {
  /** What a test names to reach PostgreSQL: the server, the dialect, or the source of both dialects. */
  private static final Pattern REACHES_POSTGRESQL = Pattern.compile("PostgresServer|Dialect\\.POSTGRESQL|TestDialects|\"POSTGRESQL\"");

  @Test
  void everyUnitTestThatReachesPostgresqlIsListedForTheIntegrationPhaseAndNothingElseIs() throws IOException {
    Path sources = RunningApp.home().resolve("src/test/java");

    List<String> reaching;
    try (Stream<Path> files = Files.walk(sources)) {
      reaching = files.filter(f -> f.getFileName().toString().endsWith("Test.java")).filter(PostgresqlPhaseTest::reachesPostgresql)
          .filter(f -> !f.getFileName().toString().equals("PostgresqlPhaseTest.java"))
          .map(f -> sources.relativize(f).toString()).sorted().toList();
    }
    List<String> listed = Files.readAllLines(RunningApp.home().resolve("src/test/postgresql-tests.txt")).stream().map(String::strip)
        .filter(l -> !l.isEmpty() && !l.startsWith("#")).sorted().toList();

    assertThat(reaching).isNotEmpty();
    assertThat(listed).as("src/test/postgresql-tests.txt").isEqualTo(reaching);
  }

  private static boolean reachesPostgresql(Path file) {
    try {
      return REACHES_POSTGRESQL.matcher(Files.readString(file)).find();
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
