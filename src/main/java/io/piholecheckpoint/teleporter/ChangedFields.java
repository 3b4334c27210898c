package io.piholecheckpoint.teleporter;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.piholecheckpoint.core.contents.FieldChange;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * Which fields of a changed item differ, from its {@link ListIndex} row on each side as {@link IndexDiff}
 * keeps them ({@code [[a, b, c, groups], [a, b, c, groups]]}), named and shown as a person reads them.
 */
final class ChangedFields {
  private static final ObjectMapper JSON = new ObjectMapper();

  private ChangedFields() {
  }

  /** @param reversed the kept diff is read in the other direction: its newer side is the one before */
  static List<FieldChange> of(GravityTable table, String sides, boolean reversed) throws SQLException {
    JsonNode both;
    try {
      both = JSON.readTree(sides);
    } catch (JsonProcessingException e) {
      throw new SQLException("a kept diff holds fields that are not JSON: " + e.getOriginalMessage(), e);
    }
    JsonNode before = both.path(reversed ? 1 : 0);
    JsonNode after = both.path(reversed ? 0 : 1);
    List<String> names = names(table);
    List<FieldChange> changes = new ArrayList<>();
    for (int i = 0; i < names.size(); i++) {
      String name = names.get(i);
      if (name != null) {
        add(changes, name, shown(table, name, before.path(i)), shown(table, name, after.path(i)));
      }
    }
    if (table.memberships != null) {
      add(changes, "groups", groups(before.path(3)), groups(after.path(3)));
    }
    return List.copyOf(changes);
  }

  /** Columns a, b and c of the table's rows (see {@link GravityTable#columns}); null where there is none, or it is part of the key. */
  private static List<String> names(GravityTable table) {
    return switch (table) {
      case GROUPS -> Arrays.asList("enabled", "description");
      case ADLISTS -> Arrays.asList("type", "enabled", "comment");
      case DOMAINS -> Arrays.asList(null, "enabled", "comment"); // the type is part of the key: another type is another item
      case CLIENTS -> Arrays.asList("comment");
    };
  }

  private static void add(List<FieldChange> changes, String name, String before, String after) {
    if (!Objects.equals(before, after)) {
      changes.add(new FieldChange(name, before, after));
    }
  }

  private static String shown(GravityTable table, String name, JsonNode value) {
    if (value.isNull() || value.isMissingNode()) {
      return "(none)";
    }
    return switch (name) {
      case "enabled" -> value.asDouble() != 0 ? "yes" : "no";
      case "type" -> table == GravityTable.ADLISTS ? (value.asDouble() == 1 ? "allow" : "block") : value.asText();
      default -> value.asText();
    };
  }

  /** The group names as the index shows them: a JSON array, in text. */
  private static String groups(JsonNode shown) {
    if (shown.isNull() || shown.isMissingNode()) {
      return "(none)";
    }
    try {
      List<String> names = new ArrayList<>();
      JSON.readTree(shown.asText()).forEach(n -> names.add(n.asText()));
      return names.isEmpty() ? "(none)" : String.join(", ", names);
    } catch (JsonProcessingException e) {
      return shown.asText();
    }
  }
}
