package io.piholecheckpoint.scheduling;

import static org.assertj.core.api.Assertions.assertThat;

import io.piholecheckpoint.core.schedule.Schedule;
import io.piholecheckpoint.core.settings.InstanceRules;
import io.piholecheckpoint.testing.UnitRunTries;
import java.text.ParseException;
import java.time.Clock;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.time.temporal.TemporalAdjusters;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Date;
import java.util.List;
import java.util.Locale;
import java.util.TimeZone;
import java.util.function.Predicate;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.statistics.Statistics;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.lifecycle.AddLifecycleHook;
import org.quartz.CronExpression;

/**
 * Whatever a token of Quartz's form from a generous grammar (steps, L, W, # and ? mixed in any order, in lists, with
 * names) does, it is either refused with a reason in words, or Quartz's own fire times, the ones the preview shows and a
 * naive reading of the expression as written (below, independent of the code under test) all agree.
 */
@AddLifecycleHook(UnitRunTries.class)
class QuartzGrammarPropertyTest {
  private static final List<String> MONTHS = List.of("JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC");
  private static final List<String> DAYS = List.of("SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT");
  private static final int COUNT = 5;
  private static final LocalDate HORIZON = LocalDate.of(2034, 1, 1);

  @Property(tries = 2000)
  void eachQuartzExpressionIsRefusedInWordsOrFiresAsWritten(@ForAll("expressions") String cron, @ForAll @IntRange(min = 0, max = 1100) int startMinutes) {
    Instant start = Instant.parse("2026-12-05T10:00:00Z").plus(Duration.ofHours(startMinutes * 11L));
    Schedule schedule = new Schedule(Schedule.Kind.CRON, LocalTime.NOON, DayOfWeek.SUNDAY, cron);
    List<Instant> previewed;
    try {
      previewed = new QuartzFireTimes(ZoneOffset.UTC, Clock.fixed(start, ZoneOffset.UTC)).upcoming(schedule, COUNT);
    } catch (IllegalArgumentException refused) {
      Statistics.collect("refused", cron.matches(".*[LW#].*") ? "with L, W or #" : "plain");
      assertThat(refused.getMessage()).as(cron).doesNotContain("Exception").doesNotContain("java.").matches("(?s)its .* field.*");
      assertThat(InstanceRules.schedule(schedule, new QuartzFireTimes(ZoneOffset.UTC, Clock.fixed(start, ZoneOffset.UTC)))).as(cron).get()
          .asString().doesNotContain("Exception").doesNotContain("java.");
      return;
    }
    Statistics.collect("accepted", cron.matches(".*[LW#].*") ? "with L, W or #" : "plain");
    List<Instant> quartz = quartzTimes(schedule.cronExpression(), start);
    List<Instant> naive = new Naive(cron).times(start);

    assertThat(previewed).as("preview of %s from %s", cron, start).isEqualTo(quartz);
    assertThat(before(quartz)).as("Quartz against a plain reading of %s from %s", cron, start).isEqualTo(naive);
  }

  /** Quartz's own CronExpression, in UTC, after start: a fire whose time has come (at start) is not to come. */
  private static List<Instant> quartzTimes(String expression, Instant start) {
    try {
      CronExpression quartz = new CronExpression(expression);
      quartz.setTimeZone(TimeZone.getTimeZone("UTC"));
      List<Instant> times = new ArrayList<>();
      for (Date next = quartz.getTimeAfter(Date.from(start)); next != null && times.size() < COUNT; next = quartz.getTimeAfter(next)) {
        times.add(next.toInstant());
      }
      return times;
    } catch (ParseException e) {
      throw new AssertionError("accepted, but Quartz cannot parse " + expression, e);
    }
  }

  private static List<Instant> before(List<Instant> times) {
    return times.stream().filter(t -> t.isBefore(HORIZON.atStartOfDay(ZoneOffset.UTC).toInstant())).toList();
  }

  /** The expression read as its documentation says, field by field, day by day: the reference the others are held to. */
  private static final class Naive {
    private final BitSet seconds;
    private final BitSet minutes;
    private final BitSet hours;
    private final Predicate<LocalDate> dayOfMonth;
    private final BitSet months;
    private final Predicate<LocalDate> dayOfWeek;
    private final BitSet years;

