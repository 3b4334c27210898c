package io.piholecheckpoint.core.units;

import java.util.List;

/** JSON written by the core, where a value is sent as JSON text (a setting sent to Pi-hole's config API). */
public final class JsonText {
  private JsonText() {
  }

  /** A JSON array of strings, escaped: {@code ["192.168.1.10 nas.lan"]}. */
  public static String stringArray(List<String> values) {
    StringBuilder json = new StringBuilder("[");
    for (int i = 0; i < values.size(); i++) {
      json.append(i == 0 ? "" : ",").append('"').append(values.get(i).replace("\\", "\\\\").replace("\"", "\\\"")).append('"');
    }
    return json.append(']').toString();
  }
}
