package io.piholecheckpoint.persistence;

import static org.assertj.core.api.Assertions.assertThat;

import io.piholecheckpoint.core.legacy.OriginalSource;
import io.piholecheckpoint.testing.OriginalCheckpoint;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The original's database read as 1.x would see it, from files taken while 1.x was mid-write or
 * with its -wal not yet checkpointed; its own files are only read.
 */
class OriginalDatabaseTest {
  private static final String INSERT = "INSERT INTO backup_backuprecord (filename, file_path, file_size, checksum, status, error_message,"
      + " is_manual, created_at, config_id) VALUES ('', '', 0, '', 'failed', ?, 0, '2025-01-01 00:00:00.000000', 1)";

  @TempDir
  Path dir;

  /** A data directory of 1.x with one Pi-hole and {@code committed} failures recorded, closed as 1.x leaves it. */
  private Path original(Path live, int committed) throws Exception {
    try (OriginalCheckpoint old = OriginalCheckpoint.create(live, dir.resolve("backups"))) {
      long home = old.instance("Home", "HOME", "daily", "03:00:00", 0, 10, 30, true);
      for (int i = 0; i < committed; i++) {
        old.failure(home, java.time.Instant.parse("2025-01-01T00:00:00Z"), false, "committed " + i);
      }
    }
    return live.resolve("db.sqlite3");
  }

  private static void insertFailures(Connection c, int count, String message) throws SQLException {
    try (PreparedStatement s = c.prepareStatement(INSERT)) {
      for (int i = 0; i < count; i++) {
        s.setString(1, message + " " + i);
        s.executeUpdate();
      }
    }
  }

  /** Copies 1.x's files as a user copying its volume would, while they are as {@code live} has them. */
  private Path copyOf(Path liveDb, String... sides) throws Exception {
    Path data = Files.createDirectories(dir.resolve("data"));
    Files.copy(liveDb, data.resolve("db.sqlite3"));
    for (String side : sides) {
      Files.copy(liveDb.resolveSibling("db.sqlite3" + side), data.resolve("db.sqlite3" + side));
    }
    return data.resolve("db.sqlite3");
  }

  private List<String> messages(Path db) {
    List<String> messages = new ArrayList<>();
    try (OriginalSource source = OriginalDatabase.in(Files.createDirectories(dir.resolve("work"))).open(db)) {
      source.records(Long.MIN_VALUE, r -> messages.add(r.errorMessage()));
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    return messages;
  }

  private static String digest(Path directory) throws Exception {
    StringBuilder all = new StringBuilder();
    try (Stream<Path> files = Files.list(directory).sorted()) {
      for (Path f : files.toList()) {
        all.append(f.getFileName()).append('=').append(OriginalCheckpoint.sha256(f)).append('\n');
      }
    }
    return all.toString();
  }

  @Test
  void aTransactionLeftHalfWrittenIsRolledBackAsSqliteWouldNeverImportedAsItLies() throws Exception {
    Path live = original(dir.resolve("live"), 3);
    Path copy;
    try (Connection writer = DriverManager.getConnection("jdbc:sqlite:" + live); Statement s = writer.createStatement()) {
      s.execute("PRAGMA journal_mode = DELETE");
      s.execute("PRAGMA cache_size = 1"); // the transaction spills into the file before it commits
      writer.setAutoCommit(false);
      insertFailures(writer, 2_000, "uncommitted ".repeat(20));
      assertThat(live.resolveSibling("db.sqlite3-journal")).as("a hot journal while the transaction is open").exists();
      copy = copyOf(live, "-journal"); // as a crash in the middle of it leaves them
      writer.rollback();
    }
    String before = digest(copy.getParent());

    List<String> messages = messages(copy);

    assertThat(messages).containsExactly("committed 0", "committed 1", "committed 2");
    assertThat(digest(copy.getParent())).as("1.x's files, byte for byte, and nothing beside them").isEqualTo(before);
    assertThat(dir.resolve("work")).isEmptyDirectory();
  }

  @Test
  void whatItsWalHoldsIsImportedThoughNotYetCheckpointed() throws Exception {
    Path live = original(dir.resolve("live"), 1);
    Path copy;
    try (Connection writer = DriverManager.getConnection("jdbc:sqlite:" + live); Statement s = writer.createStatement()) {
      s.execute("PRAGMA journal_mode = WAL");
      s.execute("PRAGMA wal_autocheckpoint = 0");
      insertFailures(writer, 2, "in the wal");
      copy = copyOf(live, "-wal"); // while 1.x has it open: closing would checkpoint it
    }
    String before = digest(copy.getParent());

    List<String> messages = messages(copy);

    assertThat(messages).containsExactly("committed 0", "in the wal 0", "in the wal 1");
    assertThat(digest(copy.getParent())).isEqualTo(before);
  }

  @Test
  void recordsWithIdsOfZeroOrBelowAndTheHighestIdAreRead() throws Exception {
    Path live = original(dir.resolve("live"), 0);
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + live); Statement s = c.createStatement()) {
      for (long id : new long[] {Long.MIN_VALUE, -5, 0, Long.MAX_VALUE}) {
        s.execute(INSERT.replace("(filename", "(id, filename").replace("VALUES ('", "VALUES (" + id + ", '").replace("?", "'" + id + "'"));
      }
    }
    List<Long> ids = new ArrayList<>();

    try (OriginalSource source = OriginalDatabase.in(dir).open(live)) {
      source.records(Long.MIN_VALUE, r -> ids.add(r.id()));
      assertThat(source.countRecords(0)).isEqualTo(2);
    }

    assertThat(ids).containsExactly(Long.MIN_VALUE, -5L, 0L, Long.MAX_VALUE);
  }
}
