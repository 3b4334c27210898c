package io.piholecheckpoint.persistence;

import static io.piholecheckpoint.testing.MigratedDatabase.execute;
import static io.piholecheckpoint.testing.MigratedDatabase.waitingOnLock;
import static org.assertj.core.api.Assertions.assertThat;

import io.piholecheckpoint.core.destination.ManagedDestination;
import io.piholecheckpoint.core.offsite.queue.Copy;
import io.piholecheckpoint.testing.Eventually;
import io.piholecheckpoint.testing.MigratedDatabase;
import io.piholecheckpoint.testing.MovableClock;
import io.piholecheckpoint.testing.TestDialects;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.ArgumentsSource;

/**
 * A destination added in Settings and deleted while a node still has it in use (it read the destinations a moment
 * before, or another node deleted it): the copy queue's writes for it, on the real schema of both databases, leave
 * nothing behind that points at it. ENV stands for a destination of the environment, which has no row and is never deleted.
 */
@ParameterizedClass
@ArgumentsSource(TestDialects.class)
class DestinationDeletedMeanwhileTest {
  @Parameter
  Dialect dialect;

  private static final Instant NOW = Instant.parse("2026-12-04T03:00:00Z");
  @TempDir
  Path dir;
  private Database database;
  private MyBatisDestinationRepository destinations;
  private MyBatisCopyRepository copies;

  @BeforeEach
  void aDestinationAddedInSettings() {
    database = MigratedDatabase.open(dialect, dir);
    destinations = new MyBatisDestinationRepository(database, MovableClock.ticking());
    copies = new MyBatisCopyRepository(database, "ENV"::equals);
    assertThat(destinations.add(new ManagedDestination("NAS", Map.of("URL", "file:///mnt/nas")))).isTrue();
  }

  @AfterEach
  void close() {
    database.close();
  }

  private static Copy copy(long backupId, String destination) {
    return Copy.queued(backupId, 1, destination, "home_" + backupId + ".zip", "home/home_" + backupId + ".zip.gpg", NOW, NOW);
  }

  @Test
  void aNodeThatStillHadItInUseWritesNothingForItAfterTheDelete() throws SQLException {
    assertThat(destinations.delete("NAS")).isTrue();

    copies.enqueue(List.of(copy(1, "NAS"), copy(1, "ENV")));
    assertThat(copies.catchUp("NAS", 1, List.of(copy(2, "NAS")), 2, NOW)).isZero();
    copies.adopt(copy(3, "NAS"));
    assertThat(copies.moveTo("NAS", "file:///mnt/nas", NOW)).isEmpty();

    assertThat(rowsOf("NAS")).as("copies, catch-up marks and places under NAS").isEqualTo(List.of(0, 0, 0));
    assertThat(copies.findByBackup(1)).extracting(Copy::destination).containsExactly("ENV");
  }

  @Test
  void whileItIsThereTheWritesGoThroughAndItsDeleteTakesThemAllWithItsPlace() throws SQLException {
    copies.enqueue(List.of(copy(1, "NAS")));
    assertThat(copies.catchUp("NAS", 1, List.of(copy(2, "NAS")), 2, NOW)).isEqualTo(1);
    copies.adopt(copy(3, "NAS"));
    assertThat(copies.moveTo("NAS", "file:///mnt/nas", NOW)).isEmpty();
    assertThat(rowsOf("NAS")).isEqualTo(List.of(3, 1, 1));

    assertThat(destinations.delete("NAS")).isTrue();

    assertThat(rowsOf("NAS")).as("copies, catch-up marks and places under NAS").isEqualTo(List.of(0, 0, 0));
  }

  /**
   * The delete's transaction has written the destination's row (as {@code delete} does first) when a queue write for it
   * starts: the write waits for the delete's commit (on PostgreSQL it is seen waiting on the row's lock; SQLite's write
   * lock serialises the two whatever the order) and then writes nothing.
   */
  @Test
  void aWriteThatMeetsADeleteUnderWayWaitsAndThenWritesNothing() throws Exception {
    try (Connection delete = database.dataSource().getConnection()) {
      delete.setAutoCommit(false);
      execute(delete, "UPDATE offsite_destination SET updated_at = 1 WHERE name = 'NAS'");

      CompletableFuture<Void> write = CompletableFuture.runAsync(() -> copies.enqueue(List.of(copy(1, "NAS"))));
      if (dialect == Dialect.POSTGRESQL) {
        Eventually.until("the write waits for the delete, or has finished", Duration.ofSeconds(20),
            () -> write.isDone() || waitingOnLock(database) > 0);
      }
      execute(delete, "DELETE FROM offsite_copy WHERE destination = 'NAS'");
      execute(delete, "DELETE FROM offsite_destination_setting WHERE destination = 'NAS'");
      execute(delete, "DELETE FROM offsite_destination WHERE name = 'NAS'");
      delete.commit();
      delete.setAutoCommit(true); // SQLite's driver begins the next transaction at once, and its lock would stop the write
      write.get(20, TimeUnit.SECONDS);
    }

    assertThat(rowsOf("NAS").get(0)).as("copies under NAS").isZero();
  }

  /** Rows under the destination's name: copies, catch-up marks, places. */
  private List<Integer> rowsOf(String destination) throws SQLException {
    try (Connection c = database.dataSource().getConnection()) {
      return List.of(count(c, "offsite_copy", destination), count(c, "offsite_catch_up", destination), count(c, "offsite_place", destination));
    }
  }

  private static int count(Connection c, String table, String destination) throws SQLException {
    try (PreparedStatement s = c.prepareStatement("SELECT COUNT(*) FROM " + table + " WHERE destination = ?")) {
      s.setString(1, destination);
      try (ResultSet r = s.executeQuery()) {
        r.next();
        return r.getInt(1);
      }
    }
  }
}
