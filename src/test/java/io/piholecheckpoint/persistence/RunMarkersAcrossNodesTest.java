package io.piholecheckpoint.persistence;

import static org.assertj.core.api.Assertions.assertThat;
import static io.piholecheckpoint.testing.TestInstances.aDefinition;

import io.piholecheckpoint.core.backup.catalog.Backup;
import io.piholecheckpoint.core.backup.runs.RunMarkers;
import io.piholecheckpoint.testing.MigratedDatabase;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Markers of runs in progress name their node: a node starting takes its own and dead nodes', not the runs of nodes alive. */
class RunMarkersAcrossNodesTest {
  private static final Instant AT = Instant.parse("2026-12-04T03:00:00Z");
  @TempDir
  Path dir;
  private Database database;

  @AfterEach
  void close() {
    database.close();
  }

  @Test
  void aStartingNodeTakesItsOwnAndDeadNodesMarkersAndLeavesThoseOfNodesAlive() {
    database = MigratedDatabase.open(Dialect.SQLITE, dir);
    MyBatisInstanceRepository instances = new MyBatisInstanceRepository(database, Clock.systemUTC());
    long[] ids = new long[3];
    String[] prefixes = {"A", "B", "C"};
    for (int i = 0; i < 3; i++) {
      instances.saveDefinition(aDefinition(prefixes[i], "http://" + prefixes[i].toLowerCase()));
      ids[i] = instances.findByEnvPrefix(prefixes[i]).orElseThrow().id();
    }
    new MyBatisRunMarkers(database, "node-a", n -> true).started(ids[0], Backup.Trigger.SCHEDULED, AT);
    new MyBatisRunMarkers(database, "node-b", n -> true).started(ids[1], Backup.Trigger.SCHEDULED, AT);
    new MyBatisRunMarkers(database, "node-c", n -> true).started(ids[2], Backup.Trigger.MANUAL, AT);
    Set<String> alive = Set.of("node-b");

    MyBatisRunMarkers restarted = new MyBatisRunMarkers(database, "node-a", alive::contains);

    assertThat(restarted.takeAll()).containsExactlyInAnyOrder(new RunMarkers.Marker(ids[0], Backup.Trigger.SCHEDULED, AT, "node-a"),
        new RunMarkers.Marker(ids[2], Backup.Trigger.MANUAL, AT, "node-c"));
    assertThat(restarted.find(ids[1])).contains(new RunMarkers.Marker(ids[1], Backup.Trigger.SCHEDULED, AT, "node-b"));
    assertThat(restarted.find(ids[0])).isEmpty();
  }
}
