package io.piholecheckpoint.web.api;

import io.piholecheckpoint.core.settings.InstanceForm;
import io.piholecheckpoint.web.InstanceForms;
import io.piholecheckpoint.web.JsonBody;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

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
   * returns to the default timeout. The fields that GET answers as null when the schedule kind or TLS mode does
   * not use them may be sent back so: null is the same as left out.
   */
  record InstanceRequest(String name, String url, String password, String totpSecret, String tlsMode, String caPem,
                         String fingerprint, Integer timeoutSeconds, String scheduleKind, String time, String day, String cron,
                         Integer maxBackups, Integer maxAgeDays, Integer keepDaily, Integer keepWeekly, Integer keepMonthly,
                         Boolean skipUnchanged, Boolean active) {
    static final String[] NULLABLE = {"timeoutSeconds", "caPem", "fingerprint", "time", "day", "cron"};
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
    if (r.scheduleKind() == null && r.cron() != null && !r.cron().isBlank()) {
      given.put("scheduleKind", "cron"); // a cron expression says what kind of schedule it is
    }
    InstanceForm form = InstanceForms.read(base, field -> given.get(field) == null ? null : given.get(field).toString(), field -> switch (field) {
      case "skipUnchanged" -> r.skipUnchanged();
      case "active" -> r.active();
      default -> null;
    });
    return form;
  }

  /**
   * A field sent with a value that the chosen schedule kind or TLS mode does not use would be
   * stored and never read: the caller meant something else, so it is refused, naming the field
   * that decides; the other fields' problems are answered with it
   * ({@link io.piholecheckpoint.core.registry.InstanceService#refuseWith}). (The browser form's own words are
   * {@link InstanceForms#unusedIn}.)
   *
   * @param form {@link #form} of the same body and {@code base}
   */
  public static Map<String, String> unused(JsonBody.Read<InstanceRequest> body, InstanceForm form, InstanceForm base) {
    InstanceRequest r = body.value();
    String kind = form.scheduleKind() == null ? "" : form.scheduleKind().trim().toLowerCase(Locale.ROOT);
    String tls = form.tlsMode() == null || form.tlsMode().isBlank() ? "system" : form.tlsMode().trim().toLowerCase(Locale.ROOT);
    Map<String, String> unused = new LinkedHashMap<>();
    if (!List.of("hourly", "daily", "weekly", "cron").contains(kind) || !List.of("system", "ca", "fingerprint", "insecure").contains(tls)) {
      return unused; // the validation says what is wrong with the mode itself
    }
    if (given(r.cron()) && !kind.equals("cron") && !echoed(r.cron(), form, base)) {
      unused.put("cron", "cron is used only with scheduleKind \"cron\", and this one is \"%s\": leave cron out, or set scheduleKind to \"cron\"".formatted(kind));
    }
    if (given(r.time()) && kind.equals("cron")) {
      unused.put("time", "time is not used with scheduleKind \"cron\" (the cron expression says when): leave it out");
    }
    if (given(r.day()) && !kind.equals("weekly")) {
      unused.put("day", "day is used only with scheduleKind \"weekly\", and this one is \"%s\": leave day out, or set scheduleKind to \"weekly\"".formatted(kind));
    }
    if (given(r.caPem()) && !tls.equals("ca")) {
      unused.put("caPem", "caPem is used only with tlsMode \"ca\", and this one is \"%s\": leave caPem out, or set tlsMode to \"ca\"".formatted(tls));
    }
    if (given(r.fingerprint()) && !tls.equals("fingerprint")) {
      unused.put("fingerprint", "fingerprint is used only with tlsMode \"fingerprint\", and this one is \"%s\": leave it out, or set tlsMode to \"fingerprint\""
          .formatted(tls));
    }
    return unused;
  }

  /**
   * GET answers a schedule of another kind with its crontab form in {@code cron}: sent back as it was
   * answered (before or after a change of time or day in the same request), it says nothing new.
   */
  private static boolean echoed(String cron, InstanceForm form, InstanceForm base) {
    return Stream.of(form, base).map(InstanceForms::crontab).flatMap(Optional::stream).anyMatch(cron.trim()::equals);
  }

  private static boolean given(String value) {
    return value != null && !value.isBlank();
  }

}
