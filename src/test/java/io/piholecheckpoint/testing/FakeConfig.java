package io.piholecheckpoint.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What FTL tells about and changes in its configuration: {@code PATCH /api/config} (written into
 * the pihole.toml of the state the teleporter exports; keys forced by {@code FTLCONF_} variables
 * refused), {@code GET /api/info/version} and {@code /api/info/ftl}, and the gravity read
 * {@code GET /api/groups}.
 */
final class FakeConfig {
  private static final String VERSION = """
      {"version":{"core":{"local":{"branch":"master","version":"v6.2.2","hash":"1837b754"},"remote":{"version":null,"hash":null}},
       "web":{"local":{"branch":null,"version":null,"hash":null},"remote":{"version":null,"hash":null}},
       "ftl":{"local":{"hash":"8d1add8d","branch":"master","version":"v6.4.1","date":"2025-11-27 18:02:19 +0000"},"remote":{"version":null,"hash":null}},
       "docker":{"local":null,"remote":null}}}""";

  private final FakeTeleporter state;
  private final Set<String> forcedKeys = Collections.synchronizedSet(new HashSet<>());
  private volatile boolean failPatches;

  FakeConfig(FakeTeleporter state) {
    this.state = state;
  }

  void force(String... keys) {
    forcedKeys.addAll(List.of(keys));
  }

  void failPatches() {
    failPatches = true;
  }

  void version(HttpExchange ex) throws IOException {
    FakeReplies.json(ex, 200, (ObjectNode) FakeReplies.JSON.readTree(VERSION));
  }

  /** The process FTL runs: its PID stays across a restart, its uptime (ms) starts again. */
  void ftl(HttpExchange ex, long pid, long uptimeMillis) throws IOException {
    ObjectNode answer = FakeReplies.JSON.createObjectNode();
    answer.putObject("ftl").put("pid", pid).put("uptime", uptimeMillis).put("%mem", 1.2).put("%cpu", 0.1).put("allow_destructive", true);
    FakeReplies.json(ex, 200, answer);
  }

  /** A gravity read: "Database not available" for a moment after a restart, as FTL opens gravity.db again. */
  void groups(HttpExchange ex, boolean databaseAvailable) throws IOException {
    if (!databaseAvailable) {
      FakeReplies.error(ex, 400, "bad_request", "Database not available", null);
      return;
    }
    ObjectNode answer = FakeReplies.JSON.createObjectNode();
    var groups = answer.putArray("groups");
    List<String> names = FakeImport.groups(state.archive());
    for (int i = 0; i < names.size(); i++) {
      groups.addObject().put("name", names.get(i)).put("id", i).put("enabled", true);
    }
    FakeReplies.json(ex, 200, answer);
  }

  void patch(HttpExchange ex) throws IOException {
    JsonNode body = FakeReplies.JSON.readTree(ex.getRequestBody().readAllBytes());
    if (failPatches) {
      FakeReplies.error(ex, 500, "internal_error", "Internal server error", null);
      return;
    }
    Map<String, JsonNode> values = new LinkedHashMap<>();
    FakeImport.flatten("", body.path("config"), values);
    for (String key : values.keySet()) {
      if (forcedKeys.contains(key)) {
        FakeReplies.error(ex, 400, "bad_request", "Config item is read-only (set via environment variable)", key);
        return;
      }
    }
    String toml = FakeImport.config(state.archive());
    for (Map.Entry<String, JsonNode> e : values.entrySet()) {
      toml = FakeImport.setTomlKey(toml, e.getKey(), e.getValue().toString());
    }
    state.archive(FakeImport.withConfig(state.archive(), toml));
    ObjectNode answer = FakeReplies.JSON.createObjectNode();
    answer.set("config", body.path("config"));
    FakeReplies.json(ex, 200, answer);
  }
}
