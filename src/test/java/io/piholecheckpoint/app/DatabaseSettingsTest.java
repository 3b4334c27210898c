package io.piholecheckpoint.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DatabaseSettingsTest {
  @TempDir
  Path dir;

  @Test
  void withoutDatabaseUrlTheCatalogueIsTheSqliteFileInDataDir() {
    AppConfig.Catalogue catalogue = AppConfig.catalogue(Map.of());

    assertThat(catalogue.onPostgresql()).isFalse();
    assertThat(catalogue.describe(dir)).isEqualTo(dir.resolve("checkpoint.db").toString());
  }

  @Test
  void readsThePasswordFromItsFileAndNeverShowsIt() throws Exception {
    Path secret = Files.writeString(dir.resolve("db-password"), "s3cret-value\n");

    AppConfig.Catalogue catalogue = AppConfig.catalogue(Map.of("DATABASE_URL", "jdbc:postgresql://db:5432/checkpoint",
        "DATABASE_USER", "checkpoint", "DATABASE_PASSWORD_FILE", secret.toString()));

    assertThat(catalogue.password()).hasValue("s3cret-value");
    assertThat(catalogue.toString()).doesNotContain("s3cret").contains("password set");
    assertThat(AppConfig.from(Map.of("DATABASE_URL", "jdbc:postgresql://db/x?password=s3cret", "DATABASE_PASSWORD", "s3cret")).env())
        .as("neither is kept in the environment that later code reads").doesNotContainKeys("DATABASE_URL", "DATABASE_PASSWORD");
  }

  @Test
  void refusesAnotherKindOfUrlSayingWhatToWriteWithoutItsPassword() {
    assertThatThrownBy(() -> AppConfig.catalogue(Map.of("DATABASE_URL", "postgres://cp:s3cret@db/checkpoint?password=s3cret")))
        .isInstanceOf(AppConfig.ConfigException.class).hasMessageContaining("jdbc:postgresql://host:5432/checkpoint")
        .hasMessageNotContaining("s3cret");
    assertThatThrownBy(() -> AppConfig.catalogue(Map.of("DATABASE_URL", "jdbc:mysql://db/checkpoint")))
        .isInstanceOf(AppConfig.ConfigException.class).hasMessageContaining("is no PostgreSQL JDBC URL");
  }

  @Test
  void refusesCredentialsWithoutAUrl() {
    assertThatThrownBy(() -> AppConfig.catalogue(Map.of("DATABASE_PASSWORD", "x")))
        .isInstanceOf(AppConfig.ConfigException.class).hasMessageContaining("without DATABASE_URL");
  }
}
