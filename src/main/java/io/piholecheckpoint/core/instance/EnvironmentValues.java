package io.piholecheckpoint.core.instance;

import java.time.DayOfWeek;
import java.time.LocalTime;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The spellings of times and weekdays that PIHOLE_&lt;P&gt;_TIME and _DAY accept. */
final class EnvironmentValues {
  private static final Pattern HH_MM = Pattern.compile("([01]?\\d|2[0-3]):([0-5]\\d)");

  private EnvironmentValues() {
  }

  static LocalTime time(String s) {
    Matcher m = HH_MM.matcher(s.trim());
    if (!m.matches()) {
      throw new IllegalArgumentException(s);
    }
    return LocalTime.of(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)));
  }

  static DayOfWeek day(String s) {
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
}
