package io.piholecheckpoint.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.api.io.TempDir;

/** Bad global settings are named all at once, not one per restart. */
class GlobalSettingsTest {

  /**
   * Every global setting of README's table that AppConfig reads, each with a value it refuses, all at once: each is named, once.
   * The settings read two by two (ARCHIVE_PARALLEL with ARCHIVE_BUSY_WAIT_SECONDS, the database's waits) were named only first.
   */
  @Test
  void everyBadSettingAmongManyIsNamedOnceEvenWhereTwoAreReadTogether() {
    Map<String, String> env = new java.util.LinkedHashMap<>();
    env.put("TIME_ZONE", "Mars/Olympus");
    env.put("CHECKPOINT_MIGRATE_ON_START", "maybe");
    env.put("PIHOLE_RETRIES", "abc");
    env.put("PIHOLE_TIMEOUT_SECONDS", "0");
    env.put("FAILED_RECORD_DAYS", "0");
    env.put("REQUIRE_AUTH", "maybe");
    env.put("SESSION_IDLE_MINUTES", "0");
    env.put("STALE_AFTER", "soon");
    env.put("DATABASE_URL", "jdbc:postgresql://db:5432/checkpoint");
    env.put("DATABASE_CONNECT_WAIT_SECONDS", "abc");
    env.put("DATABASE_LOCK_WAIT_SECONDS", "0");
    env.put("ARCHIVE_PARALLEL", "abc");
    env.put("ARCHIVE_BUSY_WAIT_SECONDS", "abc");
    env.put("MAX_PARALLEL_BACKUPS", "0");
    env.put("SCHEDULE_SPREAD", "9d");
    env.put("CLUSTER_CHECKIN_SECONDS", "0");
    env.put("SCHEDULER_LOCK_POLL_SECONDS", "0");
    env.put("CATCH_UP_DELAY_SECONDS", "3601");
    env.put("DATABASE_RETRY_SECONDS", "0");
    java.util.Set<String> bad = new java.util.LinkedHashSet<>(env.keySet());
    bad.remove("DATABASE_URL");

    assertThatThrownBy(() -> AppConfig.from(env)).isInstanceOfSatisfying(AppConfig.ConfigException.class, e -> {
      assertThat(e.getMessage()).startsWith(bad.size() + " settings cannot be used; fix them all before the next start: (1) ");
      for (String name : bad) {
        assertThat(e.getMessage()).as(name).containsPattern("\\(\\d+\\) [^(]*" + name);
      }
    });
  }

  /** Outsider (low): a bad DATABASE_URL went unnamed beside a bad DATABASE_CONNECT_WAIT_SECONDS, read first in the same check. */
  @Test
  void aBadDatabaseUrlIsNamedBesideBadDatabaseWaits() {
    Map<String, String> env = Map.of("DATABASE_URL", "mysql://x", "DATABASE_CONNECT_WAIT_SECONDS", "z", "DATABASE_LOCK_WAIT_SECONDS", "0");

    assertThatThrownBy(() -> AppConfig.from(env)).isInstanceOfSatisfying(AppConfig.ConfigException.class, e -> assertThat(e.getMessage())
        .startsWith("3 settings cannot be used; fix them all before the next start: (1) ")
        .contains("DATABASE_URL=mysql://x is no PostgreSQL JDBC URL", "DATABASE_CONNECT_WAIT_SECONDS='z'", "DATABASE_LOCK_WAIT_SECONDS='0'"));
  }

  /** A file where a folder should be, or below which it would be made, is named in the same pass as a bad value. */
  @Test
  void aFileInThePlaceOfTheFoldersIsNamedWithTheOtherSettings(@TempDir Path dir) throws Exception {
    Path file = java.nio.file.Files.writeString(dir.resolve("in-the-way"), "x");
    Map<String, String> env = Map.of("DATA_DIR", file.toString(), "BACKUP_DIR", file.resolve("backups").toString(),
        "TIME_ZONE", "Mars/Olympus");

    assertThatThrownBy(() -> AppConfig.from(env, java.util.List.of("PORT='abc' must be a whole number from 0 to 65535")))
        .isInstanceOfSatisfying(AppConfig.ConfigException.class, e -> assertThat(e.getMessage())
            .startsWith("4 settings cannot be used; fix them all before the next start: (1) PORT='abc' must be")
            .contains("DATA_DIR=" + file + " is a file, not a folder — point DATA_DIR at a folder",
                "BACKUP_DIR=" + file.resolve("backups") + " cannot be made: " + file + " is a file, not a folder",
                "TIME_ZONE='Mars/Olympus' is not a time zone"));
    assertThat(java.nio.file.Files.readString(file)).as("nothing made or changed").isEqualTo("x");
  }

