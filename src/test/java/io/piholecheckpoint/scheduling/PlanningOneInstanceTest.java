package io.piholecheckpoint.scheduling;

import static org.assertj.core.api.Assertions.assertThat;

import io.piholecheckpoint.core.instance.InstanceDefinition;
import io.piholecheckpoint.core.instance.PiholeInstance;
import io.piholecheckpoint.core.instance.RetentionPolicy;
import io.piholecheckpoint.core.instance.TlsTrust;
import io.piholecheckpoint.core.registry.InstanceService;
import io.piholecheckpoint.core.schedule.Schedule;
import io.piholecheckpoint.core.schedule.Spread;
import io.piholecheckpoint.core.settings.InstanceForm;
import io.piholecheckpoint.persistence.Database;
import io.piholecheckpoint.persistence.Dialect;
import io.piholecheckpoint.persistence.MyBatisInstanceRepository;
import io.piholecheckpoint.persistence.QuartzNodes;
import io.piholecheckpoint.testing.MigratedDatabase;
import io.piholecheckpoint.testing.MovableClock;
import io.piholecheckpoint.testing.TestDialects;
import io.piholecheckpoint.testing.TestInstances;
import io.piholecheckpoint.testing.TestServices;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ArgumentsSource;

/**
 * An instance added, changed or deleted is planned alone, as Application wires it: with many instances, the others'
 * jobs and triggers are not written again, in Quartz's memory (SQLite) or its clustered store (PostgreSQL). Each change
 * once wrote every instance's job again: a thousand writes per add, and concurrent adds drained the connection pool.
 */
class PlanningOneInstanceTest {
  /** Enough to tell "the changed one alone" from "every one": a second plan of any of them moves its next run (and writes its rows). */
  private static final int OTHERS = 4;
  /** Every write to a row of Quartz's store, by the job or trigger it is of (PostgreSQL). */
  private static final String COUNT_WRITES = """
      CREATE TABLE counted_qrtz_write (tbl TEXT, op TEXT, name TEXT);
      CREATE FUNCTION count_qrtz_write() RETURNS trigger LANGUAGE plpgsql AS $$
      DECLARE
        r jsonb;
      BEGIN
        IF TG_OP = 'DELETE' THEN r := to_jsonb(OLD); ELSE r := to_jsonb(NEW); END IF;
        INSERT INTO counted_qrtz_write VALUES (TG_TABLE_NAME, TG_OP, COALESCE(r->>'trigger_name', r->>'job_name'));
        RETURN NULL;
      END $$;
      """;
  private static final List<String> STORE = List.of("qrtz_job_details", "qrtz_triggers", "qrtz_simple_triggers", "qrtz_cron_triggers",
      "qrtz_simprop_triggers");

  @TempDir
  Path dir;

  private final Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
  private final MovableClock clock = new MovableClock(now);
  private Database database;
  private TestSchedules schedules;

  @AfterEach
  void close() throws SQLException {
    if (schedules != null) {
      schedules.close();
    }
    if (database != null) {
      if (database.dialect() == Dialect.POSTGRESQL) {
        try (Connection c = MigratedDatabase.connectOutside(database); Statement s = c.createStatement()) {
          for (String table : STORE) {
            s.execute("DROP TRIGGER IF EXISTS counted ON " + table);
          }
          s.execute("DROP FUNCTION IF EXISTS count_qrtz_write() CASCADE; DROP TABLE IF EXISTS counted_qrtz_write");
        }
      }
      database.close();
    }
  }

