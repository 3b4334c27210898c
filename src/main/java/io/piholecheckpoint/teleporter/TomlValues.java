package io.piholecheckpoint.teleporter;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/**
 * A pihole.toml value as text for the pages, the API and diffs. Numbers are plain decimals:
 * the TOML reader keeps {@code limit = 60.000000} as a BigDecimal whose own text is {@code 6E+1},
 * which no Pi-hole user wrote or would recognise.
 */
final class TomlValues {
  private TomlValues() {
  }

  static String text(JsonNode node) {
    if (node.isIntegralNumber()) {
      return node.bigIntegerValue().toString();
    }
    if (node.isNumber() && Double.isFinite(node.doubleValue())) { // TOML has nan and inf: those stay as written
      return node.decimalValue().toPlainString();
    }
    if (node.isArray()) {
      List<String> items = new ArrayList<>();
      node.forEach(item -> items.add(text(item)));
      return "[" + String.join(",", items) + "]";
    }
    return node.toString();
  }
}