  /**
   * Outsider (low): an uploads folder that is a link or a file was refused alone, after the others were fixed; a DATA_DIR inside
   * BACKUP_DIR was taken; a folder in place of the write-ahead log failed in SQLite's words. Each is one line of the one refusal.
   */
  @Test
  void theUploadsFolderADataDirAmongTheBackupsAndAFolderForTheLogAreNamedWithTheOtherSettings(@TempDir Path dir) throws Exception {
    Path backups = Files.createDirectories(dir.resolve("backups"));
    Path data = Files.createDirectories(backups.resolve("data"));
    Path uploads = Files.writeString(backups.resolve(".uploads"), "x");
    Path wal = Files.createDirectories(data.resolve("checkpoint.db-wal"));
    Path linked = Files.createDirectories(dir.resolve("linked"));
    Path link = Files.createSymbolicLink(Files.createDirectories(linked.resolve("b")).resolve(".uploads"), dir.resolve("elsewhere"));

    assertThatThrownBy(() -> AppConfig.from(Map.of("DATA_DIR", data.toString(), "BACKUP_DIR", backups.toString(), "TIME_ZONE", "Mars/Olympus")))
        .hasMessageStartingWith("4 settings cannot be used")
        .hasMessageContaining("DATA_DIR=" + data + " is inside BACKUP_DIR=" + backups + ": the database (checkpoint.db) would sit among the archives")
        .hasMessageContaining(uploads + " is a file, not a folder: Checkpoint keeps a folder of its own there")
        .hasMessageContaining(wal + " is a folder, where SQLite keeps the database's write-ahead log (a file it makes itself): the database"
            + " cannot be opened beside it — move the folder away (mv " + wal + " " + wal + ".away) and start again")
        .hasMessageContaining("TIME_ZONE");
    assertThatThrownBy(() -> AppConfig.from(Map.of("DATA_DIR", linked.toString(), "BACKUP_DIR", linked.toString())))
        .hasMessageStartingWith("DATA_DIR=" + linked + " is the same folder as BACKUP_DIR=" + linked);
    assertThatThrownBy(() -> AppConfig.from(Map.of("DATA_DIR", dir.resolve("data").toString(), "BACKUP_DIR", linked.resolve("b").toString())))
        .hasMessage(link + " is a symbolic link (to " + dir.resolve("elsewhere") + "): Checkpoint keeps a folder of its own there, which it"
            + " empties or overwrites, and never follows a link in its place — remove the link (rm " + link + "; what it points to is left as"
            + " it is) and start again: Checkpoint makes the folder itself");
  }

  /** Outsider 48 (F11): the temporary folder as a file stopped the start in other words than the uploads folder; one refusal names both. */
  @Test
  void theTemporaryFolderAsAFileIsNamedInTheOneRefusalBesideTheUploadsFolder(@TempDir Path dir) throws Exception {
    Path backups = Files.createDirectories(dir.resolve("backups"));
    Path scratch = Files.writeString(backups.resolve(".scratch"), "x");
    Path uploads = Files.writeString(backups.resolve(".uploads"), "x");

    assertThatThrownBy(() -> AppConfig.from(Map.of("DATA_DIR", dir.resolve("data").toString(), "BACKUP_DIR", backups.toString())))
        .isInstanceOf(AppConfig.ConfigException.class)
        .hasMessageContaining(uploads + " is a file, not a folder: Checkpoint keeps a folder of its own there")
        .hasMessageContaining(scratch + " is a file, not a folder: Checkpoint keeps a folder of its own there");
    assertThat(scratch).hasContent("x");
  }

  @Test
  void foldersStillToBeMadeInAWritableFolderAreFine(@TempDir Path dir) {
    AppConfig config = AppConfig.from(Map.of("DATA_DIR", dir.resolve("a/data").toString(), "BACKUP_DIR", dir.resolve("b/backups").toString()));

    assertThat(config.dataDir()).isEqualTo(dir.resolve("a/data"));
    assertThat(dir.resolve("a")).as("checked, not made: the start makes it").doesNotExist();
  }

