package io.piholecheckpoint.core.schedule;

import java.util.BitSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * A cron expression as people write it, in the Quartz form the scheduler runs. Five fields
 * (crontab: minute hour day-of-month month day-of-week) and the macros {@code @hourly},
 * {@code @daily}, {@code @weekly}, {@code @monthly}, {@code @yearly} are translated; six or
 * seven fields are Quartz's own form (seconds first) and pass unchanged.
 *
 * <p>Each crontab field is read into the set of values it matches and written back as a plain
 * Quartz list, so that nothing depends on the two dialects agreeing about ranges, steps or
 * names. Crontab's day of week counts Sunday as 0 or 7, Quartz's as 1. Crontab fires when the
 * day of month <em>or</em> the day of week matches if both are restricted; Quartz has no such
 * rule (one of them must be {@code ?}), so that combination is refused rather than changed.
 */
public final class QuartzCron {
  private static final Map<String, String> MACROS = Map.of(
      "@hourly", "0 * * * *", "@daily", "0 0 * * *", "@midnight", "0 0 * * *", "@weekly", "0 0 * * 0",
      "@monthly", "0 0 1 * *", "@yearly", "0 0 1 1 *", "@annually", "0 0 1 1 *");
  private static final List<String> MONTHS = List.of("JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC");
  private static final List<String> DAYS = List.of("SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT");
  private static final Pattern NAME = Pattern.compile("[A-Za-z]+");
  public static final String EXAMPLES = "enter 5 fields as in crontab (minute hour day-of-month month day-of-week, e.g. 30 2 * * *), "
      + "or Quartz's 6 with seconds first (e.g. 0 30 2 * * ?)";

  private QuartzCron() {
  }

  /** @throws IllegalArgumentException when it is neither form, with the reason and what to enter */
  static String of(String written) {
    String trimmed = written.trim();
    trimmed.codePoints().filter(c -> Character.isISOControl(c) && c != '\t').findFirst().ifPresent(c -> {
      // a line break or a NUL is no separator crontab knows: what follows it would be read as more fields
      throw new IllegalArgumentException("it holds a control character (U+%04X); write it on one line, its fields separated by spaces or tabs"
          .formatted(c));
    });
    String expression = trimmed.startsWith("@") ? macro(trimmed) : trimmed;
    String[] fields = expression.split("[ \t]+");
    if (fields.length == 6 || fields.length == 7) {
      for (String field : fields) {
        // Quartz takes a step of 0 and fires as if it were not there (0/0 in the seconds: every minute)
        if (field.matches(".*/0+(,.*)?")) {
          throw new IllegalArgumentException("'%s' steps by 0, which repeats nothing; write the value alone (e.g. 0) or a step of 1 or more (e.g. 0/15)"
              .formatted(field));
        }
      }
      String[] quartz = fields.clone();
      quartz[4] = numbered(fields[4], MONTHS, 1);
      quartz[5] = numbered(fields[5], DAYS, 1);
      try {
        QuartzFields.check(fields, quartz);
      } catch (IllegalArgumentException e) {
        // Quartz's form read as crontab's by mistake is the likeliest cause: both forms are named
        throw new IllegalArgumentException(e.getMessage() + "; " + EXAMPLES, e);
      }
      return String.join(" ", quartz);
    }
    if (fields.length != 5) {
      throw new IllegalArgumentException("it has %d fields; %s".formatted(fields.length, EXAMPLES));
    }
    String[] names = {"minute", "hour", "day of month", "month", "day of week"};
    for (int i = 0; i < 5; i++) {
      // L, W, # and ? are Quartz's: someone who wrote them meant Quartz's form, short of its seconds
      if (fields[i].replaceAll("(?i)" + String.join("|", MONTHS) + "|" + String.join("|", DAYS), "").matches("(?i).*[LW#?].*")) {
        throw invalid(names[i], fields[i], "L, W, # and ? are Quartz's, which crontab's five fields do not have: write Quartz's form, seconds"
            + " first (six fields, ? in the day field not used), e.g. '0 30 2 L * ?' (02:30 on the last day of the month) or '0 30 2 ? * 6#3'"
            + " (the third Friday)");
      }
      if (fields[i].matches(".*/0+(,.*)?")) {
        throw invalid(names[i], fields[i], "it steps by 0, which repeats nothing; write the value alone (e.g. 0) or a step of 1 or more (e.g. */15)");
      }
    }
    String dom = fields[2];
    String dow = fields[4];
    if (!dom.equals("*") && !dow.equals("*")) {
      throw new IllegalArgumentException(("it restricts both the day of month ('%s') and the day of week ('%s'): crontab then fires when "
          + "either matches, which the scheduler (Quartz) cannot express; put * in one of them").formatted(dom, dow));
    }
    return "0 %s %s %s %s %s".formatted(
        list(field(fields[0], "minute", 0, 59, List.of()), 0, 59),
        list(field(fields[1], "hour", 0, 23, List.of()), 0, 23),
        dom.equals("*") ? (dow.equals("*") ? "*" : "?") : list(field(dom, "day of month", 1, 31, List.of()), 1, 31),
        list(field(fields[3], "month", 1, 12, MONTHS), 1, 12),
        dow.equals("*") ? "?" : quartzDays(field(dow, "day of week", 0, 7, DAYS)));
  }

