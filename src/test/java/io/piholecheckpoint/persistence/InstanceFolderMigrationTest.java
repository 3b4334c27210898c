package io.piholecheckpoint.persistence;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.piholecheckpoint.core.instance.InstanceDefinition;
import io.piholecheckpoint.core.instance.InstanceRepository;
import io.piholecheckpoint.core.instance.RetentionPolicy;
import io.piholecheckpoint.core.instance.TlsTrust;
import io.piholecheckpoint.core.schedule.Schedule;
import io.piholecheckpoint.testing.MovableClock;
import io.piholecheckpoint.testing.TestDialects;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.ArgumentsSource;

/**
 * Instances an older build stored with one slug between them (it was the name's readable form) get folders of their own
 * (20261214010000): the first stored keeps its folder, so its copies and their keys stay as they are; each later one gets one
 * no name can have. The unique index keeps it so on every node.
 */
@ParameterizedClass
@ArgumentsSource(TestDialects.class)
class InstanceFolderMigrationTest {
  private static final PrintStream QUIET = new PrintStream(OutputStream.nullOutputStream());

  @Parameter
  Dialect dialect;
  @TempDir
  Path dir;
  private Database database;

  /** A database as the build before the folders were made unique left it. */
  @BeforeEach
  void migrateUpToTheFolders() {
    database = DatabaseBefore.open(dialect, dir, "20261214010000");
  }

  @AfterEach
  void close() {
    database.close();
  }

  @Test
  void theLaterOfTwoInstancesThatSharedASlugGetsAFolderOfItsOwnTheFirstKeepsIts() throws Exception {
    long kitchen = insert("Кухня", "pihole");
    long living = insert("Гостиная", "pihole");
    long removed = insert("Home", "home", true);
    long home = insert("home", "home");
    long lab = insert("Lab", "lab");

    Migrations.migrate(database, QUIET);

    assertThat(slugs()).containsExactly(Map.entry(kitchen, "pihole"), Map.entry(living, "pihole--" + living), Map.entry(removed, "home"),
        Map.entry(home, "home--" + home), Map.entry(lab, "lab"));
    assertThatThrownBy(() -> insert("Küche", "lab")).as("no two nodes ever choose one folder").isInstanceOf(SQLException.class);
    MyBatisInstanceRepository instances = new MyBatisInstanceRepository(database, MovableClock.ticking());
    long added = instances.insertUnlessNameTaken(new InstanceDefinition(null, "LAB!", "http://10.0.0.9", TlsTrust.SYSTEM, null,
        Schedule.DEFAULT, RetentionPolicy.DEFAULT, false, true), new InstanceRepository.SealedSecrets(null, null)).orElseThrow();
    assertThat(instances.findById(added).orElseThrow().slug()).isEqualTo("lab-2");
  }

  private long insert(String name, String slug) throws SQLException {
    return insert(name, slug, false);
  }

  private long insert(String name, String slug, boolean removed) throws SQLException {
    try (Connection c = database.dataSource().getConnection(); Statement s = c.createStatement()) {
      s.executeUpdate(("INSERT INTO instance (name, slug, origin, url, schedule_kind, schedule_time, schedule_day, max_backups, max_age_days,"
          + " keep_daily, keep_weekly, keep_monthly, skip_unchanged, active, removed, created_at, updated_at)"
          + " VALUES ('%s', '%s', 'UI', 'http://pi.hole', 'DAILY', '03:00', 'SUNDAY', 10, 0, 0, 0, 0, 0, 1, %d, 0, 0)").formatted(name, slug,
          removed ? 1 : 0));
      try (ResultSet id = s.executeQuery("SELECT MAX(id) FROM instance")) {
        id.next();
        return id.getLong(1);
      }
    }
  }

  private Map<Long, String> slugs() throws SQLException {
    Map<Long, String> slugs = new LinkedHashMap<>();
    try (Connection c = database.dataSource().getConnection(); Statement s = c.createStatement();
         ResultSet rows = s.executeQuery("SELECT id, slug FROM instance ORDER BY id")) {
      while (rows.next()) {
        slugs.put(rows.getLong(1), rows.getString(2));
      }
    }
    return slugs;
  }
}