  @Test
  void everyBadGlobalSettingIsNamedInOneMessage() {
    Map<String, String> env = Map.of("TIME_ZONE", "Mars/Olympus", "PIHOLE_RETRIES", "abc", "PIHOLE_TIMEOUT_SECONDS", "0",
        "SCHEDULE_SPREAD", "9d");

    assertThatThrownBy(() -> AppConfig.from(env)).isInstanceOfSatisfying(AppConfig.ConfigException.class, e -> {
      assertThat(e.getMessage()).startsWith("4 settings cannot be used; fix them all before the next start: (1) ")
          .contains("TIME_ZONE='Mars/Olympus' is not a time zone", "PIHOLE_RETRIES='abc' must be a whole number from 0 to 10",
              "PIHOLE_TIMEOUT_SECONDS='0' must be a whole number from 1 to 3600", "SCHEDULE_SPREAD='9d' must be from 0 (none) to 7d");
      assertThat(e.getStackTrace()).as("a setting's problem is said, not traced").isEmpty();
    });
  }

  @Test
  void oneBadSettingKeepsItsOwnMessage() {
    assertThatThrownBy(() -> AppConfig.from(Map.of("PIHOLE_RETRIES", "11"))).isInstanceOf(AppConfig.ConfigException.class)
        .hasMessage("PIHOLE_RETRIES='11' must be a whole number from 0 to 10");
  }

  @Test
  void aFlagThatIsNeitherTrueNorFalseIsRefusedEvenWhenItWouldChangeNothing() {
    assertThatThrownBy(() -> AppConfig.from(Map.of("REQUIRE_AUTH", "maybe", "APP_PASSWORD", "a long enough app password")))
        .isInstanceOf(AppConfig.ConfigException.class).hasMessage("REQUIRE_AUTH='maybe' must be true or false");
  }

  @Test
  void aSecretIsNotQuotedAmongTheOthers() {
    String token = "short-Secret";

    assertThatThrownBy(() -> AppConfig.from(Map.of("API_TOKEN", token, "TIME_ZONE", "Mars/Olympus")))
        .isInstanceOf(AppConfig.ConfigException.class).hasMessageContaining("API_TOKEN is shorter than 16 characters")
        .hasMessageContaining("TIME_ZONE").hasMessageNotContaining(token);
  }

  @Test
  void theSignInSettingsAndStaleAfterAreNamedWithTheOthers(@TempDir Path dir) {
    String token = "short-Secret";
    Map<String, String> env = Map.of("TIME_ZONE", "Mars/Olympus", "APP_PASSWORD_FILE", dir.resolve("missing").toString(),
        "API_TOKEN", token, "METRICS_TOKEN", "short-metrics", "SESSION_IDLE_MINUTES", "0", "SESSION_SECRET", "short-session-secret",
        "STALE_AFTER", "soon", "TRUSTED_PROXIES", "not-a-network");

    assertThatThrownBy(() -> AppConfig.from(env)).isInstanceOfSatisfying(AppConfig.ConfigException.class, e -> {
      assertThat(e.getMessage()).startsWith("8 settings cannot be used; fix them all before the next start: (1) ")
          .contains("TIME_ZONE='Mars/Olympus'", "APP_PASSWORD_FILE=", "API_TOKEN is shorter than 16 characters",
              "METRICS_TOKEN is shorter than 16 characters", "SESSION_IDLE_MINUTES='0' must be a whole number from 1 to 525600",
              "SESSION_SECRET is shorter than 32 characters", "STALE_AFTER='soon' is not a duration", "TRUSTED_PROXIES")
          .doesNotContain(token, "short-metrics", "short-session-secret");
    });
  }

