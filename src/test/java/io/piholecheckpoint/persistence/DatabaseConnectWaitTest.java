package io.piholecheckpoint.persistence;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.piholecheckpoint.testing.Eventually;
import io.piholecheckpoint.testing.FaultProxy;
import io.piholecheckpoint.testing.PostgresServer;
import java.net.URI;
import java.sql.Connection;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIf;

/**
 * A start's first connection to PostgreSQL: an attempt that times out (a server loaded by nodes starting at once) is tried
 * again for DATABASE_CONNECT_WAIT_SECONDS, and the refusal that ends it says whether it was a timeout or the sign-in. The
 * real server, reached through a proxy that holds connections without an answer until told to forward them.
 */
@EnabledIf(value = "io.piholecheckpoint.testing.TestDialects#postgresql", disabledReason = "PostgreSQL's tests run in the integration phase")
class DatabaseConnectWaitTest {
  private static final PostgresServer SERVER = PostgresServer.shared();
  /** The attempt's length is what times out here: the driver's shortest, not the ten seconds of a start. */
  private static final Duration ATTEMPT = Duration.ofSeconds(1);

  private static String through(FaultProxy proxy, String url) {
    return "jdbc:postgresql://127.0.0.1:" + proxy.port() + URI.create(url.substring("jdbc:".length())).getPath();
  }

  @Test
  void aConnectionThatTimesOutIsTriedAgainUntilTheServerAnswers() throws Exception {
    String url = SERVER.createDatabase(null);
    try (FaultProxy proxy = FaultProxy.to("127.0.0.1", SERVER.port()).stall()) {
      Database database = Database.openPostgres(through(proxy, url), PostgresServer.USER, PostgresServer.PASSWORD, Duration.ofSeconds(120), ATTEMPT);
      CompletableFuture<Connection> connected = CompletableFuture.supplyAsync(() -> Migrations.connect(database));
      Eventually.until("the first attempt held by the proxy", Duration.ofSeconds(30), () -> proxy.connections() >= 1);

      proxy.forward();

      try (Connection connection = connected.get(60, TimeUnit.SECONDS)) {
        assertThat(connection.isValid(5)).isTrue();
      }
      assertThat(proxy.connections()).as("attempts, the first held until it timed out").isGreaterThanOrEqualTo(2);
      database.close();
    }
  }

  @Test
  void aTimeoutPastTheWaitIsNamedAsATimeoutNotAsTheCredentials() throws Exception {
    String url = SERVER.createDatabase(null);
    try (FaultProxy proxy = FaultProxy.to("127.0.0.1", SERVER.port()).stall()) {
      Database database = Database.openPostgres(through(proxy, url), PostgresServer.USER, PostgresServer.PASSWORD, Duration.ZERO, ATTEMPT);

      assertThatThrownBy(() -> Migrations.connect(database)).hasMessageContaining("did not answer in time")
          .hasMessageContaining("raise DATABASE_CONNECT_WAIT_SECONDS").hasMessageNotContaining("DATABASE_PASSWORD");
      database.close();
    }
  }

  @Test
  void aWrongPasswordIsNamedAtOnceAsTheSignIn() {
    String url = SERVER.createDatabase(null);
    Database database = Database.openPostgres(url, PostgresServer.USER, "not-the-password", Duration.ofSeconds(120), ATTEMPT);

    assertThatThrownBy(() -> Migrations.connect(database)).hasMessageContaining("refused the sign-in")
        .hasMessageContaining("check DATABASE_USER and DATABASE_PASSWORD");
    database.close();
  }
}
