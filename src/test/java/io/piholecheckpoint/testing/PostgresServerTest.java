package io.piholecheckpoint.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIf;

@EnabledIf(value = "io.piholecheckpoint.testing.TestDialects#postgresql", disabledReason = "PostgreSQL's tests run in the integration phase")
class PostgresServerTest {
  @Test
  void eachCallerGetsAnEmptyDatabaseOfItsOwnBehindAPassword() throws SQLException {
    PostgresServer server = PostgresServer.shared();
    String first = server.createDatabase(null);
    String second = server.createDatabase(null);
    assertThat(first).isNotEqualTo(second).startsWith("jdbc:postgresql://127.0.0.1:" + server.port() + "/");
    try (Connection connection = DriverManager.getConnection(first, PostgresServer.USER, PostgresServer.PASSWORD);
         Statement statement = connection.createStatement()) {
      statement.execute("CREATE TABLE only_here (id BIGINT)");
    }
    try (Connection connection = DriverManager.getConnection(second, PostgresServer.USER, PostgresServer.PASSWORD);
         Statement statement = connection.createStatement();
         ResultSet tables = statement.executeQuery("SELECT COUNT(*) FROM information_schema.tables WHERE table_name = 'only_here'")) {
      tables.next();
      assertThat(tables.getInt(1)).isZero();
    }
    assertThatThrownBy(() -> DriverManager.getConnection(first, PostgresServer.USER, "wrong").close())
        .isInstanceOf(SQLException.class).hasMessageContaining("password authentication failed");
  }

  @Test
  void theRoleSignsInBySCRAMWithTheFewRoundsItsSecretWasGiven() throws SQLException {
    PostgresServer server = PostgresServer.shared();
    try (Connection connection = DriverManager.getConnection(server.createDatabase(null), PostgresServer.USER, PostgresServer.PASSWORD);
         Statement statement = connection.createStatement();
         ResultSet secret = statement.executeQuery("SELECT rolpassword FROM pg_authid WHERE rolname = '" + PostgresServer.USER + "'")) {
      secret.next();
      assertThat(secret.getString(1)).startsWith("SCRAM-SHA-256$" + PostgresServer.SCRAM_ITERATIONS + ":");
    }
  }
}