  /**
   * Every secret the start reads from a {@code _FILE}, as an empty file and as a folder, beside six other bad settings: each
   * is named in the one line. FIELD_ENCRYPTION_KEY_FILE, read when the services are built, was named only at the next start.
   */
  @Test
  void everySecretFileThatCannotBeUsedIsNamedWithTheOtherBadSettings(@TempDir Path dir) throws Exception {
    Path empty = java.nio.file.Files.writeString(dir.resolve("empty"), "\n");
    Path folder = java.nio.file.Files.createDirectories(dir.resolve("folder"));
    java.util.List<String> secrets = java.util.List.of("APP_PASSWORD", "API_TOKEN", "METRICS_TOKEN", "SESSION_SECRET",
        "BACKUP_ENCRYPTION_PASSPHRASE", "DATABASE_PASSWORD", "FIELD_ENCRYPTION_KEY");
    for (String secret : secrets) {
      for (Path file : java.util.List.of(empty, folder)) {
        Map<String, String> env = new java.util.HashMap<>(Map.of("DATA_DIR", dir.resolve("data").toString(), "BACKUP_DIR",
            dir.resolve("backups").toString(), "TIME_ZONE", "Mars/Olympus", "PIHOLE_RETRIES", "abc", "PIHOLE_TIMEOUT_SECONDS", "0",
            "FAILED_RECORD_DAYS", "0", "SCHEDULE_SPREAD", "9d", "STALE_AFTER", "soon"));
        env.put("DATABASE_URL", "jdbc:postgresql://db:5432/checkpoint");
        env.put(secret + "_FILE", file.toString());

        assertThatThrownBy(() -> AppConfig.from(env)).as(secret + "_FILE=" + file).isInstanceOfSatisfying(AppConfig.ConfigException.class,
            e -> assertThat(e.getMessage()).startsWith("7 settings cannot be used; fix them all before the next start: (1) ")
                .contains(secret + "_FILE=" + file));
      }
    }
    assertThat(dir.resolve("data")).as("checked, nothing made").doesNotExist();
  }

  /** Outsider 40: API_TOKEN= was dropped in silence and API_TOKEN='  ' refused as "shorter than 16 characters". */
  @Test
  void aBlankTokenIsRefusedByTheRuleOfTheAppPassword() {
    assertThatThrownBy(() -> AppConfig.from(Map.of("API_TOKEN", ""))).isInstanceOf(AppConfig.ConfigException.class)
        .hasMessageContaining("API_TOKEN is set but empty: set the token (or API_TOKEN_FILE), or remove the variable to run without it");
    assertThatThrownBy(() -> AppConfig.from(Map.of("API_TOKEN", "   "))).isInstanceOf(AppConfig.ConfigException.class)
        .hasMessageContaining("API_TOKEN is set but holds only spaces").hasMessageNotContaining("shorter");
    assertThatThrownBy(() -> AppConfig.from(Map.of("METRICS_TOKEN", ""))).isInstanceOf(AppConfig.ConfigException.class)
        .hasMessageContaining("METRICS_TOKEN is set but empty");
  }

  /** Outsider 40: "cannot read FIELD_ENCRYPTION_KEY_FILE=/x/nonexist: /x/nonexist" gave no reason. */
  @Test
  void aMissingSecretFileIsSaidToBeMissing(@TempDir Path dir) {
    String missing = dir.resolve("nonexist").toString();

    assertThatThrownBy(() -> AppConfig.from(Map.of("FIELD_ENCRYPTION_KEY_FILE", missing))).isInstanceOf(AppConfig.ConfigException.class)
        .hasMessageContaining("cannot read FIELD_ENCRYPTION_KEY_FILE=" + missing + ": no such file");
    assertThatThrownBy(() -> AppConfig.from(Map.of("APP_PASSWORD_FILE", missing))).isInstanceOf(AppConfig.ConfigException.class)
        .hasMessageContaining("APP_PASSWORD_FILE=" + missing + " cannot be read (no such file)");
  }

  /** Outsider 40: on a new DATA_DIR nothing was sealed before, and the message spoke of "those sealed before" alone. */
  @Test
  void anEmptyKeyFileSaysWhatToPutInWhetherOrNotAnythingWasSealed(@TempDir Path dir) throws Exception {
    Path empty = java.nio.file.Files.writeString(dir.resolve("key"), "");

    assertThatThrownBy(() -> AppConfig.from(Map.of("FIELD_ENCRYPTION_KEY_FILE", empty.toString(), "DATA_DIR", dir.resolve("data").toString())))
        .isInstanceOf(AppConfig.ConfigException.class).hasMessageContaining("is empty").hasMessageContaining("if none was sealed yet, a new one")
        .hasMessageNotContaining("those sealed before");
  }

