package io.piholecheckpoint.teleporter;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;

/**
 * Rows as the content hash has always seen them — a "[table]" line, then per row
 * {@code column=value\u001f}… and a newline, in UTF-8 — written as they are read, so that a
 * table of a million rows costs no more heap than one of ten. A value's text is what
 * {@code ResultSet.getString} gives ({@code null} for SQL NULL): the bytes SQLite hands over,
 * decoded as UTF-8 (a malformed byte becomes U+FFFD) and encoded again.
 */
final class CanonicalRows {
  private final OutputStream out;

  CanonicalRows(OutputStream out) {
    this.out = new BufferedOutputStream(out, 16 * 1024);
  }

  void table(String name) throws IOException {
    out.write(("[" + name + "]\n").getBytes(StandardCharsets.UTF_8));
  }

  /** Writes every row of {@code rs} value by value, then flushes. */
  void write(ResultSet rs) throws SQLException, IOException {
    ResultSetMetaData meta = rs.getMetaData();
    byte[][] columns = new byte[meta.getColumnCount()][];
    for (int c = 0; c < columns.length; c++) {
      columns[c] = (meta.getColumnName(c + 1) + "=").getBytes(StandardCharsets.UTF_8);
    }
    while (rs.next()) {
      for (int c = 0; c < columns.length; c++) {
        out.write(columns[c]);
        out.write(String.valueOf(rs.getString(c + 1)).getBytes(StandardCharsets.UTF_8));
        out.write('\u001f');
      }
      out.write('\n');
    }
    out.flush();
  }

  /**
   * Writes a row whose {@code column=value\u001f}… text SQLite built ({@link DumpQuery}), in a UTF-8 database:
   * the same bytes as {@link #write}, as its separators are ASCII, so a malformed sequence ends where its value ends.
   */
  void row(byte[] text) throws IOException {
    out.write(ascii(text) ? text : new String(text, StandardCharsets.UTF_8).getBytes(StandardCharsets.UTF_8));
    out.write('\n');
  }

  void flush() throws IOException {
    out.flush();
  }

  /** ASCII is valid UTF-8 that decodes and encodes to itself: no String needed for a Pi-hole's usual row. */
  private static boolean ascii(byte[] text) {
    for (byte b : text) {
      if (b < 0) {
        return false;
      }
    }
    return true;
  }
}
