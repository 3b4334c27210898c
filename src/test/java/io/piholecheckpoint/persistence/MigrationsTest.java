package io.piholecheckpoint.persistence;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MigrationsTest {
  private static final PrintStream QUIET = new PrintStream(OutputStream.nullOutputStream());

  @TempDir
  Path dir;

  @Test
  void listsEveryScriptInTheIndex() throws Exception {
    Path scripts = Path.of("src/main/resources/db/migrations");
    try (var files = Files.list(scripts)) {
      List<String> onDisk = files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".sql")).sorted().toList();
      List<String> indexed = Files.readAllLines(scripts.resolve("scripts.list")).stream().filter(l -> !l.isBlank()).toList();

      assertThat(indexed).isEqualTo(onDisk);
    }
  }

  @Test
  void appliesEveryStatementOfEveryScript() throws Exception {
    try (Database database = Database.open(dir.resolve("checkpoint.db"))) {
      Migrations.migrate(database.dataSource(), QUIET);

      assertThat(tables(database)).contains("changelog", "instance", "backup", "restore");
      assertThat(indexes(database)).contains("backup_by_instance", "backup_by_time");
      Migrations.State state = Migrations.state(database.dataSource());
      assertThat(state.pending()).isZero();
      assertThat(state.unknown()).isZero();
    }
  }

  @Test
  void isIdempotent() throws Exception {
    try (Database database = Database.open(dir.resolve("checkpoint.db"))) {
      Migrations.migrate(database.dataSource(), QUIET);
      Migrations.migrate(database.dataSource(), QUIET);

      assertThat(Migrations.state(database.dataSource()).applied()).isEqualTo(scripts().size());
    }
  }

  @Test
  void refusesADatabaseThatIsBehind() throws Exception {
    try (Database database = Database.open(dir.resolve("checkpoint.db"))) {
      Migrations.migrate(database.dataSource(), QUIET);
      try (Connection c = database.dataSource().getConnection(); Statement s = c.createStatement()) {
        s.executeUpdate("DELETE FROM changelog WHERE ID = (SELECT MAX(ID) FROM changelog)");
      }

      assertThatThrownBy(() -> SchemaCheck.requireCurrent(database))
          .hasMessageContaining("is behind this version").hasMessageContaining("./entrypoint.sh migrate");
    }
  }

  @Test
  void refusesAMissingDatabaseFileWithTheMigrateHint() {
    assertThatThrownBy(() -> SchemaCheck.requireFile(dir.resolve("checkpoint.db")))
        .hasMessageContaining("There is no database at").hasMessageContaining("CHECKPOINT_MIGRATE_ON_START=true");
  }

  @Test
  void opensConnectionsWithWalForeignKeysAndImmediateTransactions() throws Exception {
    try (Database database = Database.open(dir.resolve("checkpoint.db"));
         Connection c = database.dataSource().getConnection(); Statement s = c.createStatement()) {
      try (ResultSet rs = s.executeQuery("PRAGMA journal_mode")) {
        assertThat(rs.getString(1)).isEqualToIgnoringCase("wal");
      }
      try (ResultSet rs = s.executeQuery("PRAGMA foreign_keys")) {
        assertThat(rs.getInt(1)).isEqualTo(1);
      }
      try (ResultSet rs = s.executeQuery("PRAGMA busy_timeout")) {
        assertThat(rs.getInt(1)).isEqualTo(5000);
      }
    }
  }

  private static List<String> scripts() throws Exception {
    return Files.readAllLines(Path.of("src/main/resources/db/migrations/scripts.list")).stream().filter(l -> !l.isBlank()).toList();
  }

  private static List<String> tables(Database database) throws Exception {
    return names(database, "table");
  }

  private static List<String> indexes(Database database) throws Exception {
    return names(database, "index");
  }

  private static List<String> names(Database database, String type) throws Exception {
    List<String> names = new ArrayList<>();
    try (Connection c = database.dataSource().getConnection(); Statement s = c.createStatement();
         ResultSet rs = s.executeQuery("SELECT name FROM sqlite_master WHERE type = '" + type + "'")) {
      while (rs.next()) {
        names.add(rs.getString(1));
      }
    }
    return names;
  }
}
