package io.piholecheckpoint.persistence;

import static org.assertj.core.api.Assertions.assertThat;

import io.piholecheckpoint.core.backup.InstanceTurns;
import io.piholecheckpoint.core.offsite.DestinationTurns;
import io.piholecheckpoint.core.offsite.DestinationTurns.Work;
import io.piholecheckpoint.testing.Eventually;
import io.piholecheckpoint.testing.MigratedDatabase;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.condition.EnabledIf;

/** An instance's turn across nodes, as PostgreSQL's advisory locks hold it: two nodes are two pools on one database. */
@EnabledIf(value = "io.piholecheckpoint.testing.TestDialects#postgresql", disabledReason = "PostgreSQL's tests run in the integration phase")
class AdvisoryTurnsTest {
  @TempDir
  Path dir;
  private Database nodeA;
  private Database nodeB;

  @AfterEach
  void close() {
    if (nodeA != null) {
      nodeA.close();
    }
    if (nodeB != null) {
      nodeB.close();
    }
  }

  @Test
  void oneNodeAtATimeHoldsAnInstancesTurnAndLetsItGoWhenClosed() {
    nodeA = MigratedDatabase.open(Dialect.POSTGRESQL, dir);
    nodeB = MigratedDatabase.reopen(nodeA);
    AdvisoryTurns a = new AdvisoryTurns(nodeA);
    AdvisoryTurns b = new AdvisoryTurns(nodeB);

    Optional<InstanceTurns.Turn> held = a.tryTake(7);

    assertThat(held).isPresent();
    assertThat(b.heldElsewhere(7)).isTrue();
    assertThat(b.tryTake(7)).as("the other node's try").isEmpty();
    assertThat(b.heldElsewhere(8)).as("another instance").isFalse();
    try (InstanceTurns.Turn other = b.tryTake(8).orElseThrow()) {
      assertThat(a.heldElsewhere(8)).isTrue();
    }

    held.get().close();

    assertThat(b.heldElsewhere(7)).isFalse();
    try (InstanceTurns.Turn taken = b.take(7)) {
      assertThat(a.tryTake(7)).isEmpty();
    }
  }

  /**
   * A restore or sync holds the turn and takes a safety backup of the same instance in the same thread: that
   * backup is its own, not another node's, and must not be refused by (or wait for) the turn around it.
   */
  @Test
  void aTurnTakenAgainByTheThreadThatHoldsItIsGivenAndHeldUntilTheOutermostCloses() throws Exception {
    nodeA = MigratedDatabase.open(Dialect.POSTGRESQL, dir);
    nodeB = MigratedDatabase.reopen(nodeA);
    AdvisoryTurns a = new AdvisoryTurns(nodeA);
    AdvisoryTurns b = new AdvisoryTurns(nodeB);

    try (InstanceTurns.Turn outer = a.take(7)) {
      Optional<InstanceTurns.Turn> inner = a.tryTake(7);
      assertThat(inner).as("the holder's own second turn").isPresent();
      a.take(7).close(); // would wait for itself forever if it were another session's
      inner.get().close();
      assertThat(b.tryTake(7)).as("after the inner ones closed, the outer still holds it").isEmpty();
      java.util.concurrent.CompletableFuture<Boolean> otherThread =
          java.util.concurrent.CompletableFuture.supplyAsync(() -> a.tryTake(7).map(t -> { t.close(); return true; }).orElse(false));
      assertThat(otherThread.get()).as("another thread of the same node").isFalse();
    }

    assertThat(b.heldElsewhere(7)).as("let go with the outermost").isFalse();
  }

  @Test
  void oneNodeAtATimeChecksOrAdoptsADestinationAndADeadNodesTurnIsLetGo() throws Exception {
    nodeA = MigratedDatabase.open(Dialect.POSTGRESQL, dir);
    nodeB = MigratedDatabase.reopen(nodeA);
    AdvisoryTurns a = new AdvisoryTurns(nodeA);
    AdvisoryTurns b = new AdvisoryTurns(nodeB);

    Optional<DestinationTurns.Turn> check = a.tryTake(Work.CHECK, "NAS");

    assertThat(check).isPresent();
    assertThat(b.tryTake(Work.CHECK, "NAS")).as("the other node's check of the same destination").isEmpty();
    try (DestinationTurns.Turn other = b.tryTake(Work.CHECK, "B2").orElseThrow();
         DestinationTurns.Turn adoption = b.tryTake(Work.ADOPTION, "NAS").orElseThrow()) {
      assertThat(a.tryTake(Work.ADOPTION, "NAS")).as("an adoption held by the other node").isEmpty();
      assertThat(b.heldElsewhere(7)).as("an instance's turn is another lock").isFalse();
    }
    check.get().close();
    try (DestinationTurns.Turn taken = b.tryTake(Work.CHECK, "NAS").orElseThrow()) {
      assertThat(a.tryTake(Work.CHECK, "NAS")).isEmpty();
    }

    Optional<DestinationTurns.Turn> dying = a.tryTake(Work.CHECK, "NAS");
    assertThat(dying).isPresent();
    assertThat(terminateSessionsHoldingAdvisoryLocks()).as("node A's session, ended as when its process dies").isEqualTo(1);

    // pg_terminate_backend signals the session and returns: its locks go when that backend has exited, a moment later
    AtomicReference<DestinationTurns.Turn> taken = new AtomicReference<>();
    Eventually.until("node B takes the turn the dead node held", Duration.ofSeconds(30), () -> {
      b.tryTake(Work.CHECK, "NAS").ifPresent(taken::set);
      return taken.get() != null;
    });
    taken.get().close(); // let go with the dead node's session, with no expiry to wait for
    dying.get().close(); // the dead session's unlock fails quietly
  }

  /** The server ends the sessions that hold one of our advisory locks, as it does when their node's connections drop. */
  private int terminateSessionsHoldingAdvisoryLocks() throws Exception {
    try (Connection c = MigratedDatabase.connectOutside(nodeA); Statement s = c.createStatement();
         ResultSet r = s.executeQuery("SELECT COUNT(*) FROM (SELECT pg_terminate_backend(pid) FROM pg_locks"
             + " WHERE locktype = 'advisory' AND granted AND database = (SELECT oid FROM pg_database WHERE datname = current_database())) AS ended")) {
      r.next();
      return r.getInt(1);
    }
  }
}
