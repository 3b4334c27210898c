package io.piholecheckpoint.persistence;

import static org.assertj.core.api.Assertions.assertThat;

import io.piholecheckpoint.testing.MigratedDatabase;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import org.apache.commons.dbcp2.BasicDataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.condition.EnabledIf;

/**
 * Quartz's clustered store takes its connections from a pool of its own: with every connection of the catalogue's pool
 * held (busy requests behind a table lock, a slow export), a node's check-in still gets one at once, and the other nodes
 * do not take the node for dead.
 */
@EnabledIf(value = "io.piholecheckpoint.testing.TestDialects#postgresql", disabledReason = "PostgreSQL's tests run in the integration phase")
class SchedulerPoolTest {
  @TempDir
  Path dir;
  private Database database;
  private final List<Connection> held = new ArrayList<>();

  @AfterEach
  void close() throws SQLException {
    for (Connection c : held) {
      c.close();
    }
    if (database != null) {
      database.close();
    }
  }

  @Test
  void theSchedulersConnectionsDoNotWaitBehindAnEmptiedRequestPool() throws Exception {
    database = MigratedDatabase.open(Dialect.POSTGRESQL, dir);
    BasicDataSource requests = (BasicDataSource) database.pool();
    for (int i = 0; i < requests.getMaxTotal(); i++) {
      held.add(requests.getConnection());
    }

    long start = System.nanoTime();
    try (Connection checkIn = database.schedulerPool().getConnection()) {
      assertThat(checkIn.isValid(1)).isTrue();
    }
    assertThat((System.nanoTime() - start) / 1_000_000).as("milliseconds to a connection").isLessThan(5_000);
    assertThat(database.schedulerPool()).isNotSameAs(database.pool());
  }
}
