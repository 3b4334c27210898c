package io.piholecheckpoint.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.piholecheckpoint.testing.Fixtures;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Outsider round 50 (F1): a Pi-hole's gravity.db as checkpoint.db was refused "with nothing written into it", but the first
 * connection had already switched it to WAL (its header rewritten, its mtime the start's). Every path that opens the catalogue
 * refuses it with its bytes and mtime as they were, and nothing made beside it.
 */
class AnotherProgramsDatabaseTest {
  private static final FileTime LONG_AGO = FileTime.fromMillis(1_700_000_000_000L);

  @TempDir
  Path dir;

  @ParameterizedTest
  @ValueSource(strings = {"migrate", "import-original", "serve", "serve with CHECKPOINT_MIGRATE_ON_START"})
  void aPiholesGravityDatabaseInPlaceOfTheCatalogueIsRefusedAndLeftAsItWas(String path) throws Exception {
    Path data = Files.createDirectories(dir.resolve("data"));
    Path file = Files.write(data.resolve("checkpoint.db"), gravityDatabase());
    Files.setLastModifiedTime(file, LONG_AGO);
    byte[] before = Files.readAllBytes(file);
    Map<String, String> env = new HashMap<>(Map.of("DATA_DIR", data.toString(), "BACKUP_DIR", dir.resolve("backups").toString()));

    assertThatThrownBy(() -> run(path, env)).hasMessageContaining(file + " is an SQLite database that is not a Pi-hole Checkpoint catalogue:"
        + " it holds 7 table(s) of something else (adlist, adlist_by_group, client, client_by_group, domainlist, …) and no changelog of"
        + " ours. Nothing was written to it");

    byte[] after = Files.readAllBytes(file);
    assertThat(HexFormat.of().formatHex(after, 0, 100)).as("its header (journal mode at 18-19, change counter at 24-27)")
        .isEqualTo(HexFormat.of().formatHex(before, 0, 100));
    assertThat(Arrays.equals(after, before)).as("the file's bytes are as they were").isTrue();
    assertThat(Files.getLastModifiedTime(file)).as("its mtime").isEqualTo(LONG_AGO);
    for (String side : new String[] {"-wal", "-shm", "-journal"}) {
      assertThat(data.resolve("checkpoint.db" + side)).as("nothing made beside it").doesNotExist();
    }
  }

  private void run(String path, Map<String, String> env) {
    switch (path) {
      case "migrate" -> MigrateCommand.migrate(env, line -> { });
      case "import-original" -> MigrateCommand.importOriginal(env, dir.resolve("original"), dir.resolve("backups"), line -> { });
      case "serve" -> Application.start(AppConfig.from(env)).close();
      default -> {
        env.put("CHECKPOINT_MIGRATE_ON_START", "true");
        Application.start(AppConfig.from(env)).close();
      }
    }
  }

  /** The fixture's gravity.db: a Pi-hole's own database, in SQLite's default journal mode (not WAL). */
  private byte[] gravityDatabase() throws Exception {
    Path archive = Files.write(dir.resolve("a.zip"), Fixtures.archiveA());
    try (ZipFile zip = new ZipFile(archive.toFile())) {
      ZipEntry entry = zip.stream().filter(e -> e.getName().endsWith("gravity.db")).findFirst().orElseThrow();
      byte[] db = zip.getInputStream(entry).readAllBytes();
      assertThat(db[18]).as("not in WAL mode").isEqualTo((byte) 1);
      return db;
    }
  }
}
