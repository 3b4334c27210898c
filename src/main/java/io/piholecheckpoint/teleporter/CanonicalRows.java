package io.piholecheckpoint.teleporter;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;

/**
 * Rows as the content hash has always seen them — a "[table]" line, then per row
 * {@code column=value\u001f}… and a newline, in UTF-8 — written as they are read, so that a
 * table of a million rows costs no more heap than one of ten.
 */
final class CanonicalRows {
  private final Writer out;

  CanonicalRows(OutputStream out) {
    this.out = new BufferedWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8), 16 * 1024);
  }

  void table(String name) throws IOException {
    out.write("[" + name + "]\n");
  }

  /** Writes every row of {@code rs}, then flushes. */
  void write(ResultSet rs) throws SQLException, IOException {
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
    out.flush();
  }
}
