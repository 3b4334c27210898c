package io.piholecheckpoint.scheduling;

import io.piholecheckpoint.testing.UnitRunTries;
import net.jqwik.api.lifecycle.AddLifecycleHook;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.piholecheckpoint.core.schedule.Schedule;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Date;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import org.quartz.Trigger;

/**
 * A crontab line runs, through the Quartz trigger the scheduler builds from it, at exactly the
 * minutes a plain reading of crontab semantics gives: a reference evaluator below walks every
 * minute of a window of two weeks and compares.
 */
@AddLifecycleHook(UnitRunTries.class)
class CrontabFireTimesPropertyTest {
  private static final List<String> MONTHS = List.of("JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC");
  private static final List<String> DAYS = List.of("SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT");
  private static final int WINDOW_DAYS = 14;
  private static final int WINDOW_MINUTES = WINDOW_DAYS * 24 * 60;

  /** One crontab field: its text and, computed independently of the code under test, the values it matches. */
  record Field(String text, BitSet values) {
    boolean star() {
      return text.equals("*");
    }
  }

  record Line(Field minute, Field hour, Field dom, Field month, Field dow) {
    String text() {
      return String.join(" ", minute.text, hour.text, dom.text, month.text, dow.text);
    }

    /** Crontab: the month must match, and the days by AND, or by OR when both are restricted. */
    boolean matchesDay(LocalDate date) {
      boolean domMatch = dom.values.get(date.getDayOfMonth());
      int weekday = date.getDayOfWeek().getValue() % 7; // Sunday 0
      boolean dowMatch = dow.values.get(weekday) || (weekday == 0 && dow.values.get(7));
      boolean day = !dom.star() && !dow.star() ? domMatch || dowMatch : domMatch && dowMatch;
      return month.values.get(date.getMonthValue()) && day;
    }

    /** Crontab: on a day that matches, the minute and the hour must too. */
    boolean matches(int hourOfDay, int minuteOfHour) {
      return minute.values.get(minuteOfHour) && hour.values.get(hourOfDay);
    }
  }

  @Property(tries = 150)
  void quartzFiresExactlyWhenCrontabWould(@ForAll("lines") Line line, @ForAll @IntRange(min = 0, max = 730) int startDay) {
    Instant start = Instant.parse("2026-01-01T00:00:00Z").plus(Duration.ofDays(startDay));
    Schedule schedule = new Schedule(Schedule.Kind.CRON, LocalTime.NOON, DayOfWeek.SUNDAY, line.text());
    // planned just before the window: a trigger's first fire is after the moment it is planned at, not at it
    Trigger trigger = Triggers.forSchedule(schedule, ZoneOffset.UTC, start.minusMillis(1));

    List<Instant> expected = new ArrayList<>();
    // every minute of the window (it starts at midnight), day by day: a ZonedDateTime made for each minute, three million
    // a run, took ~0.65 CPU-s of the ~2.6 s of 150 tries, this way ~0.05 s (bench/RESULTS.md, r43-unit)
    for (int day = 0; day < WINDOW_DAYS; day++) {
      boolean dayMatches = line.matchesDay(LocalDate.ofInstant(start, ZoneOffset.UTC).plusDays(day));
      for (int minuteOfDay = 0; minuteOfDay < 24 * 60; minuteOfDay++) {
        if (dayMatches && line.matches(minuteOfDay / 60, minuteOfDay % 60)) {
          expected.add(start.plus(Duration.ofMinutes(day * 24 * 60 + minuteOfDay)));
        }
      }
    }
    List<Instant> actual = new ArrayList<>();
    Date next = trigger.getFireTimeAfter(Date.from(start.minusMillis(1)));
    Instant end = start.plus(Duration.ofMinutes(WINDOW_MINUTES));
    while (next != null && next.toInstant().isBefore(end)) {
      actual.add(next.toInstant());
      next = trigger.getFireTimeAfter(next);
    }
    assertThat(actual).as("%s (Quartz %s)", line.text(), schedule.cronExpression()).isEqualTo(expected);
  }

