package io.piholecheckpoint.teleporter;

import static org.assertj.core.api.Assertions.assertThat;

import io.piholecheckpoint.testing.UnitRunTries;
import java.io.BufferedWriter;
import java.io.ByteArrayOutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.Statement;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AddLifecycleHook;
import org.junit.jupiter.api.Test;
import org.sqlite.SQLiteConnection;
import org.sqlite.SQLiteLimits;

/**
 * The row text SQLite builds ({@link DumpQuery}) gives the canonical dump the same bytes, in the same order, as
 * the writer every stored content hash was computed with ({@link #reference}, a copy of the old
 * {@code CanonicalRows}: a Writer fed {@code getString} value by value from {@code SELECT * … ORDER BY 1, 2}),
 * for values of every storage class: integers, reals (-0.0, 1e300, 0.1, subnormal), text of any code point and
 * with NUL, text that is not UTF-8, blobs, NULL; first columns that repeat (the order among equal keys); rows too
 * long for one text.
 */
@AddLifecycleHook(UnitRunTries.class)
class DumpQueryTest {
  private static final List<String> DECLARED = List.of("INT", "TEXT", "NUM", "REAL", "BLOB", "");

  /** A value and how it is bound: the storage class is the binding's, the declared type's affinity may convert it. */
  record Value(String kind, Object value) {
    void bind(PreparedStatement insert, int i) throws Exception {
      switch (kind) {
        case "null" -> insert.setNull(i, java.sql.Types.NULL);
        case "int" -> insert.setLong(i, (Long) value);
        case "real" -> insert.setDouble(i, (Double) value);
        case "text" -> insert.setString(i, (String) value);
        default -> insert.setBytes(i, (byte[]) value); // "blob", and "bytes" bound through CAST(? AS TEXT)
      }
    }

    @Override
    public String toString() {
      return kind + ":" + (value instanceof byte[] b ? HexFormat.of().formatHex(b) : value);
    }
  }

  record Table(List<String> declared, List<List<Value>> rows) {
  }

  @Property(tries = 200)
  void buildsTheBytesTheValueByValueWriterWrote(@ForAll("tables") Table table) throws Exception {
    Path file = Files.createTempFile("dump-query-", ".db");
    try (Connection db = DriverManager.getConnection("jdbc:sqlite:" + file)) {
      fill(db, table);
      assertThat(dumped(db)).isEqualTo(reference(db));
    } finally {
      Files.deleteIfExists(file);
    }
  }

  @Test
  void readsARowTooLongForOneTextValueByValue() throws Exception {
    Path file = Files.createTempFile("dump-query-", ".db");
    String wide = "w".repeat(DumpQuery.MAX_ROW_TEXT / 3);
    List<Value> longRow = List.of(new Value("int", 2L), new Value("text", wide), new Value("text", wide), new Value("text", wide + "é"));
    List<Value> shortRow = List.of(new Value("int", 1L), new Value("text", "a"), new Value("null", null), new Value("real", 0.1));
    try (Connection db = DriverManager.getConnection("jdbc:sqlite:" + file)) {
      fill(db, new Table(List.of("INT", "TEXT", "", "REAL"), List.of(longRow, shortRow)));
      byte[] dumped = dumped(db);
      assertThat(dumped).isEqualTo(reference(db));
      assertThat(new String(dumped, StandardCharsets.UTF_8)).startsWith("c0=1\u001fc1=a\u001fc2=null\u001fc3=0.1\u001f\nc0=2\u001fc1=www");
    } finally {
      Files.deleteIfExists(file);
    }
  }

  @Provide
  Arbitrary<Table> tables() {
    Arbitrary<List<String>> declared = Arbitraries.of(DECLARED).list().ofMinSize(2).ofMaxSize(6);
    return declared.flatMap(types -> row(types.size()).list().ofMaxSize(30).map(rows -> new Table(types, rows)));
  }

  private static Arbitrary<List<Value>> row(int columns) {
    // the first two columns from few values, so that keys repeat and the order among equal keys counts
    Arbitrary<Value> key = Arbitraries.oneOf(Arbitraries.longs().between(-2, 2).map(v -> new Value("int", v)),
        Arbitraries.of("a", "b", "").map(v -> new Value("text", v)), Arbitraries.just(new Value("null", null)));
    return Arbitraries.oneOf(key, value()).list().ofSize(columns).flatMap(values -> key.list().ofSize(2).map(keys -> {
      List<Value> row = new java.util.ArrayList<>(values);
      row.set(0, keys.get(0));
      row.set(1, keys.get(1));
      return row;
    }));
  }

