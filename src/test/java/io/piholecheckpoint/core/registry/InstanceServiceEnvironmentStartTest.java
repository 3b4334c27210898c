package io.piholecheckpoint.core.registry;

import static org.assertj.core.api.Assertions.assertThat;

import io.piholecheckpoint.core.instance.InstanceDefinition;
import io.piholecheckpoint.core.instance.PiholeInstance;
import io.piholecheckpoint.core.instance.RetentionPolicy;
import io.piholecheckpoint.core.instance.TlsTrust;
import io.piholecheckpoint.core.schedule.Schedule;
import io.piholecheckpoint.core.secrets.SecretBox;
import io.piholecheckpoint.persistence.Database;
import io.piholecheckpoint.persistence.Dialect;
import io.piholecheckpoint.persistence.MyBatisInstanceRepository;
import io.piholecheckpoint.testing.MigratedDatabase;
import io.piholecheckpoint.testing.MovableClock;
import io.piholecheckpoint.testing.TestDialects;
import io.piholecheckpoint.testing.TestInstances;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.ArgumentsSource;

/**
 * Every start applies the environment's instances again: on a real database (both dialects), a start that finds them
 * stored as they are writes nothing, while a changed value, a new prefix and a prefix back again are still stored.
 */
@ParameterizedClass
@ArgumentsSource(TestDialects.class)
class InstanceServiceEnvironmentStartTest {
  private static final InstanceDefinition HOME = new InstanceDefinition("HOME", "Home", "https://pi.home.lan", TlsTrust.caFile("/certs/home.pem"),
      20, new Schedule(Schedule.Kind.WEEKLY, LocalTime.of(4, 30), DayOfWeek.TUESDAY, null), new RetentionPolicy(10, 90, 7, 4, 6), true, true);
  private static final InstanceDefinition LAB = new InstanceDefinition("LAB", "Lab", "https://lab.lan",
      TlsTrust.fingerprint("ab".repeat(32)), null, Schedule.DEFAULT, RetentionPolicy.DEFAULT, false, false);

  @Parameter
  Dialect dialect;

  @TempDir
  Path dir;

  private final MovableClock clock = new MovableClock(Instant.parse("2026-12-05T06:00:00Z"));
  private Database database;
  private MyBatisInstanceRepository repository;

  @BeforeEach
  void migrate() {
    database = MigratedDatabase.open(dialect, dir);
    repository = new MyBatisInstanceRepository(database, clock);
  }

  @AfterEach
  void close() {
    database.close();
  }

  /** A start: a service of its own, as each process builds one. */
  private int start(InstanceDefinition... definitions) {
    clock.advance(Duration.ofMinutes(5)); // a write would stamp the row with a later time
    InstanceService service = new InstanceService(repository, new SecretBox(new byte[32]), TestInstances.fireTimes(), TestInstances.NO_SECRET_FILES);
    return service.applyEnvironment(List.of(definitions));
  }

  @Test
  void aSecondStartWithTheSameEnvironmentWritesNothing() throws SQLException {
    start(HOME, LAB);
    List<PiholeInstance> stored = repository.findAll();
    Map<String, String> stamps = updatedAt();
    long changes = repository.changes();
    long version = database.dataVersion();

    int applied = start(HOME, LAB);

    assertThat(applied).isEqualTo(2);
    assertThat(repository.findAll()).isEqualTo(stored);
    assertThat(updatedAt()).as("no row written").isEqualTo(stamps);
    assertThat(repository.changes()).as("no change counted").isEqualTo(changes);
    if (dialect == Dialect.SQLITE) { // PostgreSQL's WAL position moves with every other test's database on the shared server
      assertThat(database.dataVersion()).as("nothing committed").isEqualTo(version);
    }
  }

  @Test
  void aChangedValueIsStoredInPlaceAndCounted() throws SQLException {
    start(HOME, LAB);
    PiholeInstance before = repository.findByEnvPrefix("HOME").orElseThrow();
    Map<String, String> stamps = updatedAt();
    long changes = repository.changes();

    start(new InstanceDefinition("HOME", "Home", "https://pihole.home.lan", HOME.tls(), HOME.timeoutSeconds(), HOME.schedule(), HOME.retention(),
        HOME.skipUnchanged(), HOME.active()), LAB);

    PiholeInstance after = repository.findByEnvPrefix("HOME").orElseThrow();
    assertThat(after.url()).isEqualTo("https://pihole.home.lan");
    assertThat(after.id()).isEqualTo(before.id());
    assertThat(after.slug()).as("keeps its folder").isEqualTo(before.slug());
    assertThat(repository.changes()).isGreaterThan(changes);
    assertThat(updatedAt().get("LAB")).as("the unchanged one is left").isEqualTo(stamps.get("LAB"));
    assertThat(updatedAt().get("HOME")).isNotEqualTo(stamps.get("HOME"));
  }

  @Test
  void aNewPrefixGetsAFolderOfItsOwn() {
    start(HOME);
    String home = repository.findByEnvPrefix("HOME").orElseThrow().slug();

    // named so that its readable folder would be HOME's
    start(HOME, new InstanceDefinition("HOME2", "Home!", "https://two.lan", TlsTrust.SYSTEM, null, Schedule.DEFAULT, RetentionPolicy.DEFAULT,
        false, true));

    Set<String> folders = new HashSet<>(repository.findAll().stream().map(PiholeInstance::slug).toList());
    assertThat(folders).hasSize(2).contains(home);
    assertThat(repository.findByEnvPrefix("HOME").orElseThrow().slug()).isEqualTo(home);
  }

  @Test
  void aPrefixBackAfterAStartWithoutItIsPresentAgainInItsFolder() {
    start(HOME, LAB);
    PiholeInstance lab = repository.findByEnvPrefix("LAB").orElseThrow();
    start(HOME);
    assertThat(repository.findByEnvPrefix("LAB").orElseThrow().removed()).isTrue();

    start(HOME, LAB);

    PiholeInstance back = repository.findByEnvPrefix("LAB").orElseThrow();
    assertThat(back.removed()).isFalse();
    assertThat(back.id()).isEqualTo(lab.id());
    assertThat(back.slug()).isEqualTo(lab.slug());
  }

  /** Each stored instance's time of its last write, by prefix: read past the repository, as another process would. */
  private Map<String, String> updatedAt() throws SQLException {
    Map<String, String> stamps = new TreeMap<>();
    try (Connection outside = MigratedDatabase.connectOutside(database); Statement query = outside.createStatement();
         ResultSet rows = query.executeQuery("SELECT env_prefix, updated_at FROM instance")) {
      while (rows.next()) {
        stamps.put(rows.getString(1), rows.getString(2));
      }
    }
    return stamps;
  }
}
