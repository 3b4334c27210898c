package io.piholecheckpoint.web;

import io.piholecheckpoint.core.schedule.Schedule;
import io.piholecheckpoint.core.settings.InstanceForm;
import io.piholecheckpoint.core.settings.InstanceSettings;
import jakarta.servlet.http.HttpServletRequest;
import java.time.DayOfWeek;
import java.time.LocalTime;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/** Instance forms from a browser form or (through the API's request) a JSON body; a field left out keeps {@code base}'s value. */
public final class InstanceForms {
  /** Every field of the form, as {@link #read} reads them. */
  public static final List<String> FIELDS = List.of("name", "url", "password", "totpSecret", "tlsMode", "caPem", "fingerprint", "timeoutSeconds",
      "scheduleKind", "time", "day", "cron", "maxBackups", "maxAgeDays", "keepDaily", "keepWeekly", "keepMonthly", "skipUnchanged", "active");

  private InstanceForms() {
  }

  /**
   * Checkboxes send nothing when unticked, so the browser form always says what they are. A field
   * sent twice never reaches here: the access filter refuses it for every form.
   */
  public static InstanceForm fromParameters(HttpServletRequest request, InstanceForm base) {
    return read(base, request::getParameter, field -> request.getParameter(field) != null);
  }

  /**
   * The form from {@code text} and {@code flag} lookups of its fields, whatever they were sent
   * as; a field they answer null for keeps {@code b}'s value.
   */
  public static InstanceForm read(InstanceForm b, Function<String, String> text, Function<String, Boolean> flag) {
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

  /**
   * What a person typed into a field of the browser form that the chosen Trust or schedule kind does
   * not use, with the message to show beside it. Without JavaScript the form shows every field, and
   * such a value would be stored as nothing at all; with JavaScript the hidden fields are not sent.
   * The API refuses the same (its own words, in {@code ApiRequests}). {@code time} and {@code day}
   * are not looked at: the form always sends them (a default time, a select), typed or not.
   *
   * @param form the form as read from {@code request}, for the mode and kind it chose or kept
   */
  public static Map<String, String> unusedIn(HttpServletRequest request, InstanceForm form) {
    String tls = chosen(form.tlsMode(), "system");
    String kind = chosen(form.scheduleKind(), "");
    Map<String, String> unused = new LinkedHashMap<>();
    if (List.of("system", "ca", "fingerprint", "insecure").contains(tls)) {
      if (typed(request, "caPem") && !tls.equals("ca")) {
        unused.put("caPem", "You pasted a CA certificate, but Trust is '%s' — choose 'ca' or clear it.".formatted(tls));
      }
      if (typed(request, "fingerprint") && !tls.equals("fingerprint")) {
        unused.put("fingerprint", "You entered a fingerprint, but Trust is '%s' — choose 'fingerprint' or clear it.".formatted(tls));
      }
    }
    if (List.of("hourly", "daily", "weekly", "cron").contains(kind) && typed(request, "cron") && !kind.equals("cron")) {
      unused.put("cron", "You entered a cron expression, but Back up is '%s' — choose 'cron' or clear it.".formatted(kind));
    }
    return unused; // a mode that is none of these is the validation's to name
  }

  private static String chosen(String value, String blank) {
    return value == null || value.isBlank() ? blank : value.trim().toLowerCase(Locale.ROOT);
  }

  private static boolean typed(HttpServletRequest request, String field) {
    String value = request.getParameter(field);
    return value != null && !value.isBlank();
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

  /**
   * The crontab form of an hourly, daily or weekly schedule in these fields (Schedule.crontab, as app.js writes it to ask for
   * its next runs); empty for a cron schedule, or when they do not make one.
   */
  public static Optional<String> crontab(InstanceForm f) {
    try {
      Schedule.Kind kind = Schedule.Kind.valueOf(f.scheduleKind().trim().toUpperCase(Locale.ROOT));
      DayOfWeek day = f.day() == null || f.day().isBlank() ? DayOfWeek.SUNDAY : InstanceSettings.weekday(f.day());
      return kind == Schedule.Kind.CRON ? Optional.empty() : Optional.of(new Schedule(kind, LocalTime.parse(f.time().trim()), day, null).crontab());
    } catch (RuntimeException unreadable) {
      return Optional.empty(); // the validation names what is wrong with them
    }
  }
}
