package io.piholecheckpoint.core.offsite;

import static org.assertj.core.api.Assertions.assertThat;

import io.piholecheckpoint.core.backup.catalog.Backup;
import io.piholecheckpoint.core.offsite.queue.Copy;
import io.piholecheckpoint.core.registry.InstanceService;
import io.piholecheckpoint.persistence.Dialect;
import io.piholecheckpoint.testing.MigratedDatabase;
import io.piholecheckpoint.testing.TestDialects;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.ArgumentsSource;

/**
 * A backup's copies not queued because another session held the queue (PostgreSQL: a LOCK TABLE on offsite_copy; SQLite:
 * another connection's write transaction on the file), then a second backup of the same instance queued its own before the
 * off-site run's catch-up: the catch-up still queues the first one's, which nothing else would.
 */
@ParameterizedClass
@ArgumentsSource(TestDialects.class)
class RefusedQueueCaughtUpTest {
  @Parameter
  Dialect dialect;
  @TempDir
  Path dir;
  @AutoClose
  private OffsiteGraph graph;

  @Test
  void theFirstBackupsCopiesAreQueuedByTheCatchUpAfterASecondBackupQueuedItsOwn() throws Exception {
    // the lock below is refused after 0.5 s on either database, not production's 30 s (PostgreSQL) or 5 s (SQLite); nothing
    // else writes while it is held (the runs are by hand), so only that lock is waited on, as BusySessionsTest's SQLite wait
    // the backups' end events are handed on below, one at a time, so that the first meets the lock
    graph = OffsiteGraph.queuedByHand(MigratedDatabase.openWaitingAtMost(dialect, dir, Duration.ofMillis(500)), dir, "NAS");
    OffsiteService offsite = graph.offsite;
    InstanceService instances = graph.instances;
    long home = graph.home;
    CopyOnBackup queueing = new CopyOnBackup(offsite, graph.catalog, () -> { });
    offsite.runDue(); // the run at start: caught up on nothing

    Backup first = graph.backUp();
    try (Connection locker = MigratedDatabase.connectOutside(graph.database); Statement lock = locker.createStatement()) {
      if (dialect == Dialect.POSTGRESQL) {
        locker.setAutoCommit(false);
        lock.execute("LOCK TABLE offsite_copy IN ACCESS EXCLUSIVE MODE");
      } else {
        lock.execute("BEGIN EXCLUSIVE");
      }
      queueing.backupFinished(instances.find(home), first, Duration.ZERO);
      lock.execute("ROLLBACK");
    }
    assertThat(graph.catalog.copiesOf(first.id())).as("refused by the lock").isEmpty();
    graph.clock.advance(Duration.ofMinutes(1));
    Backup second = graph.backUp();
    queueing.backupFinished(instances.find(home), second, Duration.ZERO);

    offsite.runDue();

    assertThat(graph.catalog.copiesOf(second.id())).extracting(Copy::state).containsExactly(Copy.State.VERIFIED);
    assertThat(graph.catalog.copiesOf(first.id())).as("queued by the catch-up").extracting(Copy::destination).containsExactly("NAS");
    assertThat(graph.catalog.copiesOf(first.id())).extracting(Copy::state).containsExactly(Copy.State.VERIFIED);
  }
}