    Naive(String cron) {
      String[] f = cron.trim().toUpperCase(Locale.ROOT).split("\\s+");
      seconds = list(f[0], 0, 59);
      minutes = list(f[1], 0, 59);
      hours = list(f[2], 0, 23);
      dayOfMonth = dayOfMonth(f[3]);
      months = list(names(f[4], MONTHS), 1, 12);
      dayOfWeek = dayOfWeek(names(f[5], DAYS));
      years = f.length == 7 ? list(f[6], 1970, 2199) : list("*", 1970, 2199);
    }

    List<Instant> times(Instant start) {
      List<Instant> times = new ArrayList<>();
      for (LocalDate d = start.atZone(ZoneOffset.UTC).toLocalDate(); d.isBefore(HORIZON) && times.size() < COUNT; d = d.plusDays(1)) {
        if (!years.get(d.getYear()) || !months.get(d.getMonthValue()) || !dayOfMonth.test(d) || !dayOfWeek.test(d)) {
          continue;
        }
        for (int h = hours.nextSetBit(0); h >= 0; h = hours.nextSetBit(h + 1)) {
          for (int m = minutes.nextSetBit(0); m >= 0; m = minutes.nextSetBit(m + 1)) {
            for (int s = seconds.nextSetBit(0); s >= 0; s = seconds.nextSetBit(s + 1)) {
              Instant t = d.atTime(h, m, s).toInstant(ZoneOffset.UTC);
              if (t.isAfter(start) && times.size() < COUNT) {
                times.add(t);
              }
            }
          }
        }
      }
      return times;
    }

    private static String names(String field, List<String> names) {
      String numbered = field;
      for (int i = 0; i < names.size(); i++) {
        numbered = numbered.replace(names.get(i), Integer.toString(i + 1));
      }
      return numbered;
    }

    private static Predicate<LocalDate> dayOfMonth(String f) {
      if (f.equals("?")) {
        return d -> true;
      }
      if (f.startsWith("L")) {
        boolean weekday = f.endsWith("W");
        int back = f.startsWith("L-") ? Integer.parseInt(f.substring(2, weekday ? f.length() - 1 : f.length())) : 0;
        return d -> {
          int day = d.lengthOfMonth() - back;
          return day >= 1 && d.getDayOfMonth() == (weekday ? nearestWeekday(d, day) : day);
        };
      }
      if (f.endsWith("W")) {
        int n = Integer.parseInt(f.substring(0, f.length() - 1));
        return d -> n <= d.lengthOfMonth() && d.getDayOfMonth() == nearestWeekday(d, n);
      }
      BitSet days = list(f, 1, 31);
      return d -> days.get(d.getDayOfMonth());
    }

    /** The weekday nearest day n of d's month, never in another month. */
    private static int nearestWeekday(LocalDate d, int n) {
      LocalDate day = d.withDayOfMonth(n);
      return switch (day.getDayOfWeek()) {
        case SATURDAY -> n == 1 ? 3 : n - 1;
        case SUNDAY -> n == d.lengthOfMonth() ? n - 2 : n + 1;
        default -> n;
      };
    }

    private static Predicate<LocalDate> dayOfWeek(String f) {
      if (f.equals("?")) {
        return d -> true;
      }
      if (f.equals("L")) {
        return d -> d.getDayOfWeek() == DayOfWeek.SATURDAY;
      }
      if (f.endsWith("L")) {
        DayOfWeek day = weekday(Integer.parseInt(f.substring(0, f.length() - 1)));
        return d -> d.equals(d.with(TemporalAdjusters.lastInMonth(day)));
      }
      if (f.contains("#")) {
        DayOfWeek day = weekday(Integer.parseInt(f.substring(0, f.indexOf('#'))));
        int nth = Integer.parseInt(f.substring(f.indexOf('#') + 1));
        return d -> d.getDayOfWeek() == day && (d.getDayOfMonth() - 1) / 7 + 1 == nth;
      }
      BitSet days = list(f, 1, 7);
      return d -> days.get(d.getDayOfWeek().getValue() % 7 + 1);
    }

    private static DayOfWeek weekday(int quartz) {
      return DayOfWeek.SUNDAY.plus(quartz - 1L);
    }

    /** A list of *, n, a-b (wrapping past max to min) and n/step, a-b/step, * /step: every step-th value of the run. */
    private static BitSet list(String f, int min, int max) {
      BitSet values = new BitSet();
      for (String part : f.split(",")) {
        String[] stepped = part.split("/");
        int step = stepped.length == 2 ? Integer.parseInt(stepped[1]) : 1;
        String[] range = stepped[0].split("-");
        int from = range[0].equals("*") ? min : Integer.parseInt(range[0]);
        int to = range[0].equals("*") ? max : range.length == 2 ? Integer.parseInt(range[1]) : stepped.length == 2 ? max : from;
        int length = (to - from + (max - min + 1)) % (max - min + 1);
        for (int i = 0; i <= length; i += step) {
          values.set(min + (from - min + i) % (max - min + 1));
        }
      }
      return values;
    }
  }