  /** A password of spaces is refused as its file of spaces is, and set but empty as NODE_NAME= is: nothing starts without sign-in by accident. */
  @Test
  void aBlankAppPasswordIsRefusedAsItsFileIsAndSoIsOneSetButEmpty(@TempDir Path dir) throws Exception {
    Path spaces = java.nio.file.Files.writeString(dir.resolve("pw"), "   \n");

    assertThatThrownBy(() -> AppConfig.from(Map.of("APP_PASSWORD", " "))).isInstanceOf(AppConfig.ConfigException.class)
        .hasMessageStartingWith("APP_PASSWORD is set but holds only spaces");
    assertThatThrownBy(() -> AppConfig.from(Map.of("APP_PASSWORD", ""))).isInstanceOf(AppConfig.ConfigException.class)
        .hasMessageStartingWith("APP_PASSWORD is set but empty").hasMessageContaining("remove the variable to run without sign-in");
    assertThatThrownBy(() -> AppConfig.from(Map.of("APP_PASSWORD_FILE", spaces.toString()))).isInstanceOf(AppConfig.ConfigException.class)
        .hasMessageContaining("names a file that holds only spaces or line breaks");
    assertThat(AppConfig.from(Map.of("APP_PASSWORD", " ", "APP_PASSWORD_FILE", java.nio.file.Files.writeString(dir.resolve("good"), "a good one\n")
        .toString())).access().password()).as("the file wins, as it always did").isPresent();
  }

  /** A catalogue whose link points nowhere is not made afresh at the link's target: the history would seem gone. */
  @Test
  void theMigrationStepRefusesALinkThatPointsNowhereInPlaceOfTheCatalogue(@TempDir Path dir) throws Exception {
    Path gone = java.nio.file.Files.createDirectories(dir.resolve("moved")).resolve("checkpoint.db");
    Path link = java.nio.file.Files.createSymbolicLink(java.nio.file.Files.createDirectories(dir.resolve("data")).resolve("checkpoint.db"), gone);
    var out = new ArrayList<String>();

    assertThatThrownBy(() -> MigrateCommand.migrate(Map.of("DATA_DIR", dir.resolve("data").toString()), out::add))
        .isInstanceOf(AppConfig.ConfigException.class).hasMessageContaining(link + " is a symbolic link to " + gone + ", which is not there");
    assertThat(gone).as("no catalogue made through it").doesNotExist();
    assertThat(java.nio.file.Files.isSymbolicLink(link)).isTrue();
  }

  /**
   * Outsider (medium): a folder in place of a file SQLite makes beside the catalogue stopped the migration step (which runs
   * first) in SQLite's words, naming no path ("unable to open the database file", "readonly database", "disk I/O error"). The
   * step and the start now name each such path, and what to do, before SQLite opens anything.
   */
  @org.junit.jupiter.params.ParameterizedTest
  @org.junit.jupiter.params.provider.ValueSource(strings = {"checkpoint.db-wal", "checkpoint.db-shm", "checkpoint.db-journal", "checkpoint.db"})
  void aFolderInPlaceOfAnSqliteFileIsNamedByTheMigrationStepAndTheStart(String name, @TempDir Path dir) throws Exception {
    Path data = Files.createDirectories(dir.resolve("data"));
    Path folder = Files.createDirectories(data.resolve(name));
    Map<String, String> env = Map.of("DATA_DIR", data.toString(), "BACKUP_DIR", dir.resolve("backups").toString());
    var out = new ArrayList<String>();

    assertThatThrownBy(() -> MigrateCommand.migrate(env, out::add)).isInstanceOf(AppConfig.ConfigException.class)
        .hasMessageContaining(folder + " is a folder").hasMessageContaining("mv " + folder + " " + folder + ".away")
        .hasMessageNotContaining("SQLITE");
    assertThat(out).as("nothing was migrated").isEmpty();
    assertThatThrownBy(() -> AppConfig.from(env)).isInstanceOf(AppConfig.ConfigException.class).hasMessageContaining(folder + " is a folder");
    try (var left = Files.list(data)) {
      assertThat(left).as("nothing made beside it").containsExactly(folder);
    }
  }

  @Test
  void aDanglingLinkInPlaceOfTheWriteAheadLogIsNamedByTheMigrationStep(@TempDir Path dir) throws Exception {
    Path data = Files.createDirectories(dir.resolve("data"));
    Path gone = dir.resolve("gone");
    Path link = Files.createSymbolicLink(data.resolve("checkpoint.db-wal"), gone);

    assertThatThrownBy(() -> MigrateCommand.migrate(Map.of("DATA_DIR", data.toString()), line -> { }))
        .isInstanceOf(AppConfig.ConfigException.class).hasMessageContaining(link + " is a symbolic link to " + gone + ", which is not there,"
            + " where SQLite keeps the database's write-ahead log").hasMessageContaining("mv " + link + " " + link + ".away");
    assertThat(gone).doesNotExist();
  }

