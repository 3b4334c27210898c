package io.piholecheckpoint.web.api;

import io.piholecheckpoint.core.settings.InstanceForm;
import io.piholecheckpoint.web.InstanceForms;
import io.piholecheckpoint.web.JsonBody;
import java.util.HashMap;
import java.util.Map;

/**
 * The request bodies of {@code /api/v1}, read by {@link JsonBody}: a field left out is null,
 * a field of another JSON type or a key not listed here is a 400 naming it.
 */
final class ApiRequests {
  private ApiRequests() {
  }

  /**
   * {@code POST /api/v1/instances} and {@code PUT /api/v1/instances/{id}}. Numbers are JSON
   * numbers and flags JSON booleans, as {@code GET} answers them; {@code timeoutSeconds: null}
   * returns to the default timeout.
   */
  record InstanceRequest(String name, String url, String password, String totpSecret, String tlsMode, String caPem,
                         String fingerprint, Integer timeoutSeconds, String scheduleKind, String time, String day, String cron,
                         Integer maxBackups, Integer maxAgeDays, Integer keepDaily, Integer keepWeekly, Integer keepMonthly,
                         Boolean skipUnchanged, Boolean active) {
    static final String NULLABLE = "timeoutSeconds";
  }

  /** {@code POST /api/v1/backups/{id}/restore}; everything may be left out. */
  record RestoreRequest(Long target, String mode, Parts parts, Boolean dryRun) {
  }

  /** The parts of a {@code custom} restore; a part left out is not restored. */
  record Parts(Boolean lists, Boolean localDns, Boolean settings, Boolean identity) {
  }

  /** A typed API body: numbers and flags arrive as JSON numbers and booleans, and the rules see them as text. */
  public static InstanceForm form(JsonBody.Read<InstanceRequest> body, InstanceForm base) {
    InstanceRequest r = body.value();
    Map<String, Object> given = new HashMap<>();
    given.put("name", r.name());
    given.put("url", r.url());
    given.put("password", r.password());
    given.put("totpSecret", r.totpSecret());
    given.put("tlsMode", r.tlsMode());
    given.put("caPem", r.caPem());
    given.put("fingerprint", r.fingerprint());
    // null is "back to the default", which the form spells as an empty field
    given.put("timeoutSeconds", body.tree().has("timeoutSeconds") && r.timeoutSeconds() == null ? "" : r.timeoutSeconds());
    given.put("scheduleKind", r.scheduleKind());
    given.put("time", r.time());
    given.put("day", r.day());
    given.put("cron", r.cron());
    given.put("maxBackups", r.maxBackups());
    given.put("maxAgeDays", r.maxAgeDays());
    given.put("keepDaily", r.keepDaily());
    given.put("keepWeekly", r.keepWeekly());
    given.put("keepMonthly", r.keepMonthly());
    return InstanceForms.read(base, field -> given.get(field) == null ? null : given.get(field).toString(), field -> switch (field) {
      case "skipUnchanged" -> r.skipUnchanged();
      case "active" -> r.active();
      default -> null;
    });
  }

}
