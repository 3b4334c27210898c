package io.piholecheckpoint.notify;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One message: what happened, to which instance (null for app-wide news such as low disk space),
 * and what to do. Never holds a secret or archive contents.
 */
public record Notification(NotifyEvent event, String instance, String title, String message, Instant at) {
  /** As the flat fields a generic receiver gets (a webhook, Home Assistant), in this order. */
  Map<String, Object> fields() {
    Map<String, Object> fields = new LinkedHashMap<>();
    fields.put("event", event.code());
    fields.put("severity", event.severity());
    fields.put("instance", instance);
    fields.put("title", title);
    fields.put("message", message);
    fields.put("timestamp", at.toString());
    return fields;
  }
}
