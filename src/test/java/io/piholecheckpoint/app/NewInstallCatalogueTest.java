package io.piholecheckpoint.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.piholecheckpoint.persistence.Database;
import io.piholecheckpoint.persistence.Migrations;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A new install's catalogue is migrated under its temporary name without a sync per script (the file is synced once, whole,
 * before it is put in place: issue 13, start to healthy); the catalogue at its own name keeps SQLite's full sync of every commit.
 */
class NewInstallCatalogueTest {
  private static final PrintStream QUIET = new PrintStream(OutputStream.nullOutputStream());

  @TempDir
  Path dataDir;

  @Test
  void aNewInstallsMigrationsAreNotSyncedOneByOneAndTheCatalogueAtItsNameIsSyncedAtEveryCommit() throws Exception {
    List<Integer> whileMade = new ArrayList<>();

    AppConfig.catalogue(Map.of()).makeIfNew(dataDir, made -> {
      Migrations.migrate(made, QUIET);
      whileMade.add(synchronous(made));
    });

    assertThat(whileMade).as("PRAGMA synchronous while the new catalogue is migrated: OFF").containsExactly(0);
    try (Database catalogue = AppConfig.catalogue(Map.of()).open(dataDir)) {
      assertThat(Migrations.state(catalogue).pending()).isZero();
      assertThat(synchronous(catalogue)).as("the catalogue in place: FULL").isEqualTo(2);
    }
  }

  private static int synchronous(Database database) {
    try (Connection connection = database.dataSource().getConnection(); Statement statement = connection.createStatement();
         ResultSet mode = statement.executeQuery("PRAGMA synchronous")) {
      mode.next();
      return mode.getInt(1);
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }
}
