package io.piholecheckpoint.testing;

import static io.piholecheckpoint.testing.TestInstances.aDefinition;
import static org.assertj.core.api.Assertions.assertThat;

import io.piholecheckpoint.persistence.Database;
import io.piholecheckpoint.persistence.Dialect;
import io.piholecheckpoint.persistence.MyBatisInstanceRepository;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** PostgreSQL databases are handed out again once no one is connected, as the migrated template left them, or not at all. */
class MigratedDatabaseTest {
  @TempDir
  Path dir;

  private final List<Database> open = new ArrayList<>();

  @AfterEach
  void close() {
    open.forEach(Database::close);
  }

  @Test
  void aDatabaseClosedIsHandedOutAgainEmptyWithItsIdsFromOne() throws Exception {
    String first;
    try (Database database = MigratedDatabase.open(Dialect.POSTGRESQL, dir)) {
      first = database.describe();
      MyBatisInstanceRepository instances = new MyBatisInstanceRepository(database, MovableClock.ticking());
      instances.saveDefinition(aDefinition("HOME", "http://a"));
      instances.saveDefinition(aDefinition("LAB", "http://b"));
      assertThat(instances.findByEnvPrefix("LAB").orElseThrow().id()).isEqualTo(2);
    }
    untilNoOneIsConnectedTo(first);
    assertThat(MigratedDatabase.reusable()).contains(name(first));

    Database again = handedOutUntil(first);

    assertThat(again.describe()).isEqualTo(first);
    MyBatisInstanceRepository instances = new MyBatisInstanceRepository(again, MovableClock.ticking());
    assertThat(instances.findByEnvPrefix("HOME")).isEmpty();
    instances.saveDefinition(aDefinition("LAB", "http://b"));
    assertThat(instances.findByEnvPrefix("LAB").orElseThrow().id()).isEqualTo(1);
  }

  @Test
  void aDatabaseStillOpenIsNotHandedOutTwice() {
    Database one = opened();
    Database other = opened();

    assertThat(other.describe()).isNotEqualTo(one.describe());
  }

  @Test
  void aDatabaseWhoseSchemaOrMigrationRecordATestChangedIsNotHandedOutAgain() throws Exception {
    String withTrigger;
    String withColumnChanged;
    String behind;
    try (Database database = MigratedDatabase.open(Dialect.POSTGRESQL, dir); Connection c = MigratedDatabase.connectOutside(database);
         Statement s = c.createStatement()) {
      withTrigger = database.describe();
      s.execute("CREATE FUNCTION crash() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'crash here'; END $$");
      s.execute("CREATE TRIGGER crash BEFORE INSERT ON instance FOR EACH ROW EXECUTE FUNCTION crash()");
    }
    try (Database database = MigratedDatabase.open(Dialect.POSTGRESQL, dir); Connection c = MigratedDatabase.connectOutside(database);
         Statement s = c.createStatement()) {
      withColumnChanged = database.describe();
      s.execute("ALTER TABLE instance ALTER COLUMN url DROP NOT NULL");
    }
    try (Database database = MigratedDatabase.open(Dialect.POSTGRESQL, dir); Connection c = MigratedDatabase.connectOutside(database);
         Statement s = c.createStatement()) {
      behind = database.describe();
      s.executeUpdate("DELETE FROM changelog WHERE id = (SELECT MAX(id) FROM changelog)");
    }
    untilNoOneIsConnectedTo(withTrigger);
    untilNoOneIsConnectedTo(withColumnChanged);
    untilNoOneIsConnectedTo(behind);

    Database fresh = handedOutUntil(withTrigger);

    assertThat(open).extracting(Database::describe).doesNotContain(withTrigger, withColumnChanged, behind);
    assertThat(MigratedDatabase.reusable()).doesNotContain(name(withTrigger), name(withColumnChanged), name(behind));
    new MyBatisInstanceRepository(fresh, MovableClock.ticking()).saveDefinition(aDefinition("HOME", "http://a")); // no trigger refuses it
  }

  private Database opened() {
    Database database = MigratedDatabase.open(Dialect.POSTGRESQL, dir);
    open.add(database);
    return database;
  }

  /** Databases, each kept open, until {@code wanted} comes or every one that could come again has been tried. */
  private Database handedOutUntil(String wanted) {
    int tries = MigratedDatabase.reusable().size() + 1;
    Database database = opened();
    for (int i = 1; i < tries && !database.describe().equals(wanted); i++) {
      database = opened();
    }
    return database;
  }

  private static String name(String url) {
    return url.substring(url.lastIndexOf('/') + 1);
  }

  /** A connection's server process ends a moment after it is closed: the next test would find it gone. */
  private static void untilNoOneIsConnectedTo(String url) throws Exception {
    String name = name(url);
    Eventually.until("no connection to " + name, Duration.ofSeconds(30), () -> {
      try (Connection c = java.sql.DriverManager.getConnection(PostgresServer.shared().url("postgres"), PostgresServer.USER, PostgresServer.PASSWORD);
           PreparedStatement connected = c.prepareStatement("SELECT count(*) FROM pg_stat_activity WHERE datname = ?")) {
        connected.setString(1, name);
        try (ResultSet count = connected.executeQuery()) {
          count.next();
          return count.getInt(1) == 0;
        }
      } catch (SQLException e) {
        return false;
      }
    });
  }
}
