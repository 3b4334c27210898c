package io.piholecheckpoint.core.schedule;

import java.time.DayOfWeek;
import java.time.LocalTime;
import java.time.format.TextStyle;
import java.util.Locale;
import java.util.Objects;

/**
 * When an instance is backed up. {@code minute} is used by hourly schedules, {@code time} by
 * daily and weekly ones, {@code day} by weekly ones and {@code cron} by cron schedules; the other
 * fields are ignored but kept, so switching kinds back and forth loses nothing. {@code cron} is
 * kept as the user wrote it (crontab's 5 fields or Quartz's 6/7, see {@link QuartzCron}), so
 * what is shown and answered by the API is what was entered.
 *
 * @param unreadable why the stored schedule could not be read, or null: then the other fields are
 *     only the default's, which is never scheduled nor described as if it were the stored one
 */
public record Schedule(Kind kind, LocalTime time, DayOfWeek day, String cron, String unreadable) {

  public enum Kind { HOURLY, DAILY, WEEKLY, CRON }

  public static final Schedule DEFAULT = new Schedule(Kind.DAILY, LocalTime.of(3, 0), DayOfWeek.SUNDAY, null);

  public Schedule(Kind kind, LocalTime time, DayOfWeek day, String cron) {
    this(kind, time, day, cron, null);
  }

  /** What stands for a stored schedule that cannot be read: the default's fields, and why, which is what it is described as. */
  public static Schedule unreadable(String why) {
    return new Schedule(DEFAULT.kind, DEFAULT.time, DEFAULT.day, null, Objects.requireNonNull(why, "why"));
  }

  public Schedule {
    // crontab separates fields by spaces or tabs: a tab is kept as the space it stands for, wherever the line came from
    cron = cron == null ? null : cron.replace('\t', ' ');
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(time, "time");
    Objects.requireNonNull(day, "day");
    if (kind == Kind.CRON && (cron == null || cron.isBlank())) {
      throw new IllegalArgumentException("a cron schedule needs a cron expression");
    }
  }

  /**
   * The Quartz cron expression (seconds first) that fires this schedule.
   *
   * @throws IllegalArgumentException when {@code cron} is not a cron expression, with the reason
   */
  public String cronExpression() {
    return switch (kind) {
      case HOURLY -> "0 %d * * * ?".formatted(time.getMinute());
      case DAILY -> "0 %d %d * * ?".formatted(time.getMinute(), time.getHour());
      case WEEKLY -> "0 %d %d ? * %s".formatted(time.getMinute(), time.getHour(),
          day.getDisplayName(TextStyle.SHORT, Locale.ROOT).toUpperCase(Locale.ROOT));
      case CRON -> QuartzCron.of(cron);
    };
  }

  /**
   * The schedule as a cron expression in the form users write, crontab's 5 fields ("0 3 * * *" for daily at 03:00), rather
   * than Quartz's translation ("0 0 3 * * ?"); a cron schedule as it was written.
   */
  public String crontab() {
    return switch (kind) {
      case HOURLY -> "%d * * * *".formatted(time.getMinute());
      case DAILY -> "%d %d * * *".formatted(time.getMinute(), time.getHour());
      case WEEKLY -> "%d %d * * %s".formatted(time.getMinute(), time.getHour(), day.getDisplayName(TextStyle.SHORT, Locale.ROOT).toUpperCase(Locale.ROOT));
      case CRON -> cron.trim();
    };
  }

  /** The schedule in words, e.g. "daily at 03:00"; "invalid: …" with the reason for one that could not be read. */
  public String describe() {
    if (unreadable != null) {
      return "invalid: " + unreadable;
    }
    return switch (kind) {
      case HOURLY -> "hourly at minute %02d".formatted(time.getMinute());
      case DAILY -> "daily at %s".formatted(time);
      case WEEKLY -> "weekly on %s at %s".formatted(day.getDisplayName(TextStyle.FULL, Locale.ENGLISH), time);
      case CRON -> "cron '%s'".formatted(cron.trim());
    };
  }
}
