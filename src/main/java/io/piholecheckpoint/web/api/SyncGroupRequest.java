package io.piholecheckpoint.web.api;

import io.piholecheckpoint.core.syncgroup.SyncGroupForm;
import io.piholecheckpoint.web.JsonBody;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code POST /api/v1/sync/groups} and {@code PUT /api/v1/sync/groups/{group}}: a group's settings,
 * each field as {@code GET /api/v1/sync} names it (the {@code SYNC_<GROUP>_} variable of the same
 * name in camel case); the primary and the replicas by instance name. A field left out is kept as
 * stored; one sent as null goes back to its default.
 */
record SyncGroupRequest(String name, String primary, List<String> replicas, String mode, List<String> excludeSettings, Boolean keepReplicaDns,
                        String when, String snapshot, String staleAfter) {
  static final String[] NULLABLE = {"mode", "excludeSettings", "keepReplicaDns", "when", "snapshot", "staleAfter"};

  static SyncGroupForm form(JsonBody.Read<SyncGroupRequest> body) {
    SyncGroupRequest r = body.value();
    Map<String, String> values = new HashMap<>();
    put(values, body, "MODE", "mode", r.mode);
    put(values, body, "EXCLUDE_SETTINGS", "excludeSettings", r.excludeSettings == null ? null : String.join(",", r.excludeSettings));
    put(values, body, "KEEP_REPLICA_DNS", "keepReplicaDns", r.keepReplicaDns == null ? null : r.keepReplicaDns.toString());
    put(values, body, "WHEN", "when", r.when);
    put(values, body, "SNAPSHOT", "snapshot", r.snapshot);
    put(values, body, "STALE_AFTER", "staleAfter", r.staleAfter);
    return new SyncGroupForm(r.name, r.primary, r.replicas, values);
  }

  private static void put(Map<String, String> values, JsonBody.Read<SyncGroupRequest> body, String suffix, String field, String value) {
    values.put(suffix, value == null && body.tree().has(field) ? "" : value);
  }
}
