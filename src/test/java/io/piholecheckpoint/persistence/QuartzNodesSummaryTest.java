package io.piholecheckpoint.persistence;

import static org.assertj.core.api.Assertions.assertThat;

import io.piholecheckpoint.core.health.ScheduledTriggers;
import io.piholecheckpoint.testing.MigratedDatabase;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.condition.EnabledIf;

/** The next fires of a cluster's jobs, read from Quartz's tables in PostgreSQL as Quartz writes them. */
@EnabledIf(value = "io.piholecheckpoint.testing.TestDialects#postgresql", disabledReason = "PostgreSQL's tests run in the integration phase")
class QuartzNodesSummaryTest {
  private static final String SCHEDULER = "checkpoint";
  @TempDir
  Path dir;
  private Database database;
  private QuartzNodes nodes;

  @BeforeEach
  void open() {
    database = MigratedDatabase.open(Dialect.POSTGRESQL, dir);
    nodes = new QuartzNodes(database, SCHEDULER, "a", Clock.systemUTC());
  }

  @AfterEach
  void close() {
    database.close();
  }

  @Test
  void theSummaryCountsTheGroupsJobsWithATriggerAndTakesTheEarliestFireOfAnyThatFiresAgain() throws SQLException {
    job("instance-1", "backups", 5_000L, 3_000L);
    job("instance-2", "backups", -1L); // fires no more, as Quartz keeps it
    job("instance-3", "backups", (Long) null);
    job("instance-4", "backups");      // no trigger: not scheduled
    job("sweep", "maintenance", 1_000L);

    ScheduledTriggers.Summary summary = nodes.summary("backups");

    assertThat(summary).isEqualTo(new ScheduledTriggers.Summary(3, Optional.of(Instant.ofEpochMilli(3_000))));
    var fires = nodes.nextFires("backups");
    assertThat(summary.jobs()).as("as many as the jobs listed one by one").isEqualTo(fires.size());
    assertThat(summary.earliest()).as("the earliest of those").isEqualTo(fires.values().stream().flatMap(Optional::stream).min(Instant::compareTo));
  }

  @Test
  void aGroupWhoseTriggersNeverFireAgainOrWithoutJobsHasNoEarliest() throws SQLException {
    job("instance-1", "backups", -1L);

    assertThat(nodes.summary("backups")).isEqualTo(new ScheduledTriggers.Summary(1, Optional.empty()));
    assertThat(nodes.summary("nothing")).isEqualTo(new ScheduledTriggers.Summary(0, Optional.empty()));
  }

  @Test
  void theNextFiresOfNamedJobsAreThoseOfTheGroupsListOfThemAll() throws SQLException {
    job("instance-1", "backups", 5_000L, 3_000L);
    job("instance-2", "backups", -1L);
    job("instance-3", "backups", 7_000L);
    job("instance-4", "backups");
    job("instance-1", "maintenance", 1_000L);

    var named = nodes.nextFires("backups", List.of("instance-1", "instance-2", "instance-4", "instance-9"));

    assertThat(named).isEqualTo(Map.of("instance-1", Optional.of(Instant.ofEpochMilli(3_000)), "instance-2", Optional.empty()));
    var all = nodes.nextFires("backups");
    assertThat(all).as("the same as the whole group's, narrowed").containsAllEntriesOf(named).containsKey("instance-3").hasSize(3);
    assertThat(nodes.nextFires("backups", List.of())).isEmpty();
  }

  /** A job with one trigger per next fire time given (null: a trigger without one). */
  private void job(String name, String group, Long... nextFires) throws SQLException {
    try (Connection c = MigratedDatabase.connectOutside(database)) {
      try (PreparedStatement s = c.prepareStatement("INSERT INTO qrtz_job_details (sched_name, job_name, job_group, job_class_name, is_durable, "
          + "is_nonconcurrent, is_update_data, requests_recovery) VALUES (?, ?, ?, 'Job', TRUE, FALSE, FALSE, FALSE)")) {
        s.setString(1, SCHEDULER);
        s.setString(2, name);
        s.setString(3, group);
        s.executeUpdate();
      }
      for (int i = 0; i < nextFires.length; i++) {
        try (PreparedStatement s = c.prepareStatement("INSERT INTO qrtz_triggers (sched_name, trigger_name, trigger_group, job_name, job_group, "
            + "next_fire_time, trigger_state, trigger_type, start_time) VALUES (?, ?, ?, ?, ?, ?, 'WAITING', 'CRON', 0)")) {
          s.setString(1, SCHEDULER);
          s.setString(2, name + "-" + i);
          s.setString(3, group);
          s.setString(4, name);
          s.setString(5, group);
          s.setObject(6, nextFires[i], java.sql.Types.BIGINT);
          s.executeUpdate();
        }
      }
    }
  }
}
