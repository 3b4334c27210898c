package io.piholecheckpoint.core.settings;

import io.piholecheckpoint.core.instance.InstanceDefinition;
import io.piholecheckpoint.core.instance.InstanceNames;
import io.piholecheckpoint.core.instance.PiholeInstance;
import io.piholecheckpoint.core.instance.RetentionPolicy;
import io.piholecheckpoint.core.instance.TlsTrust;
import io.piholecheckpoint.core.schedule.FireTimes;
import io.piholecheckpoint.core.schedule.Schedule;
import java.time.DayOfWeek;
import java.time.LocalTime;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * An instance as a person typed it in the form or a script sent it to the API: every field as
 * text, checked by {@link #validate}. {@code password} and {@code totpSecret} are write-only:
 * null keeps the stored value, an empty string clears it.
 */
public record InstanceForm(
    String name,
    String url,
    String password,
    String totpSecret,
    String tlsMode,
    String caPem,
    String fingerprint,
    String timeoutSeconds,
    String scheduleKind,
    String time,
    String day,
    String cron,
    String maxBackups,
    String maxAgeDays,
    String keepDaily,
    String keepWeekly,
    String keepMonthly,
    boolean skipUnchanged,
    boolean active) {

  /** Never prints the secrets, should a form end up in a log or a message. */
  @Override
  public String toString() {
    return "InstanceForm[name=%s, url=%s, password=%s, totpSecret=%s]".formatted(name, url, password == null ? "(keep)" : "(given)",
        totpSecret == null ? "(keep)" : "(given)");
  }

  /** A form filled in with the defaults, for a new instance. */
  public static InstanceForm blank() {
    RetentionPolicy r = RetentionPolicy.DEFAULT;
    return new InstanceForm("", "", null, null, "system", "", "", "", "daily", "03:00", "sunday", "", Integer.toString(r.maxBackups()),
        Integer.toString(r.maxAgeDays()), "0", "0", "0", false, true);
  }

  /** The stored instance in form fields; secrets are never sent back. */
  public static InstanceForm of(PiholeInstance i) {
    RetentionPolicy r = i.retention();
    TlsTrust tls = i.tls();
    return new InstanceForm(i.name(), i.url(), null, null, tlsModeName(tls.mode()), tls.caPem() == null ? "" : tls.caPem(),
        tls.fingerprint() == null ? "" : tls.fingerprint(), i.timeoutSeconds() == null ? "" : i.timeoutSeconds().toString(),
        i.schedule().kind().name().toLowerCase(Locale.ROOT), i.schedule().time().toString(), i.schedule().day().name().toLowerCase(Locale.ROOT),
        i.schedule().cron() == null ? "" : i.schedule().cron(), Integer.toString(r.maxBackups()), Integer.toString(r.maxAgeDays()),
        Integer.toString(r.keepDaily()), Integer.toString(r.keepWeekly()), Integer.toString(r.keepMonthly()), i.skipUnchanged(), !i.paused());
  }

  /**
   * The form as it may be shown back with its errors: a value longer than its field can hold is
   * cut at that length with an ellipsis. A page that echoed an 80 kB paste whole would be as long,
   * and the error beside the field already says what was wrong with it.
   */
  public InstanceForm echoable() {
    return new InstanceForm(cut(name, InstanceNames.NAME_LENGTH), cut(url, InstanceRules.URL_LENGTH), password, totpSecret,
        cut(tlsMode, SHORT), cut(caPem, PEM_ECHO), cut(fingerprint, SHORT * 8), cut(timeoutSeconds, SHORT), cut(scheduleKind, SHORT),
        cut(time, SHORT), cut(day, SHORT), cut(cron, InstanceRules.CRON_LENGTH), cut(maxBackups, SHORT), cut(maxAgeDays, SHORT),
        cut(keepDaily, SHORT), cut(keepWeekly, SHORT), cut(keepMonthly, SHORT), skipUnchanged, active);
  }

  /**
   * Enough for any valid value of the short fields (a number, a time, a mode); a fingerprint is 95 characters with colons,
   * 114 as openssl prints it ("sha256 Fingerprint=…").
   */
  private static final int SHORT = 20;
  /** A CA certificate with its chain; more is not a certificate anyone pasted on purpose. */
  private static final int PEM_ECHO = 16_384;

  private static String cut(String value, int max) {
    if (value == null || value.codePointCount(0, value.length()) <= max) {
      return value;
    }
    return value.substring(0, value.offsetByCodePoints(0, max)) + "…"; // never half an emoji
  }

  /** The same form with only the active switch set: all an environment instance's form can change. */
  public InstanceForm withActive(boolean on) {
    return new InstanceForm(name, url, password, totpSecret, tlsMode, caPem, fingerprint, timeoutSeconds, scheduleKind, time, day, cron,
        maxBackups, maxAgeDays, keepDaily, keepWeekly, keepMonthly, skipUnchanged, on);
  }

  private static String tlsModeName(TlsTrust.Mode mode) {
    return switch (mode) {
      case SYSTEM -> "system";
      case CA_FILE -> "ca";
      case FINGERPRINT -> "fingerprint";
      case INSECURE -> "insecure";
    };
  }

  /** A valid form: the settings to store and the secrets to seal. */
  public record Valid(InstanceDefinition settings, Optional<String> password, Optional<String> totpSecret) {
  }

  /**
   * Applies the {@link InstanceSettings} fields and {@link InstanceRules} to every field: what
   * passes can be stored, loaded again and scheduled.
   *
   * @param fireTimes when a schedule fires, as the scheduler computes it
   * @throws ValidationException with a message per invalid field
   */
  public Valid validate(FireTimes fireTimes) {
    Checked checked = check(fireTimes);
    if (!checked.errors().isEmpty()) {
      throw new ValidationException(checked.errors());
    }
    return checked.valid();
  }

  /** The form read as {@link #validate} reads it, each invalid field's problem by its name; their values in {@code valid} stand in. */
  public record Checked(Valid valid, Map<String, String> errors) {
  }

  /** As {@link #validate}, with the problems answered beside what was read instead of thrown. */
  public Checked check(FireTimes fireTimes) {
    Map<String, String> errors = new LinkedHashMap<>();
    String n = InstanceNames.normal(name);
    InstanceNames.problem(n).ifPresent(p -> errors.put("name", p));
    String u = InstanceRules.normalUrl(trim(url).replaceAll("/+$", ""));
    InstanceRules.url(u).ifPresent(p -> errors.put("url", p));
    InstanceRules.password(password).ifPresent(p -> errors.put("password", p));
    if (totpSecret != null && !totpSecret.isBlank()) {
      InstanceRules.totpSecret(totpSecret).ifPresent(p -> errors.put("totpSecret", p));
    }
    Optional<String> totp = Optional.ofNullable(totpSecret);
    TlsTrust tls = tls(errors);
    tls.overHttp(errors.containsKey("url") ? null : u).ifPresent(p -> errors.put("tlsMode", p));
    Schedule schedule = schedule(errors, fireTimes);
    Integer timeout = trim(timeoutSeconds).isEmpty() ? null : read(InstanceSettings.TIMEOUT_SECONDS, timeoutSeconds, errors).orElse(null);
    RetentionPolicy retention = new RetentionPolicy(count(InstanceSettings.MAX_BACKUPS, maxBackups, errors),
        count(InstanceSettings.MAX_AGE_DAYS, maxAgeDays, errors), count(InstanceSettings.KEEP_DAILY, keepDaily, errors),
        count(InstanceSettings.KEEP_WEEKLY, keepWeekly, errors), count(InstanceSettings.KEEP_MONTHLY, keepMonthly, errors));
    return new Checked(new Valid(new InstanceDefinition(null, n, u, tls, timeout, schedule, retention, skipUnchanged, active),
        Optional.ofNullable(password), totp.map(s -> s.replaceAll("[\\s-]", "").toUpperCase(Locale.ROOT))), errors);
  }

  private TlsTrust tls(Map<String, String> errors) {
    switch (trim(tlsMode).toLowerCase(Locale.ROOT)) {
      case "", "system":
        return TlsTrust.SYSTEM;
      case "insecure":
        return TlsTrust.INSECURE;
      case "ca":
        Optional<String> problem = InstanceRules.caPem(caPem);
        problem.ifPresent(p -> errors.put("caPem", p));
        return problem.isPresent() ? TlsTrust.SYSTEM : TlsTrust.caPem(trim(caPem));
      case "fingerprint":
        return read(InstanceSettings.TLS_FINGERPRINT, fingerprint, errors).orElse(TlsTrust.SYSTEM);
      default:
        errors.put("tlsMode", "Choose system, ca, fingerprint or insecure.");
        return TlsTrust.SYSTEM;
    }
  }

  private Schedule schedule(Map<String, String> errors, FireTimes fireTimes) {
    Schedule.Kind kind = read(InstanceSettings.SCHEDULE, scheduleKind, errors).orElse(Schedule.Kind.DAILY);
    Optional<LocalTime> given = InstanceSettings.TIME.read(time);
    if (given.isEmpty() && kind != Schedule.Kind.CRON) {
      errors.put(InstanceSettings.TIME.formField(), InstanceSettings.TIME.formMessage());
    }
    LocalTime at = given.orElse(LocalTime.of(3, 0));
    Optional<DayOfWeek> chosen = InstanceSettings.DAY.read(day);
    if (chosen.isEmpty() && kind == Schedule.Kind.WEEKLY) {
      errors.put(InstanceSettings.DAY.formField(), InstanceSettings.DAY.formMessage());
    }
    DayOfWeek weekday = chosen.orElse(DayOfWeek.SUNDAY);
    Optional<String> cronProblem = kind == Schedule.Kind.CRON ? InstanceRules.cronText(cron) : Optional.empty();
    if (cronProblem.isPresent()) {
      errors.put("cron", cronProblem.get());
      return new Schedule(Schedule.Kind.DAILY, at, weekday, null);
    }
    Schedule schedule = new Schedule(kind, at, weekday, kind == Schedule.Kind.CRON ? trim(cron) : null);
    if (errors.keySet().stream().noneMatch(f -> f.equals("time") || f.equals("day") || f.equals("scheduleKind"))) {
      String field = kind == Schedule.Kind.CRON ? "cron" : "scheduleKind";
      InstanceRules.schedule(schedule, fireTimes).ifPresent(p -> errors.put(field, p));
    }
    return schedule;
  }

  private static int count(InstanceSettings.Field<Integer> field, String value, Map<String, String> errors) {
    return read(field, value, errors).orElse(0);
  }

  /** The field's value, or empty with the field's message in {@code errors}. */
  private static <T> Optional<T> read(InstanceSettings.Field<T> field, String value, Map<String, String> errors) {
    Optional<T> read = field.read(value);
    if (read.isEmpty()) {
      errors.put(field.formField(), field.formMessage());
    }
    return read;
  }

  private static String trim(String value) {
    return value == null ? "" : value.trim();
  }
}