  /**
   * Outsider round 48 (F12): a zero-byte checkpoint.db was taken for a new install, migrated anew, and the start went on with
   * every record and every Pi-hole added in the web interface gone, /health ok. A new install is a missing file; an empty one,
   * or one that is not SQLite's, stops the migration step and the server's start, saying what to do, and is left as it is.
   */
  @ParameterizedTest
  @ValueSource(strings = {"", "PK\u0003\u0004 an archive copied over it"})
  void anEmptiedCatalogueIsRefusedNotTakenForANewInstall(String content, @TempDir Path dir) throws Exception {
    Path data = Files.createDirectories(dir.resolve("data"));
    Path file = Files.writeString(data.resolve("checkpoint.db"), content);
    Map<String, String> env = Map.of("DATA_DIR", data.toString(), "BACKUP_DIR", dir.resolve("backups").toString());
    var out = new ArrayList<String>();

    assertThatThrownBy(() -> MigrateCommand.migrate(env, out::add)).isInstanceOf(AppConfig.ConfigException.class)
        .hasMessageContaining(file + " is " + (content.isEmpty() ? "empty (0 bytes)" : "not an SQLite database"))
        .hasMessageContaining("put back checkpoint.db from a copy, or delete it (rm " + file + ") to start a new catalogue");
    assertThat(out).as("nothing was migrated").isEmpty();
    assertThat(Files.readString(file)).isEqualTo(content);
    assertThatThrownBy(() -> AppConfig.from(env)).isInstanceOf(AppConfig.ConfigException.class).hasMessageContaining(file + " is ");
  }

  @Test
  void theMigrationStepNamesEveryBadSettingNotOnlyTheDatabase(@TempDir Path dir) {
    Map<String, String> env = Map.of("DATA_DIR", dir.toString(), "DATABASE_URL", "mysql://db/checkpoint", "TIME_ZONE", "Mars/Olympus",
        "PIHOLE_RETRIES", "abc");
    var out = new ArrayList<String>();

    assertThatThrownBy(() -> MigrateCommand.migrate(env, out::add)).isInstanceOfSatisfying(AppConfig.ConfigException.class, e ->
        assertThat(e.getMessage()).startsWith("3 settings cannot be used; fix them all before the next start: (1) ")
            .contains("DATABASE_URL=", "is no PostgreSQL JDBC URL", "TIME_ZONE='Mars/Olympus'", "PIHOLE_RETRIES='abc'"));
    assertThat(out).as("nothing was migrated").isEmpty();
  }

  @Test
  void aCatchUpWaitsThirtySecondsAfterAStartUnlessCatchUpDelaySecondsSaysOtherwise(@TempDir Path dir) {
    Map<String, String> folders = Map.of("DATA_DIR", dir.resolve("data").toString(), "BACKUP_DIR", dir.resolve("backups").toString());
    Map<String, String> set = new java.util.HashMap<>(folders);
    set.put("CATCH_UP_DELAY_SECONDS", "0");

    assertThat(AppConfig.from(folders).catchUpDelay()).isEqualTo(java.time.Duration.ofSeconds(30));
    assertThat(AppConfig.from(set).catchUpDelay()).isEqualTo(java.time.Duration.ZERO);
    set.put("CATCH_UP_DELAY_SECONDS", "-1");
    assertThatThrownBy(() -> AppConfig.from(set)).isInstanceOf(AppConfig.ConfigException.class).hasMessageContaining("CATCH_UP_DELAY_SECONDS");
  }

  @Test
  void aScheduledBackupTheDatabaseFailedIsTriedAgainAfterThirtySecondsUnlessDatabaseRetrySecondsSaysOtherwise(@TempDir Path dir) {
    Map<String, String> folders = Map.of("DATA_DIR", dir.resolve("data").toString(), "BACKUP_DIR", dir.resolve("backups").toString());
    Map<String, String> set = new java.util.HashMap<>(folders);
    set.put("DATABASE_RETRY_SECONDS", "2");

    assertThat(AppConfig.from(folders).firstDatabaseRetry()).isEqualTo(java.time.Duration.ofSeconds(30));
    assertThat(AppConfig.from(set).firstDatabaseRetry()).isEqualTo(java.time.Duration.ofSeconds(2));
    set.put("DATABASE_RETRY_SECONDS", "1801");
    assertThatThrownBy(() -> AppConfig.from(set)).isInstanceOf(AppConfig.ConfigException.class).hasMessageContaining("DATABASE_RETRY_SECONDS");
  }
}
