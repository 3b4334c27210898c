package io.piholecheckpoint.core.settings;

import io.piholecheckpoint.core.instance.InstanceDefinition;
import io.piholecheckpoint.core.instance.InstanceNames;
import io.piholecheckpoint.core.instance.TlsTrust;
import io.piholecheckpoint.core.schedule.FireTimes;
import io.piholecheckpoint.core.schedule.Schedule;
import io.piholecheckpoint.core.units.SettingText;
import java.time.DayOfWeek;
import java.time.LocalTime;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The settings of an instance, one {@link Field} each: how its text is read and what is wrong
 * with text that cannot be. Both ways in use these fields: the form and the API
 * ({@link InstanceForm#validate}) and the {@code PIHOLE_<P>_*} variables
 * ({@link EnvironmentSettings}). Rules that need more than one value (an address, a name, a
 * schedule that fires) are {@link InstanceRules}. A new setting is a field here, a component of
 * {@link InstanceDefinition} and of {@link InstanceForm}, and its line in the README.
 */
public final class InstanceSettings {
  static final Field<String> NAME = new Field<>("name", "NAME", InstanceSettings::name, null,
      "a name of 1 to " + InstanceNames.NAME_LENGTH + " printable characters");
  static final Field<Integer> TIMEOUT_SECONDS = number("timeoutSeconds", "TIMEOUT_SECONDS", 1, 3600, "a number of seconds from 1 to 3600");
  static final Field<Integer> MAX_BACKUPS = count("maxBackups", "MAX_BACKUPS");
  static final Field<Integer> MAX_AGE_DAYS = count("maxAgeDays", "MAX_AGE_DAYS");
  static final Field<Integer> KEEP_DAILY = count("keepDaily", "KEEP_DAILY");
  static final Field<Integer> KEEP_WEEKLY = count("keepWeekly", "KEEP_WEEKLY");
  static final Field<Integer> KEEP_MONTHLY = count("keepMonthly", "KEEP_MONTHLY");
  static final Field<Schedule.Kind> SCHEDULE = new Field<>("scheduleKind", "SCHEDULE", s -> Schedule.Kind.valueOf(s.trim().toUpperCase(Locale.ROOT)),
      "Choose hourly, daily, weekly or cron.", "one of hourly, daily, weekly, cron");
  static final Field<LocalTime> TIME = new Field<>("time", "TIME", InstanceSettings::time, "Enter a time as HH:MM, 24-hour.", "a time as HH:MM (24 h)");
  /** A weekday, spelt the same ways in the form, the API and the variable. */
  static final Field<DayOfWeek> DAY = new Field<>("day", "DAY", InstanceSettings::weekday,
      "Choose a weekday: monday … sunday, mon … sun, or 1 … 7 (1 = Monday).", "a weekday (monday … sunday, mon … sun, or 1 … 7 with 1 = Monday)");
  /** Its words are {@link InstanceRules#totpSecret}'s, which say what is wrong with the secret given. */
  static final Field<String> TOTP_SECRET = new Field<>("totpSecret", "TOTP_SECRET", InstanceSettings::base32, null,
      "base32 (letters A–Z and digits 2–7), at most " + InstanceRules.TOTP_SECRET_LENGTH + " characters");
  static final Field<TlsTrust> TLS_FINGERPRINT = new Field<>("fingerprint", "TLS_FINGERPRINT", s -> TlsTrust.fingerprint(s.trim()),
      "A SHA-256 fingerprint has 64 hex digits (colons allowed).", "a SHA-256 fingerprint (64 hex digits, colons allowed)");
  static final Field<Boolean> VERIFY_SSL = flag("VERIFY_SSL");
  static final Field<Boolean> SKIP_UNCHANGED = flag("skipUnchanged", "SKIP_UNCHANGED");
  static final Field<Boolean> ACTIVE = flag("active", "ACTIVE");

  /**
   * The variables of an instance that are not fields here: its address ({@link InstanceRules#url}), its password, its CA
   * file and cron (read with the other settings they need), and its dead-man switch (read by notifications).
   */
  private static final List<String> OTHER_VARIABLES = List.of("URL", "PASSWORD", "PASSWORD_FILE", "TOTP_SECRET_FILE", "CA_FILE",
      "CRON", "PING_URL");

  private static final Pattern HH_MM = Pattern.compile("([01]?\\d|2[0-3]):([0-5]\\d)");

  private InstanceSettings() {
  }

  /**
   * One setting. {@code formField} names it in the form and the API, {@code variable} is its
   * {@code PIHOLE_<P>_} suffix; {@code formMessage} says what to enter beside the form field,
   * {@code expected} completes "PIHOLE_&lt;P&gt;_X='…' is not …" in the log.
   */
  record Field<T>(String formField, String variable, Function<String, T> parse, String formMessage, String expected) {
    /** The value, or empty when the text cannot be read. */
    Optional<T> read(String text) {
      try {
        return Optional.of(parse.apply(text == null ? "" : text));
      } catch (IllegalArgumentException | DateTimeParseException e) {
        return Optional.empty();
      }
    }
  }

  /** Every {@code PIHOLE_<P>_*} variable an instance reads: the fields above and the others. */
  public static List<String> variables() {
    return Stream.concat(Stream.of(NAME, TIMEOUT_SECONDS, MAX_BACKUPS, MAX_AGE_DAYS, KEEP_DAILY, KEEP_WEEKLY, KEEP_MONTHLY, SCHEDULE, TIME, DAY,
        TOTP_SECRET, TLS_FINGERPRINT, VERIFY_SSL, SKIP_UNCHANGED, ACTIVE).map(Field::variable), OTHER_VARIABLES.stream()).toList();
  }

  private static Field<Integer> number(String formField, String variable, int min, int max, String expected) {
    return new Field<>(formField, variable, s -> SettingText.wholeNumber(s, min, max), "Enter a whole number from " + min + " to " + max + ".",
        expected);
  }

  private static Field<Integer> count(String formField, String variable) {
    return number(formField, variable, 0, 100_000, "a whole number from 0 to 100000 (0 = no limit)");
  }

  private static Field<Boolean> flag(String variable) {
    return flag(null, variable);
  }

  private static Field<Boolean> flag(String formField, String variable) {
    return new Field<>(formField, variable, SettingText::flag, null, "true or false");
  }

  /** A name as {@link InstanceRules#name} allows it, in the form it is stored in ({@link InstanceRules#normalName}). */
  static String name(String s) {
    InstanceNames.problem(s).ifPresent(p -> {
      throw new IllegalArgumentException(p);
    });
    return InstanceNames.normal(s);
  }

  /** "04:30", 24-hour. */
  static LocalTime time(String s) {
    Matcher m = HH_MM.matcher(s.trim());
    if (!m.matches()) {
      throw new IllegalArgumentException(s);
    }
    return LocalTime.of(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)));
  }

  /**
   * monday … sunday, mon … sun (any prefix of three letters or more), or 1 … 7 with 1 = Monday, in any case: the one reader of
   * a weekday, for the form, the API and {@code PIHOLE_<P>_DAY} alike.
   *
   * @throws IllegalArgumentException when it is none of them
   */
  public static DayOfWeek weekday(String s) {
    String v = s.trim().toUpperCase(Locale.ROOT);
    if (v.matches("[1-7]")) {
      return DayOfWeek.of(Integer.parseInt(v));
    }
    for (DayOfWeek d : DayOfWeek.values()) {
      if (v.length() >= 3 && d.name().startsWith(v)) {
        return d;
      }
    }
    throw new IllegalArgumentException(s);
  }

  /** A base32 secret as authenticator apps show it (spaces and dashes allowed), upper case without them. */
  static String base32(String s) {
    InstanceRules.totpSecret(s).ifPresent(p -> {
      throw new IllegalArgumentException(p);
    });
    return s.replaceAll("[\\s-]", "").toUpperCase(Locale.ROOT);
  }

  /** "HOME_OFFICE" becomes "Home Office". */
  static String defaultName(String prefix) {
    return Arrays.stream(prefix.toLowerCase(Locale.ROOT).split("_+"))
        .filter(w -> !w.isEmpty())
        .map(w -> Character.toUpperCase(w.charAt(0)) + w.substring(1))
        .collect(Collectors.joining(" "));
  }
}