  /**
   * Six or seven fields; one day field '?' and the other a day field (both or neither '?' now and then), the day fields with
   * Quartz's specials and their mixes, the others plain parts, names and steps too.
   */
  @Provide
  Arbitrary<String> expressions() {
    Arbitrary<String> dayOfMonth = days(1, 31, List.of(), "L-3", "LW", "L-30", "15W", "1W", "31W", "L-2W");
    Arbitrary<String> dayOfWeek = days(1, 7, DAYS, "L", "6L", "FRIL", "2#1", "MON#5", "sun#3");
    Arbitrary<String> dayFields = Arbitraries.frequencyOf(
        Tuple.of(5, dayOfMonth.map(d -> d + " ? ")), Tuple.of(5, dayOfWeek.map(d -> "? " + d)),
        Tuple.of(1, Combinators.combine(dayOfMonth, dayOfWeek).as((m, w) -> m + " " + w)), Tuple.of(1, Arbitraries.just("? ?")));
    Arbitrary<String> time = Combinators.combine(plain(0, 59, List.of()), plain(0, 59, List.of()), plain(0, 23, List.of()))
        .as((s, m, h) -> s + " " + m + " " + h);
    return Combinators.combine(time, dayFields, plain(1, 12, MONTHS),
            Arbitraries.frequencyOf(Tuple.of(4, Arbitraries.just("")), Tuple.of(1, plain(2026, 2032, List.of()))))
        .as((t, days, month, year) -> {
          String[] d = days.trim().split(" +");
          return String.join(" ", t, d[0], month, d[1], year).trim();
        });
  }

  /** Lists of one to three parts: *, a value, a range, each maybe with a step, in numbers or names. */
  private static Arbitrary<String> plain(int min, int max, List<String> names) {
    Arbitrary<String> value = Arbitraries.integers().between(min, max + 1).map(v -> name(v, min, max, names));
    Arbitrary<String> step = Arbitraries.integers().between(1, max - min + 3).map(s -> "/" + s);
    Arbitrary<String> base = Arbitraries.oneOf(Arbitraries.just("*"), value, Combinators.combine(value, value).as((a, b) -> a + "-" + b));
    Arbitrary<String> part = Combinators.combine(base, Arbitraries.oneOf(Arbitraries.just(""), step)).as(String::concat);
    return Arbitraries.frequencyOf(Tuple.of(3, Arbitraries.just("*")), Tuple.of(4, value),
        Tuple.of(4, part.list().ofMinSize(1).ofMaxSize(3).map(p -> String.join(",", p))));
  }

  /** A day field: plain parts, Quartz's specials as written in its documentation, and its marks (L, W, #, ?) put anywhere. */
  private static Arbitrary<String> days(int min, int max, List<String> names, String... specials) {
    Arbitrary<String> mark = Arbitraries.oneOf(Arbitraries.of("L", "W", "#", "?", "LW"),
        Arbitraries.integers().between(1, 6).map(n -> "#" + n), Arbitraries.integers().between(0, 32).map(n -> "-" + n),
        Arbitraries.integers().between(1, 9).map(n -> "/" + n));
    Arbitrary<String> value = Arbitraries.integers().between(min, max).map(v -> name(v, min, max, names));
    Arbitrary<String> head = Arbitraries.oneOf(value, Arbitraries.just("L"), Arbitraries.just("*"), Arbitraries.just("?"), plain(min, max, names));
    Arbitrary<String> mixed = Combinators.combine(head, mark.list().ofMaxSize(2)).as((h, ms) -> h + String.join("", ms));
    return Arbitraries.frequencyOf(Tuple.of(3, plain(min, max, names)), Tuple.of(3, Arbitraries.of(specials)), Tuple.of(3, mixed),
        Tuple.of(1, mixed.list().ofMinSize(2).ofMaxSize(3).map(p -> String.join(",", p))));
  }

  /** The value as a number, or, for months and weekdays, half the time as its name; one past the field's end now and then. */
  private static String name(int v, int min, int max, List<String> names) {
    if (names.isEmpty() || v > max || v % 2 == 0) {
      return Integer.toString(v);
    }
    String name = names.get(v - 1);
    return v % 4 == 1 ? name.toLowerCase(Locale.ROOT) : name;
  }
}
