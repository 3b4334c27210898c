package io.piholecheckpoint.persistence;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.ibatis.migration.Change;
import org.junit.jupiter.api.Test;

/** Which text of a script each database runs: a variant of its own where there is one (read beside the index), else the common one. */
class ClasspathMigrationLoaderTest {
  private static final String VARIED = "20261202180000_restore_queued_and_unverified.sql";

  @Test
  void postgresqlRunsItsOwnVariant() throws Exception {
    String text = script(Dialect.POSTGRESQL, VARIED);

    assertThat(text).contains("ALTER TABLE restore DROP CONSTRAINT restore_state_check").doesNotContain("CREATE TABLE restore_new");
  }

  @Test
  void sqliteRunsTheCommonScriptOfAVariedOne() throws Exception {
    assertThat(script(Dialect.SQLITE, VARIED)).contains("CREATE TABLE restore_new").doesNotContain("DROP CONSTRAINT");
  }

  @Test
  void aScriptWithoutAVariantIsTheCommonOneOnBoth() throws Exception {
    String name = "20261127000003_create_restore.sql";
    assertThat(Files.exists(Path.of("src/main/resources/db/migrations/postgresql", name))).isFalse();

    assertThat(script(Dialect.POSTGRESQL, name)).contains("CREATE TABLE restore");
    assertThat(script(Dialect.SQLITE, name)).contains("CREATE TABLE restore");
  }

  private static String script(Dialect dialect, String fileName) throws Exception {
    Change change = new ClasspathMigrationLoader(dialect).getMigrations().stream()
        .filter(c -> c.getFilename().equals(fileName)).findFirst().orElseThrow();
    try (Reader reader = new ClasspathMigrationLoader(dialect).getScriptReader(change, false)) {
      StringBuilder text = new StringBuilder();
      char[] buffer = new char[8192];
      for (int n; (n = reader.read(buffer)) > 0; ) {
        text.append(buffer, 0, n);
      }
      return text.toString();
    }
  }
}