  private static Arbitrary<Value> value() {
    return Arbitraries.oneOf(
        Arbitraries.just(new Value("null", null)),
        Arbitraries.longs().map(v -> new Value("int", v)),
        Arbitraries.of(Long.MIN_VALUE, Long.MAX_VALUE, 0L, -1L).map(v -> new Value("int", v)),
        Arbitraries.doubles().map(v -> new Value("real", v)),
        Arbitraries.of(-0.0, 0.0, 1e300, -1e300, 0.1, 1.0 / 3, 4.9e-324, Double.MAX_VALUE, 1e15, 1e16, 123456789012345678.0, 2.5, 100.0)
            .map(v -> new Value("real", v)),
        Arbitraries.strings().ofMaxLength(20).map(v -> new Value("text", v)),
        Arbitraries.strings().withChars("\0é€😀\u001f\n=ab").ofMaxLength(10).map(v -> new Value("text", v)),
        Arbitraries.bytes().array(byte[].class).ofMaxSize(12).map(v -> new Value("bytes", v)),
        Arbitraries.bytes().array(byte[].class).ofMaxSize(12).map(v -> new Value("blob", v)));
  }

  private static void fill(Connection db, Table table) throws Exception {
    StringBuilder create = new StringBuilder("CREATE TABLE t(");
    StringBuilder insert = new StringBuilder("INSERT INTO t VALUES (");
    for (int c = 0; c < table.declared().size(); c++) {
      create.append(c == 0 ? "" : ", ").append("c").append(c).append(' ').append(table.declared().get(c));
      insert.append(c == 0 ? "" : ", ").append("?");
    }
    try (Statement s = db.createStatement()) {
      s.execute(create + ")");
    }
    db.setAutoCommit(false);
    for (List<Value> row : table.rows()) {
      String sql = insert.toString();
      for (int c = row.size() - 1; c >= 0; c--) { // text that is not UTF-8: bytes stored as text
        if (row.get(c).kind().equals("bytes")) {
          int at = ordinal(sql, c);
          sql = sql.substring(0, at) + "CAST(? AS TEXT)" + sql.substring(at + 1);
        }
      }
      try (PreparedStatement s = db.prepareStatement(sql + ")")) {
        for (int c = 0; c < row.size(); c++) {
          row.get(c).bind(s, c + 1);
        }
        s.executeUpdate();
      }
    }
    db.commit();
    db.setAutoCommit(true);
    db.unwrap(SQLiteConnection.class).setLimit(SQLiteLimits.SQLITE_LIMIT_LENGTH, GravityDatabase.MAX_VALUE_BYTES);
  }

  /** Where the {@code n}th "?" of {@code sql} is. */
  private static int ordinal(String sql, int n) {
    int at = sql.indexOf('?');
    for (int i = 0; i < n; i++) {
      at = sql.indexOf('?', at + 1);
    }
    return at;
  }

  private static byte[] dumped(Connection db) throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    DumpQuery query = DumpQuery.of(db, "t").orElseThrow();
    query.write(db, new CanonicalRows(out));
    return out.toByteArray();
  }

  /** The old CanonicalRows, as it wrote every content hash stored so far. */
  private static byte[] reference(Connection db) throws Exception {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    Writer out = new BufferedWriter(new OutputStreamWriter(bytes, StandardCharsets.UTF_8), 16 * 1024);
    try (Statement s = db.createStatement(); ResultSet rs = s.executeQuery("SELECT * FROM \"t\" ORDER BY 1, 2")) {
      ResultSetMetaData meta = rs.getMetaData();
      String[] columns = new String[meta.getColumnCount()];
      for (int c = 0; c < columns.length; c++) {
        columns[c] = meta.getColumnName(c + 1);
      }
      while (rs.next()) {
        for (int c = 0; c < columns.length; c++) {
          out.write(columns[c]);
          out.write('=');
          out.write(String.valueOf(rs.getString(c + 1)));
          out.write('\u001f');
        }
        out.write('\n');
      }
    }
    out.flush();
    return bytes.toByteArray();
  }
}