  /**
   * A Quartz month or weekday field with its names as numbers. Quartz's parser drops the step after a name ("MON-FRI/2"
   * and "JAN/4" run as "MON-FRI" and "JAN") but reads the same field in numbers as documented, so it only ever sees
   * numbers. A name may carry Quartz's L ("FRIL", the last Friday); any other word is left for Quartz to judge.
   */
  private static String numbered(String field, List<String> names, int first) {
    return NAME.matcher(field).replaceAll(word -> {
      String upper = word.group().toUpperCase(Locale.ROOT);
      boolean last = names == DAYS && upper.length() == 4 && upper.endsWith("L");
      int index = names.indexOf(last ? upper.substring(0, 3) : upper);
      return index < 0 ? word.group() : (index + first) + (last ? "L" : "");
    });
  }

  private static String macro(String name) {
    String expression = MACROS.get(name.toLowerCase(Locale.ROOT));
    if (expression == null) {
      throw new IllegalArgumentException("'%s' is not a schedule this app knows (it knows %s); %s"
          .formatted(name, MACROS.keySet().stream().sorted().collect(Collectors.joining(", ")), EXAMPLES));
    }
    return expression;
  }

  /** Crontab's 0..7 (0 and 7 both Sunday) as Quartz's 1..7 (Sunday 1). */
  private static String quartzDays(BitSet days) {
    BitSet quartz = new BitSet();
    days.stream().forEach(d -> quartz.set(d % 7 + 1));
    return list(quartz, 1, 7);
  }

  private static String list(BitSet values, int min, int max) {
    if (values.cardinality() == max - min + 1) {
      return "*";
    }
    return values.stream().mapToObj(Integer::toString).collect(Collectors.joining(","));
  }

  /** The values a crontab field matches: comma-separated parts of {@code *}, {@code n}, {@code a-b}, each with an optional {@code /step}. */
  static BitSet field(String text, String name, int min, int max, List<String> names) {
    BitSet values = new BitSet();
    for (String part : text.split(",", -1)) {
      String[] stepped = part.split("/", -1);
      if (stepped.length > 2 || part.isEmpty()) {
        throw invalid(name, text, "'" + part + "' is not a value, a range or a step");
      }
      int step = stepped.length == 2 ? number(stepped[1], name, text, 1, 99) : 1;
      int from;
      int to;
      if (stepped[0].equals("*")) {
        from = min;
        to = max;
      } else if (stepped[0].contains("-")) {
        String[] range = stepped[0].split("-", -1);
        if (range.length != 2) {
          throw invalid(name, text, "'" + stepped[0] + "' is not a range a-b");
        }
        from = value(range[0], name, text, min, max, names);
        to = value(range[1], name, text, min, max, names);
        if (from > to) {
          throw invalid(name, text, "the range '%s' runs backwards; crontab ranges go from low to high".formatted(stepped[0]));
        }
      } else if (stepped.length == 2) {
        throw invalid(name, text, "a step needs * or a range before it, e.g. */15 or 0-30/5");
      } else {
        from = value(stepped[0], name, text, min, max, names);
        to = from;
      }
      for (int v = from; v <= to; v += step) {
        values.set(v);
      }
    }
    return values;
  }

  private static int value(String text, String name, String field, int min, int max, List<String> names) {
    int named = names.indexOf(text.toUpperCase(Locale.ROOT));
    if (named >= 0) {
      return named + (names == MONTHS ? 1 : 0);
    }
    return number(text, name, field, min, max);
  }

  private static int number(String text, String name, String field, int min, int max) {
    if (!text.matches("[0-9]{1,2}")) {
      throw invalid(name, field, "'" + text + "' is not a number" + (name.equals("month") || name.equals("day of week") ? " or a name" : ""));
    }
    int n = Integer.parseInt(text);
    if (n < min || n > max) {
      throw invalid(name, field, "%d is outside %d-%d".formatted(n, min, max));
    }
    return n;
  }

  private static IllegalArgumentException invalid(String name, String field, String why) {
    return new IllegalArgumentException("its %s field '%s' is not valid: %s".formatted(name, field, why));
  }
}
