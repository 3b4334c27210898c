package io.piholecheckpoint.testing;

import io.piholecheckpoint.persistence.Dialect;
import java.util.Arrays;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.ArgumentsProvider;
import org.junit.jupiter.params.support.ParameterDeclarations;

/**
 * The databases a test run covers, as {@code checkpoint.dialects} names them (a comma list; both when unset, as in an IDE).
 * PostgreSQL's cases are integration tests by our own definition (a server the test starts): the pom runs them in the
 * failsafe phase ({@code postgresql}), where the cluster of each test JVM is shared with the PostgreSQL ITs, and leaves
 * the unit phase SQLite's ({@code sqlite}), which then starts no cluster at all (bench/RESULTS.md, r47-suiteunit).
 * A parameter source of a test that runs on both ({@code @ArgumentsSource(TestDialects.class)}); a test of PostgreSQL alone
 * is skipped outside its phase by {@link PostgresServer}.
 */
public final class TestDialects implements ArgumentsProvider {
  /** The dialects this run covers. */
  public static Set<Dialect> covered() {
    String names = System.getProperty("checkpoint.dialects", "").strip();
    if (names.isEmpty()) {
      return Set.of(Dialect.values());
    }
    return Arrays.stream(names.split(",")).map(String::strip).filter(n -> !n.isEmpty())
        .map(n -> Dialect.valueOf(n.toUpperCase(Locale.ROOT))).collect(Collectors.toUnmodifiableSet());
  }

  /** Whether this run covers PostgreSQL: if not, no test of it starts a cluster. */
  public static boolean postgresql() {
    return covered().contains(Dialect.POSTGRESQL);
  }

  @Override
  public Stream<? extends Arguments> provideArguments(ParameterDeclarations parameters, ExtensionContext context) {
    return Arrays.stream(Dialect.values()).filter(covered()::contains).map(Arguments::of);
  }
}
