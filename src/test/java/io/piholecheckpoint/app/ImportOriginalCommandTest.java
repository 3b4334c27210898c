package io.piholecheckpoint.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.piholecheckpoint.testing.Fixtures;
import io.piholecheckpoint.testing.OriginalCheckpoint;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code entrypoint.sh import-original DATA BACKUPS}: the original's history from another layout. */
class ImportOriginalCommandTest {
  @TempDir
  Path dir;

  @Test
  void importsTheOriginalsDatabaseFromAnotherDataDirectoryOnce() throws Exception {
    try (OriginalCheckpoint original = OriginalCheckpoint.create(dir.resolve("old-data"), dir.resolve("backups"))) {
      long home = original.instance("Home", "HOME", "daily", "03:00:00", 0, 10, 30, true);
      original.success(home, "Home", Instant.parse("2025-01-05T03:00:00Z"), false, Fixtures.archiveA());
      original.failure(home, Instant.parse("2025-01-06T03:00:00Z"), false, "timed out");
    }
    Map<String, String> settings = Map.of("DATA_DIR", dir.resolve("data").toString(), "BACKUP_DIR", dir.resolve("backups").toString());
    List<String> out = new ArrayList<>();

    MigrateCommand.importOriginal(settings, dir.resolve("old-data"), dir.resolve("backups"), out::add);
    MigrateCommand.importOriginal(settings, dir.resolve("old-data"), dir.resolve("backups"), out::add);

    assertThat(out).filteredOn(l -> l.startsWith("imported")).containsExactly(
        "imported 2 backups of 1 Pi-hole from Pi-hole Checkpoint 1.x", "imported 2 backups of 1 Pi-hole from Pi-hole Checkpoint 1.x");
    assertThat(Files.exists(dir.resolve("data/checkpoint.db"))).isTrue();
  }

  @Test
  void aDataDirectoryWithoutItsDatabaseFailsAndIsNotRecordedAsImported() throws Exception {
    Map<String, String> settings = Map.of("DATA_DIR", dir.resolve("data").toString(), "BACKUP_DIR", dir.resolve("backups").toString());

    assertThatThrownBy(() -> MigrateCommand.importOriginal(settings, dir.resolve("nonexistent"), dir.resolve("backups"), l -> { }))
        .isInstanceOf(io.piholecheckpoint.core.legacy.OriginalSchemaException.class).hasMessageContaining("is not a readable file");

    try (OriginalCheckpoint original = OriginalCheckpoint.create(dir.resolve("nonexistent"), dir.resolve("backups"))) {
      original.failure(original.instance("Home", "HOME", "daily", "03:00:00", 0, 10, 30, true), Instant.parse("2025-01-06T03:00:00Z"), false, "x");
    }
    List<String> out = new ArrayList<>();
    MigrateCommand.importOriginal(settings, dir.resolve("nonexistent"), dir.resolve("backups"), out::add);
    assertThat(out).contains("imported 1 backup of 1 Pi-hole from Pi-hole Checkpoint 1.x");
  }

  @Test
  void archivesOutsideBackupDirAreRefusedWithWhatToDo() {
    Map<String, String> settings = Map.of("DATA_DIR", dir.resolve("data").toString(), "BACKUP_DIR", dir.resolve("backups").toString());

    assertThatThrownBy(() -> MigrateCommand.importOriginal(settings, dir.resolve("old-data"), dir.resolve("old-backups"), l -> { }))
        .isInstanceOf(AppConfig.ConfigException.class)
        .hasMessageContaining("run with BACKUP_DIR=" + dir.resolve("old-backups"));
    assertThat(Files.exists(dir.resolve("data/checkpoint.db"))).as("nothing written before the refusal").isFalse();
  }

  /** As the server's start does: every bad setting the command reads in one refusal, not one per run. */
  @Test
  void everyBadSettingItReadsIsNamedInOneRefusal() throws Exception {
    Path file = Files.writeString(dir.resolve("not-a-folder"), "x");
    Map<String, String> settings = Map.of("DATA_DIR", file.toString(), "BACKUP_DIR", dir.resolve("backups").toString(),
        "DATABASE_URL", "mysql://db/checkpoint");

    assertThatThrownBy(() -> MigrateCommand.importOriginal(settings, dir.resolve("old-data"), dir.resolve("old-backups"), l -> { }))
        .isInstanceOf(AppConfig.ConfigException.class)
        .hasMessageContaining("3 settings cannot be used")
        .hasMessageContaining("run with BACKUP_DIR=" + dir.resolve("old-backups"))
        .hasMessageContaining("DATA_DIR=" + file + " is a file")
        .hasMessageContaining("DATABASE_URL=");
    assertThat(Files.exists(dir.resolve("backups"))).as("nothing made before the refusal").isFalse();
  }
}
