package io.piholecheckpoint.teleporter;

import io.piholecheckpoint.core.contents.ArchiveContents;
import io.piholecheckpoint.core.contents.ListCategory;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;

/**
 * How each list lives in gravity.db: its natural key (what a person calls an item; Teleporter's
 * copy has no indexes, so ids mean nothing across exports), the text shown for an item, what
 * makes two items with one key differ, and the table of its group memberships.
 */
enum GravityTable {
  GROUPS(ListCategory.GROUPS, "\"group\"", "t.name", "0", "t.name", "json_array(t.enabled, t.description)", null, null,
      "t.enabled, t.description") {
    @Override
    Object item(Row rs, List<String> groups) {
      return new ArchiveContents.Group(rs.getString(4), rs.getInt(5) != 0, rs.getString(6));
    }
  },
  ADLISTS(ListCategory.ADLISTS, "adlist", "t.address", "0", "t.address", "json_array(t.type, t.enabled, t.comment, gm.names)",
      "adlist_by_group", "adlist_id", "t.type, t.enabled, t.comment") {
    @Override
    Object item(Row rs, List<String> groups) {
      return new ArchiveContents.Adlist(rs.getString(4), rs.getInt(5) == 1 ? "allow" : "block", rs.getInt(6) != 0, groups, rs.getString(7));
    }
  },
  /** type: 0 allow exact, 1 deny exact, 2 allow regex, 3 deny regex; any other (a newer Pi-hole's, or a damaged row) is named by its number. */
  DOMAINS(ListCategory.DOMAINS, "domainlist", "t.domain", "t.type",
      "(CASE t.type WHEN 0 THEN 'allow exact ' WHEN 1 THEN 'deny exact ' WHEN 2 THEN 'allow regex ' WHEN 3 THEN 'deny regex ' "
          + "ELSE 'type ' || t.type || ' unknown ' END) || t.domain",
      "json_array(t.enabled, t.comment, gm.names)", "domainlist_by_group", "domainlist_id", "t.type, t.enabled, t.comment") {
    @Override
    Object item(Row rs, List<String> groups) {
      int type = rs.getInt(5);
      boolean known = type >= 0 && type <= 3;
      return new ArchiveContents.Domain(rs.getString(4), !known ? "type " + type : type % 2 == 0 ? "allow" : "deny",
          !known ? "unknown" : type < 2 ? "exact" : "regex", rs.getInt(6) != 0, groups, rs.getString(7));
    }
  },
  CLIENTS(ListCategory.CLIENTS, "client", "t.ip", "0", "t.ip", "json_array(t.comment, gm.names)", "client_by_group", "client_id",
      "t.comment") {
    @Override
    Object item(Row rs, List<String> groups) {
      return new ArchiveContents.Client(rs.getString(4), groups, rs.getString(5));
    }
  };

  final ListCategory category;
  final String table;
  final String key1;
  final String key2;
  final String label;
  final String signature;
  final String memberships;
  final String memberColumn;
  /** This table's own columns, read by {@link #item} after the key text. */
  final String columns;

  GravityTable(ListCategory category, String table, String key1, String key2, String label, String signature, String memberships,
               String memberColumn, String columns) {
    this.category = category;
    this.table = table;
    this.key1 = key1;
    this.key2 = key2;
    this.label = label;
    this.signature = signature;
    this.memberships = memberships;
    this.memberColumn = memberColumn;
    this.columns = columns;
  }

  static GravityTable of(ListCategory category) {
    return valueOf(category.name());
  }

  /** Columns 1–3 are id, key1 and key2; then the key text and this table's own columns, read by {@link #item}. */
  String pageColumns() {
    return "t.id, " + key1 + ", " + key2 + ", " + key1 + ", " + columns;
  }

  abstract Object item(Row rs, List<String> groups);

  /** Key order; a constant second key is left out, as SQLite would read "0" as a column number. */
  String order() {
    return key2.equals("0") ? key1 : key1 + ", " + key2;
  }

  /** One row as read by {@link #pageColumns}, kept until its groups are known. */
  record Row(Object[] values) {
    static Row of(ResultSet rs) throws SQLException {
      Object[] values = new Object[rs.getMetaData().getColumnCount()];
      for (int i = 0; i < values.length; i++) {
        values[i] = rs.getObject(i + 1);
      }
      return new Row(values);
    }

    String getString(int column) {
      Object value = values[column - 1];
      return value == null ? null : value.toString();
    }

    /** Teleporter's tables have loose column types: a number may come back as text. */
    int getInt(int column) {
      Object value = values[column - 1];
      if (value instanceof Number n) {
        return n.intValue();
      }
      try {
        return value == null ? 0 : (int) Double.parseDouble(value.toString());
      } catch (NumberFormatException e) {
        return 0;
      }
    }

    long getLong(int column) {
      return values[column - 1] instanceof Number n ? n.longValue() : 0;
    }
  }

  /** Key and label of every row of {@code schema}'s table. */
  String keys(String schema) {
    return "SELECT " + key1 + " AS k1, " + key2 + " AS k2, " + label + " AS item FROM " + schema + "." + table + " t";
  }

  /** Key, label and everything a restore would bring back, group names included, of every row. */
  String signatures(String schema) {
    return rows(schema, "");
  }

  /**
   * What a {@link ListIndex} keeps of every row, in key order (first id first among equal keys):
   * k1, k2, item, sig, this table's {@link #columns}, then the group names as shown (JSON, in group id order).
   */
  String indexed() {
    return rows("main", ", " + columns + ", " + (memberships == null ? "NULL" : "gm.shown")) + " ORDER BY k1, k2, t.id";
  }

  private String rows(String schema, String more) {
    String rows = "SELECT " + key1 + " AS k1, " + key2 + " AS k2, " + label + " AS item, " + signature + " AS sig" + more + " FROM " + schema
        + "." + table + " t";
    if (memberships == null) {
      return rows;
    }
    String name = "coalesce(g.name, '#' || m.group_id)";
    return rows + " LEFT JOIN (SELECT m." + memberColumn + " AS id, group_concat(" + name + ", ',' ORDER BY " + name + ") AS names, "
        + "json_group_array(" + name + " ORDER BY m.group_id) AS shown FROM " + schema + "." + memberships + " m LEFT JOIN " + schema
        + ".\"group\" g ON g.id = m.group_id GROUP BY m." + memberColumn + ") gm ON gm.id = t.id";
  }
}
