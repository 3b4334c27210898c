package io.piholecheckpoint.core.schedule;

import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The fields of Quartz's own form, checked against the grammar Quartz reads as written before Quartz sees them. Quartz's
 * parser takes more than it means: it reads a token up to where it understands it and drops the rest without a word
 * ({@code MON-FRI/2#2} ran every second Monday … Friday's #2, {@code 15W/2} as {@code 15W}, {@code 1/9} in the weekdays as
 * {@code 1}), and a few tokens make it fail with a Java exception's text. So each field here is either a list of plain
 * parts ({@code *}, {@code n}, {@code a-b}, each with an optional {@code /step} inside the field's range; a range may wrap,
 * {@code FRI-MON}), or one of Quartz's special days alone in its field; anything else is refused, naming the field.
 * Month and weekday names have been made numbers already ({@link QuartzCron}).
 */
final class QuartzFields {
  private static final List<String> NAMES = List.of("second", "minute", "hour", "day-of-month", "month", "day-of-week", "year");
  private static final int[] MIN = {0, 0, 0, 1, 1, 1, 1970};
  private static final int[] MAX = {59, 59, 23, 31, 12, 7, 99999};
  private static final int DAY_OF_MONTH = 3;
  private static final int DAY_OF_WEEK = 5;
  private static final int YEAR = 6;
  private static final Pattern PLAIN = Pattern.compile("(\\*|([0-9]+)(?:-([0-9]+))?)(?:/([0-9]+))?");
  private static final Pattern LAST_DAY = Pattern.compile("L(?:-([0-9]+))?W?|([0-9]+)W");
  private static final Pattern NTH_WEEKDAY = Pattern.compile("([0-9]+)?L|([0-9]+)#([0-9]+)");
  private static final String STEPS = "seconds and minutes step by at most 59, hours by 23, days of the month by 30, months by 11, weekdays by 6";
  private static final String DAY_OF_MONTH_SPECIALS = "L (the last day of the month), L-n (n days before it, n up to 30), LW (the last "
      + "weekday) and nW (the weekday nearest day n) each stand alone in the day-of-month field, without a list, a range or a step: "
      + "e.g. 0 0 3 L * ?, 0 0 3 L-2 * ?, 0 0 3 15W * ?";
  private static final String DAY_OF_WEEK_SPECIALS = "dL (the month's last such weekday) and d#n (its n-th, n from 1 to 5) each stand "
      + "alone in the day-of-week field, without a list, a range or a step: e.g. 0 0 3 ? * FRIL, 0 0 3 ? * FRI#3 (for every second "
      + "Friday of some months, write the months: 0 0 3 ? JAN,MAR FRI#2)";

  private QuartzFields() {
  }

  /**
   * @param written the fields as the user wrote them, which the reasons quote
   * @param numbered the same fields with month and weekday names as numbers, which are checked
   * @throws IllegalArgumentException naming the first field Quartz would not read as written, and why
   */
  static void check(String[] written, String[] numbered) {
    for (int f = 0; f < numbered.length; f++) {
      String field = numbered[f].toUpperCase(Locale.ROOT);
      String why = problem(f, field);
      if (why != null) {
        throw new IllegalArgumentException("its %s field '%s' is not valid: %s".formatted(NAMES.get(f), written[f], why));
      }
    }
    if (numbered[DAY_OF_MONTH].toUpperCase(Locale.ROOT).contains("W") && !java.util.Arrays.stream(numbered, 0, 3).allMatch(t -> t.matches("[0-9]+"))) {
      // measured: 0 0 0,12 1W * ? ran at 00:00 on 3 May 2027 (1 May a Saturday) but not at 12:00, LW skipped the first of two
      throw new IllegalArgumentException(("its day-of-month field '%s' is not valid with more than one time a day: Quartz runs nW and LW "
          + "at one of the day's times only, so give the second, minute and hour one value each, e.g. 0 0 3 15W * ?")
          .formatted(written[DAY_OF_MONTH]));
    }
    boolean noDayOfMonth = numbered[DAY_OF_MONTH].equals("?");
    boolean noDayOfWeek = numbered[DAY_OF_WEEK].equals("?");
    if (noDayOfMonth == noDayOfWeek) {
      throw new IllegalArgumentException(("its day-of-month field '%s' and day-of-week field '%s' are not valid together: Quartz needs '?' "
          + "(no particular day) in exactly one of them, e.g. 0 30 2 * * ? (every day) or 0 0 12 ? * MON (Mondays)")
          .formatted(written[DAY_OF_MONTH], written[DAY_OF_WEEK]));
    }
  }

  /** What is wrong with the field, or null. */
  private static String problem(int f, String field) {
    if (field.contains("?")) {
      return field.equals("?") && (f == DAY_OF_MONTH || f == DAY_OF_WEEK) ? null
          : "'?' (no particular day) stands alone, in the day-of-month or the day-of-week field, without a list or a step";
    }
    boolean special = f == DAY_OF_MONTH ? field.matches(".*[LW].*") : f == DAY_OF_WEEK && field.matches(".*[L#].*");
    if (special) {
      return f == DAY_OF_MONTH ? dayOfMonth(field) : dayOfWeek(field);
    }
    if (field.matches(".*[LW#].*")) {
      return "L belongs in the two day fields, W in the day of month, # in the day of week only (L, L-n, LW, nW in the day of month; "
          + "L, dL, d#n in the day of week)";
    }
    for (String part : field.split(",", -1)) {
      String why = part.isEmpty() ? "it has an empty part between commas" : plain(f, part);
      if (why != null) {
        return why;
      }
    }
    return null;
  }

  private static String dayOfMonth(String field) {
    Matcher m = LAST_DAY.matcher(field);
    if (!m.matches()) {
      return DAY_OF_MONTH_SPECIALS;
    }
    if (m.group(1) != null && !within(m.group(1), 0, 30)) {
      return "L-" + m.group(1) + " counts back more than 30 days; " + DAY_OF_MONTH_SPECIALS;
    }
    if (m.group(2) != null && !within(m.group(2), 1, 31)) {
      return m.group(2) + " is outside 1-31";
    }
    return null;
  }

  private static String dayOfWeek(String field) {
    Matcher m = NTH_WEEKDAY.matcher(field);
    if (!m.matches()) {
      return DAY_OF_WEEK_SPECIALS;
    }
    String day = m.group(1) != null ? m.group(1) : m.group(2);
    if (day != null && !within(day, 1, 7)) {
      return day + " is outside 1-7 (SUN-SAT)";
    }
    if (m.group(3) != null && !within(m.group(3), 1, 5)) {
      return "#" + m.group(3) + " is not a week of the month; " + DAY_OF_WEEK_SPECIALS;
    }
    return null;
  }

  private static String plain(int f, String part) {
    Matcher m = PLAIN.matcher(part);
    if (!m.matches()) {
      return "'%s' is not %s, a range a-b, or a step (*/n, a/n, a-b/n)".formatted(part,
          f == 4 ? "a number or a name (JAN-DEC)" : f == DAY_OF_WEEK ? "a number or a name (SUN-SAT)" : "a number");
    }
    for (int g = 2; g <= 3; g++) {
      if (m.group(g) != null && !within(m.group(g), MIN[f], MAX[f])) {
        return "%s is outside %d-%d".formatted(m.group(g), MIN[f], MAX[f]);
      }
    }
    if (f == YEAR && m.group(3) != null && Integer.parseInt(m.group(3)) < Integer.parseInt(m.group(2))) {
      return "the range '%s-%s' runs backwards; years go from low to high".formatted(m.group(2), m.group(3));
    }
    if (m.group(4) != null && !within(m.group(4), 1, MAX[f] - MIN[f])) {
      return "a step after '/' is past its field's range: " + STEPS;
    }
    return null;
  }

  /** Whether the digits are a number from min to max; a long run of digits is not (and is never parsed). */
  private static boolean within(String digits, int min, int max) {
    if (digits.length() > 5) {
      return false;
    }
    int n = Integer.parseInt(digits);
    return n >= min && n <= max;
  }
}
