package io.piholecheckpoint.persistence;

import static org.assertj.core.api.Assertions.assertThat;

import io.piholecheckpoint.testing.MigratedDatabase;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CatalogueCopyTest {
  @TempDir
  Path dir;

  /** A migration that adds a table must teach copy-db about it, else copy-db refuses every catalogue. */
  @Test
  void copiesEveryTableTheScriptsCreate() throws Exception {
    List<String> tables = new ArrayList<>();
    try (Database database = MigratedDatabase.open(Dialect.SQLITE, dir);
         Connection c = database.dataSource().getConnection(); Statement s = c.createStatement();
         ResultSet rs = s.executeQuery("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT IN ('changelog', 'sqlite_sequence')")) {
      while (rs.next()) {
        tables.add(rs.getString(1));
      }
    }

    assertThat(CatalogueCopy.TABLES).containsExactlyInAnyOrderElementsOf(tables);
  }

  @Test
  void masksAPasswordInAJdbcUrl() {
    assertThat(Database.mask("jdbc:postgresql://db:5432/checkpoint?user=cp&password=s3cret&ssl=true"))
        .isEqualTo("jdbc:postgresql://db:5432/checkpoint?user=cp&password=***&ssl=true");
    assertThat(Database.mask("jdbc:postgresql://cp:s3cret@db/checkpoint")).isEqualTo("jdbc:postgresql://cp:***@db/checkpoint");
    assertThat(Database.mask("jdbc:postgresql://db/checkpoint")).isEqualTo("jdbc:postgresql://db/checkpoint");
  }
}
