package io.piholecheckpoint.web;

import io.piholecheckpoint.core.instance.InstanceForm;
import jakarta.servlet.http.HttpServletRequest;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Function;

/** Instance forms from a browser form or an API body; a field left out keeps {@code base}'s value. */
final class InstanceForms {
  private InstanceForms() {
  }

  /** A typed API body: numbers and flags arrive as JSON numbers and booleans, and the rules see them as text. */
  static InstanceForm fromJson(JsonBody.Read<ApiRequests.InstanceRequest> body, InstanceForm base) {
    ApiRequests.InstanceRequest r = body.value();
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
    return read(base, field -> given.get(field) == null ? null : given.get(field).toString(), field -> switch (field) {
      case "skipUnchanged" -> r.skipUnchanged();
      case "active" -> r.active();
      default -> null;
    });
  }

  /** Checkboxes send nothing when unticked, so the browser form always says what they are. */
  static InstanceForm fromParameters(HttpServletRequest request, InstanceForm base) {
    return read(base, request::getParameter, field -> request.getParameter(field) != null);
  }

  private static InstanceForm read(InstanceForm b, Function<String, String> text, Function<String, Boolean> flag) {
    return new InstanceForm(
        or(text.apply("name"), b.name()),
        or(text.apply("url"), b.url()),
        blankKeeps(text.apply("password")),
        blankKeeps(text.apply("totpSecret")),
        or(text.apply("tlsMode"), b.tlsMode()),
        or(text.apply("caPem"), b.caPem()),
        or(text.apply("fingerprint"), b.fingerprint()),
        or(text.apply("timeoutSeconds"), b.timeoutSeconds()),
        or(text.apply("scheduleKind"), b.scheduleKind()),
        or(text.apply("time"), b.time()),
        or(text.apply("day"), b.day()),
        or(text.apply("cron"), b.cron()),
        or(text.apply("maxBackups"), b.maxBackups()),
        or(text.apply("maxAgeDays"), b.maxAgeDays()),
        or(text.apply("keepDaily"), b.keepDaily()),
        or(text.apply("keepWeekly"), b.keepWeekly()),
        or(text.apply("keepMonthly"), b.keepMonthly()),
        orFlag(flag.apply("skipUnchanged"), b.skipUnchanged()),
        orFlag(flag.apply("active"), b.active()));
  }

  /** Write-only secrets: empty or absent keeps the stored one; "-" removes it. */
  private static String blankKeeps(String value) {
    if (value == null || value.isEmpty()) {
      return null;
    }
    return value.equals("-") ? "" : value;
  }

  private static String or(String value, String fallback) {
    return value == null ? fallback : value;
  }

  private static boolean orFlag(Boolean value, boolean fallback) {
    return value == null ? fallback : value;
  }
}
