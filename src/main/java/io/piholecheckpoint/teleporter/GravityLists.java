package io.piholecheckpoint.teleporter;

import io.piholecheckpoint.core.backup.InvalidArchiveException;
import io.piholecheckpoint.core.contents.ArchiveContents;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** The lists of a gravity.db as a person knows them: by address, domain and group name, not by id. */
final class GravityLists {
  private GravityLists() {
  }

  record Lists(List<ArchiveContents.Group> groups, List<ArchiveContents.Adlist> adlists, List<ArchiveContents.Domain> domains,
               List<ArchiveContents.Client> clients) {
  }

  static Lists read(Connection db) {
    try (Statement s = db.createStatement()) {
      Map<Integer, String> groupNames = new HashMap<>();
      List<ArchiveContents.Group> groups = new ArrayList<>();
      try (ResultSet rs = s.executeQuery("SELECT id, name, enabled, description FROM \"group\" ORDER BY id")) {
        while (rs.next()) {
          groupNames.put(rs.getInt(1), rs.getString(2));
          groups.add(new ArchiveContents.Group(rs.getString(2), rs.getInt(3) != 0, rs.getString(4)));
        }
      }
      Map<Integer, List<String>> adlistGroups = memberships(s, "adlist_by_group", "adlist_id", groupNames);
      List<ArchiveContents.Adlist> adlists = new ArrayList<>();
      try (ResultSet rs = s.executeQuery("SELECT id, address, type, enabled, comment FROM adlist ORDER BY address")) {
        while (rs.next()) {
          adlists.add(new ArchiveContents.Adlist(rs.getString(2), rs.getInt(3) == 1 ? "allow" : "block", rs.getInt(4) != 0,
              adlistGroups.getOrDefault(rs.getInt(1), List.of()), rs.getString(5)));
        }
      }
      Map<Integer, List<String>> domainGroups = memberships(s, "domainlist_by_group", "domainlist_id", groupNames);
      List<ArchiveContents.Domain> domains = new ArrayList<>();
      try (ResultSet rs = s.executeQuery("SELECT id, domain, type, enabled, comment FROM domainlist ORDER BY domain, type")) {
        while (rs.next()) {
          int type = rs.getInt(3); // 0 allow exact, 1 deny exact, 2 allow regex, 3 deny regex
          domains.add(new ArchiveContents.Domain(rs.getString(2), type % 2 == 0 ? "allow" : "deny", type < 2 ? "exact" : "regex",
              rs.getInt(4) != 0, domainGroups.getOrDefault(rs.getInt(1), List.of()), rs.getString(5)));
        }
      }
      Map<Integer, List<String>> clientGroups = memberships(s, "client_by_group", "client_id", groupNames);
      List<ArchiveContents.Client> clients = new ArrayList<>();
      try (ResultSet rs = s.executeQuery("SELECT id, ip, comment FROM client ORDER BY ip")) {
        while (rs.next()) {
          clients.add(new ArchiveContents.Client(rs.getString(2), clientGroups.getOrDefault(rs.getInt(1), List.of()), rs.getString(3)));
        }
      }
      return new Lists(groups, adlists, domains, clients);
    } catch (SQLException e) {
      throw new InvalidArchiveException("its gravity.db cannot be read: " + e.getMessage(), e);
    }
  }

  private static Map<Integer, List<String>> memberships(Statement s, String table, String column, Map<Integer, String> groupNames)
      throws SQLException {
    Map<Integer, List<String>> groups = new HashMap<>();
    try (ResultSet rs = s.executeQuery("SELECT " + column + ", group_id FROM " + table + " ORDER BY group_id")) {
      while (rs.next()) {
        groups.computeIfAbsent(rs.getInt(1), k -> new ArrayList<>()).add(groupNames.getOrDefault(rs.getInt(2), "#" + rs.getInt(2)));
      }
    }
    return groups;
  }
}