  @Property(tries = 100)
  void bothDaysRestrictedIsRefusedNotReinterpreted(@ForAll("lines") Line line, @ForAll("domFields") Field dom, @ForAll("dowFields") Field dow) {
    Line both = new Line(line.minute, line.hour, dom, line.month, dow);
    Schedule schedule = new Schedule(Schedule.Kind.CRON, LocalTime.NOON, DayOfWeek.SUNDAY, both.text());
    assertThatThrownBy(schedule::cronExpression).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("either matches");
  }

  @Provide
  Arbitrary<Line> lines() {
    Arbitrary<Field> star = Arbitraries.just(new Field("*", range(0, 31, 1)));
    Arbitrary<Field> dowStar = Arbitraries.just(new Field("*", range(0, 7, 1)));
    Arbitrary<Field[]> days = Arbitraries.oneOf(
        Combinators.combine(star, dowFields()).as((d, w) -> new Field[] {new Field("*", range(1, 31, 1)), w}),
        Combinators.combine(domFields(), dowStar).as((d, w) -> new Field[] {d, w}),
        Arbitraries.just(new Field[] {new Field("*", range(1, 31, 1)), new Field("*", range(0, 7, 1))}));
    return Combinators.combine(field(0, 59, List.of(), 0), field(0, 23, List.of(), 0), days, monthFields())
        .as((minute, hour, d, month) -> new Line(minute, hour, d[0], month, d[1]));
  }

  @Provide
  Arbitrary<Field> domFields() {
    return field(1, 31, List.of(), 0).filter(f -> !f.star());
  }

  @Provide
  Arbitrary<Field> dowFields() {
    return field(0, 7, DAYS, 0).filter(f -> !f.star());
  }

  /** Months lean towards many values, so that a two-week window often contains a match. */
  private Arbitrary<Field> monthFields() {
    return Arbitraries.frequencyOf(
        net.jqwik.api.Tuple.of(3, Arbitraries.just(new Field("*", range(1, 12, 1)))),
        net.jqwik.api.Tuple.of(2, field(1, 12, MONTHS, 1)));
  }

  /** A comma list of one to three parts: n, a-b, *, * /s, a-b/s, with names where the field has them. */
  private static Arbitrary<Field> field(int min, int max, List<String> names, int nameOffset) {
    Arbitrary<Field> part = Arbitraries.oneOf(
        Arbitraries.integers().between(min, max).map(n -> new Field(name(n, names, nameOffset), range(n, n, 1))),
        Combinators.combine(Arbitraries.integers().between(min, max), Arbitraries.integers().between(min, max))
            .as((a, b) -> new Field(name(Math.min(a, b), names, nameOffset) + "-" + name(Math.max(a, b), names, nameOffset), range(Math.min(a, b), Math.max(a, b), 1))),
        Arbitraries.integers().between(1, max - min + 1).map(s -> new Field("*/" + s, range(min, max, s))),
        Combinators.combine(Arbitraries.integers().between(min, max), Arbitraries.integers().between(min, max), Arbitraries.integers().between(1, 10))
            .as((a, b, s) -> new Field(Math.min(a, b) + "-" + Math.max(a, b) + "/" + s, range(Math.min(a, b), Math.max(a, b), s))));
    Arbitrary<Field> list = part.list().ofMinSize(1).ofMaxSize(3).map(parts -> {
      BitSet all = new BitSet();
      parts.forEach(p -> all.or(p.values));
      return new Field(String.join(",", parts.stream().map(Field::text).toList()), all);
    });
    return Arbitraries.oneOf(Arbitraries.just(new Field("*", range(min, max, 1))), list);
  }

  /** A number or, sometimes, its name (Sunday is 0 and 7 in crontab, but only SUN by name). */
  private static String name(int n, List<String> names, int offset) {
    int index = n - offset;
    if (names.isEmpty() || index < 0 || index >= names.size() || n % 3 != 0) {
      return Integer.toString(n);
    }
    return n % 2 == 0 ? names.get(index) : names.get(index).toLowerCase(java.util.Locale.ROOT);
  }

  private static BitSet range(int from, int to, int step) {
    BitSet set = new BitSet();
    for (int v = from; v <= to; v += step) {
      set.set(v);
    }
    return set;
  }
}