  @ParameterizedTest
  @ArgumentsSource(TestDialects.class)
  void anAddAChangeAndADeleteOfOneInstanceLeaveEveryOtherInstancesJobAndTriggerAsTheyWere(Dialect dialect) throws Exception {
    database = MigratedDatabase.open(dialect, dir);
    InstanceService instances = TestInstances.service(new MyBatisInstanceRepository(database, clock));
    LocalTime inThreeHours = now.plus(Duration.ofHours(3)).atZone(ZoneOffset.UTC).toLocalTime().truncatedTo(ChronoUnit.MINUTES);
    instances.applyEnvironment(IntStream.range(0, OTHERS).mapToObj(i -> new InstanceDefinition("P" + i, "Pi-hole " + i, "http://p" + i + ".lan",
        TlsTrust.SYSTEM, null, new Schedule(Schedule.Kind.DAILY, inThreeHours, DayOfWeek.SUNDAY, null), RetentionPolicy.DEFAULT, false, true)).toList());
    start(instances, dialect);
    List<Long> others = instances.list().stream().map(PiholeInstance::id).toList();
    Map<Long, Optional<Instant>> before = nextRuns(others);
    countWrites(dialect);
    // a trigger of another instance written again from now on would start two days later than the one it replaced
    clock.advance(Duration.ofDays(2));

    PiholeInstance added = instances.create(form("Lab", "05:30"));
    Map<Long, Optional<Instant>> afterAdd = nextRuns(others);
    Optional<Instant> addedRun = schedules.nextRun(added.id());
    instances.update(added.id(), form("Lab", "06:45"));
    Map<Long, Optional<Instant>> afterChange = nextRuns(others);
    Optional<Instant> changedRun = schedules.nextRun(added.id());
    instances.delete(added.id(), true);

    assertThat(before.values()).as("every other instance is scheduled").allMatch(Optional::isPresent);
    assertThat(afterAdd).as("after the add").isEqualTo(before);
    assertThat(afterChange).as("after the change").isEqualTo(before);
    assertThat(nextRuns(others)).as("after the delete").isEqualTo(before);
    assertThat(addedRun).hasValueSatisfying(at -> assertThat(at.atZone(ZoneOffset.UTC).toLocalTime()).isEqualTo(LocalTime.of(5, 30)));
    assertThat(changedRun).hasValueSatisfying(at -> assertThat(at.atZone(ZoneOffset.UTC).toLocalTime()).isEqualTo(LocalTime.of(6, 45)));
    assertThat(schedules.nextRun(added.id())).isEmpty();
    assertThat(schedules.status().jobs()).isEqualTo(OTHERS);
    if (dialect == Dialect.POSTGRESQL) {
      // the backups' rows only: the maintenance jobs' own fires write theirs
      List<String> written = writes().stream().filter(w -> w.contains(" instance-") || w.contains(" catch-up-")).toList();
      assertThat(written).as("rows of Quartz's store written").isNotEmpty()
          .allSatisfy(w -> assertThat(w).endsWith(" instance-" + added.id()));
    }
  }

  /** As Application starts it: every instance planned at the start, then each change of one through {@link Planning#planInstance}. */
  private void start(InstanceService instances, Dialect dialect) {
    ClusterStore store = dialect == Dialect.POSTGRESQL ? new ClusterStore("node-a", database.pool(), Duration.ofSeconds(10),
        new QuartzNodes(database, ClusterStore.SCHEDULER_NAME, "node-a", Clock.systemUTC()), (node, at) -> { }, () -> { }, () -> { }) : null;
    TestServices services = new TestServices(dir.resolve("backups"), clock);
    schedules = new TestSchedules(dir.resolve("scheduler.lock"), ZoneOffset.UTC, clock, Duration.ofSeconds(1), Duration.ofHours(1), Spread.NONE, store)
        .start(new AppJobs(services.backups.runs(), services.tickets, services.maintenance),
            s -> s.scheduleAll(instances.list(), id -> Optional.empty()));
    schedules.planInstancesWith(new Planning.InstancePlan(instances::changes, instances::list, instances::lookUp));
    instances.onChange(schedules::planInstance);
  }

  private Map<Long, Optional<Instant>> nextRuns(List<Long> ids) {
    return ids.stream().collect(Collectors.toMap(Function.identity(), schedules::nextRun));
  }

  private void countWrites(Dialect dialect) throws SQLException {
    if (dialect != Dialect.POSTGRESQL) {
      return; // Quartz keeps them in memory: the next fire times above tell a trigger written again
    }
    try (Connection c = MigratedDatabase.connectOutside(database); Statement s = c.createStatement()) {
      s.execute(COUNT_WRITES);
      for (String table : STORE) {
        s.execute("CREATE TRIGGER counted AFTER INSERT OR UPDATE OR DELETE ON " + table + " FOR EACH ROW EXECUTE FUNCTION count_qrtz_write()");
      }
    }
  }

  /** "table op name" of each row written since {@link #countWrites}. */
  private List<String> writes() throws SQLException {
    List<String> written = new ArrayList<>();
    try (Connection c = MigratedDatabase.connectOutside(database); Statement s = c.createStatement();
         ResultSet r = s.executeQuery("SELECT tbl, op, name FROM counted_qrtz_write")) {
      while (r.next()) {
        written.add(r.getString(1) + " " + r.getString(2) + " " + r.getString(3));
      }
    }
    return written;
  }

  private static InstanceForm form(String name, String time) {
    InstanceForm b = InstanceForm.blank();
    return new InstanceForm(name, "http://" + name.toLowerCase() + ".lan", "labpass", null, b.tlsMode(), b.caPem(), b.fingerprint(), b.timeoutSeconds(),
        "daily", time, b.day(), b.cron(), b.maxBackups(), b.maxAgeDays(), b.keepDaily(), b.keepWeekly(), b.keepMonthly(), false, true);
  }
}
