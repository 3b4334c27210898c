package io.piholecheckpoint.persistence;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.piholecheckpoint.core.health.ClusterStatus;
import io.piholecheckpoint.testing.MigratedDatabase;
import io.piholecheckpoint.testing.MovableClock;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.condition.EnabledIf;

/**
 * The nodes of a cluster as Quartz's store in PostgreSQL tells them: a second live process under one
 * NODE_NAME is refused at its start, and a node found dead stays listed as down for a day.
 */
@EnabledIf(value = "io.piholecheckpoint.testing.TestDialects#postgresql", disabledReason = "PostgreSQL's tests run in the integration phase")
class QuartzNodesTest {
  private static final Instant NOW = Instant.parse("2026-12-05T12:00:00Z");
  private static final Duration CHECKIN = Duration.ofSeconds(10);

  @TempDir
  java.nio.file.Path dir;
  private Database database;
  private final MovableClock clock = new MovableClock(NOW);

  @BeforeEach
  void open() {
    database = MigratedDatabase.open(Dialect.POSTGRESQL, dir);
  }

  @AfterEach
  void close() {
    database.close();
  }

  private QuartzNodes node(String name) {
    return new QuartzNodes(database, "checkpoint", name, clock);
  }

  /** As Quartz checks a node in: written from outside this process's pool. */
  private void checkIn(String name, Instant at) {
    try (Connection c = MigratedDatabase.connectOutside(database);
         PreparedStatement s = c.prepareStatement("INSERT INTO qrtz_scheduler_state (sched_name, instance_name, last_checkin_time, checkin_interval)"
             + " VALUES ('checkpoint', ?, ?, ?) ON CONFLICT (sched_name, instance_name) DO UPDATE SET last_checkin_time = excluded.last_checkin_time")) {
      s.setString(1, name);
      s.setLong(2, at.toEpochMilli());
      s.setLong(3, CHECKIN.toMillis());
      s.executeUpdate();
    } catch (SQLException e) {
      throw new AssertionError(e);
    }
  }

  @Test
  void aNameNobodyChecksInUnderIsFreeAtOnce() throws Exception {
    List<Duration> pauses = new ArrayList<>();

    node("node-a").requireNameFree(CHECKIN, pauses::add);

    assertThat(pauses).isEmpty();
  }

  @Test
  void aSecondProcessUnderALiveNodesNameIsRefusedOnceThatNodeChecksInAgain() throws Exception {
    checkIn("node-a", NOW.minusSeconds(2));
    List<Duration> pauses = new ArrayList<>();

    assertThatThrownBy(() -> node("node-a").requireNameFree(CHECKIN, pause -> {
      pauses.add(pause);
      clock.advance(pause);
      if (pauses.size() == 3) {
        checkIn("node-a", clock.instant()); // the other process, alive, checks in as it does every interval
      }
    })).isInstanceOf(IllegalStateException.class)
        .hasMessageStartingWith("NODE_NAME node-a is in use: another Pi-hole Checkpoint process of this cluster checked in under that name")
        .hasMessageContaining("Give this node its own NODE_NAME, or stop the other process first");
    assertThat(pauses).hasSize(3);
  }

  @Test
  void theNameOfAProcessThatDiedIsFreeOnceItsCheckInIsOverdue() throws Exception {
    checkIn("node-a", NOW.minusSeconds(2));
    List<Duration> pauses = new ArrayList<>();

    node("node-a").requireNameFree(CHECKIN, pause -> {
      pauses.add(pause);
      clock.advance(pause);
    });

    assertThat(clock.instant()).isAfter(NOW.minusSeconds(2).plus(CHECKIN).plus(ClusterStatus.GRACE));
    assertThat(pauses).isNotEmpty();
  }

  @Test
  void aNodeFoundDeadIsListedAsDownForADayUnlessItChecksInAgain() throws Exception {
    checkIn("node-a", NOW);
    Instant lastOfB = NOW.minusSeconds(30);
    QuartzNodes a = node("node-a");

    a.recordDown("node-b", lastOfB);
    a.recordDown("node-c", null);

    assertThat(a.get().nodes()).containsExactly(new ClusterStatus.Node("node-a", NOW, true, 0), new ClusterStatus.Node("node-b", lastOfB, false, 0),
        new ClusterStatus.Node("node-c", null, false, 0));
    assertThat(a.get().aliveNodes()).isEqualTo(1);

    checkIn("node-c", NOW);
    clock.advance(QuartzNodes.LISTED_DOWN.minusSeconds(1));
    assertThat(a.get().nodes()).extracting(ClusterStatus.Node::name).containsExactly("node-a", "node-b", "node-c");
    assertThat(a.get().nodes().get(2).lastCheckIn()).as("back: its check-ins tell").isEqualTo(NOW);

    clock.advance(Duration.ofSeconds(2));
    assertThat(a.get().nodes()).extracting(ClusterStatus.Node::name).containsExactly("node-a", "node-c");
  }
}
