package io.piholecheckpoint.core.legacy;

import io.piholecheckpoint.core.instance.InstanceDefaults;
import io.piholecheckpoint.core.instance.InstanceNames;
import io.piholecheckpoint.core.instance.RetentionPolicy;
import io.piholecheckpoint.core.schedule.Schedule;
import io.piholecheckpoint.core.settings.InstanceRules;
import io.piholecheckpoint.core.units.LogText;
import java.time.DayOfWeek;
import java.time.LocalTime;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.regex.Pattern;

/**
 * Reads an instance of the original as one of ours: its schedule (hourly/daily/weekly, a time,
 * a day 0 = Monday) and retention, its name and prefix checked by our rules. A value that breaks
 * them takes our default and is named in a problem line, never refused whole.
 */
final class OriginalInstances {
  private static final Pattern PREFIX = Pattern.compile("[A-Z][A-Z0-9_]*");
  private static final int MAX_RETENTION = 100_000;

  private OriginalInstances() {
  }

  static InstanceDefaults defaults(OriginalInstance row, Consumer<String> problems) {
    Schedule d = Schedule.DEFAULT;
    Schedule.Kind kind = switch (text(row.frequency())) {
      case "hourly" -> Schedule.Kind.HOURLY;
      case "daily" -> Schedule.Kind.DAILY;
      case "weekly" -> Schedule.Kind.WEEKLY;
      default -> {
        problems.accept("backup_frequency " + OriginalRecords.quote(row.frequency()) + " is not hourly, daily or weekly; daily is used");
        yield d.kind();
      }
    };
    LocalTime time = time(row.time()).orElseGet(() -> {
      problems.accept("backup_time " + OriginalRecords.quote(row.time()) + " is no time of day; 03:00 is used");
      return d.time();
    });
    DayOfWeek day = number(row.day(), 0, 6).map(n -> DayOfWeek.of(n + 1)).orElseGet(() -> {
      if (kind == Schedule.Kind.WEEKLY) {
        problems.accept("backup_day " + OriginalRecords.quote(row.day()) + " is not 0 (Monday) to 6 (Sunday); Sunday is used");
      }
      return d.day();
    });
    RetentionPolicy r = RetentionPolicy.DEFAULT;
    int maxBackups = number(row.maxBackups(), 0, MAX_RETENTION).orElseGet(() -> {
      problems.accept("max_backups " + OriginalRecords.quote(row.maxBackups()) + " is not 0 to " + MAX_RETENTION + "; " + r.maxBackups() + " is used");
      return r.maxBackups();
    });
    int maxAgeDays = number(row.maxAgeDays(), 0, MAX_RETENTION).orElseGet(() -> {
      problems.accept("max_age_days " + OriginalRecords.quote(row.maxAgeDays()) + " is not 0 to " + MAX_RETENTION + "; " + r.maxAgeDays() + " is used");
      return r.maxAgeDays();
    });
    return new InstanceDefaults(new Schedule(kind, time, day, null), new RetentionPolicy(maxBackups, maxAgeDays));
  }

  /** Its name if our rules take it, else the same made printable and short enough, else "Pi-hole N". */
  static String name(OriginalInstance row) {
    if (InstanceNames.problem(row.name()).isEmpty()) {
      return row.name().trim();
    }
    String printable = row.name() == null ? "" : row.name().codePoints().filter(c -> !LogText.unsafe(c))
        .collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append).toString().trim();
    String cut = printable.codePoints().limit(InstanceNames.NAME_LENGTH)
        .collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append).toString().trim();
    return InstanceNames.problem(cut).isEmpty() ? cut : "Pi-hole " + row.id();
  }

  /** Its environment prefix, if it is one our variables can have. */
  static String envPrefix(OriginalInstance row) {
    String p = row.envPrefix() == null ? "" : row.envPrefix().trim();
    return PREFIX.matcher(p).matches() && !p.endsWith("_PING") && p.length() <= 100 ? p : null;
  }

  /** Whether scheduled backups were on ({@code is_active}); on unless it says 0 or false. */
  static boolean active(OriginalInstance row) {
    String a = text(row.active());
    return !(a.equals("0") || a.equals("false") || a.equals("f"));
  }

  /** Django's TimeField: {@code HH:MM[:SS[.ffffff]]}. */
  private static Optional<LocalTime> time(String text) {
    try {
      return text == null || text.length() > 20 ? Optional.empty() : Optional.of(LocalTime.parse(text.trim()));
    } catch (DateTimeParseException e) {
      return Optional.empty();
    }
  }

  private static Optional<Integer> number(String text, int min, int max) {
    String t = text == null ? "" : text.trim();
    if (!t.matches("-?\\d{1,9}")) {
      return Optional.empty();
    }
    int n = Integer.parseInt(t);
    return n < min || n > max ? Optional.empty() : Optional.of(n);
  }

  private static String text(String value) {
    return value == null ? "" : value.trim().toLowerCase(Locale.ROOT);
  }
}
