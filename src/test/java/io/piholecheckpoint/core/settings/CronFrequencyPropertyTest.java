package io.piholecheckpoint.core.settings;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import io.piholecheckpoint.core.schedule.FireTimes;
import io.piholecheckpoint.core.schedule.Schedule;
import io.piholecheckpoint.scheduling.QuartzFireTimes;
import java.time.Clock;
import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.util.Date;
import java.util.Optional;
import java.util.TimeZone;
import java.util.concurrent.atomic.AtomicReference;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Combinators;
import org.quartz.CronExpression;

/**
 * A backup runs at most once a minute. Whatever the seconds field of a cron (crontab's 5 fields, where the shape lands in the
 * minute, or Quartz's 6 and 7), the one validator never throws, and refuses it for firing too often exactly when Quartz's own
 * CronExpression, iterated fire by fire, fires twice less than a minute apart; that refusal names the field to change.
 * The shapes include what the first try of this rule threw on at every start: a backwards, wrapping range (58-1).
 */
class CronFrequencyPropertyTest {
  private static final Instant NOW = Instant.parse("2026-12-05T09:17:42Z");
  private static final FireTimes QUARTZ = new QuartzFireTimes(ZoneOffset.UTC, Clock.fixed(NOW, ZoneOffset.UTC));
  /** Two minutes of fires of the most frequent cron there is: two fires less than a minute apart show up within them if at all. */
  private static final int FIRES = 130;

  @Property(tries = 1000)
  void refusedForFrequencyExactlyWhenQuartzFiresTwiceInAMinuteAndNeverThrows(@ForAll("crons") String cron) {
    Schedule schedule = new Schedule(Schedule.Kind.CRON, LocalTime.of(3, 0), DayOfWeek.SUNDAY, cron);
    AtomicReference<Optional<String>> answer = new AtomicReference<>();

    assertThatCode(() -> answer.set(InstanceRules.schedule(schedule, QUARTZ))).as(cron).doesNotThrowAnyException();

    Optional<String> problem = answer.get();
    boolean refusedForFrequency = problem.filter(p -> p.contains("more than once a minute")).isPresent();
    if (InstanceRules.firesAgain(schedule, QUARTZ).isPresent()) {
      // refused for another reason (unreadable, never fires, a step of 0), in words
      assertThat(problem).as(cron).hasValueSatisfying(p -> assertThat(p).isNotBlank());
      assertThat(refusedForFrequency).as(cron).isFalse();
      return;
    }
    assertThat(refusedForFrequency).as("%s (Quartz %s): %s", cron, schedule.cronExpression(), problem).isEqualTo(firesTwiceInAMinute(schedule));
    assertThat(problem.isPresent()).as(cron).isEqualTo(refusedForFrequency);
    problem.ifPresent(p -> assertThat(p).contains("'" + cron + "'", "first field, Quartz's seconds", "at most once a minute",
        "0 */5 * * * ?"));
  }

  /** Ground truth: Quartz's own parser, fire after fire from the same now. */
  private static boolean firesTwiceInAMinute(Schedule schedule) {
    CronExpression quartz;
    try {
      quartz = new CronExpression(schedule.cronExpression());
    } catch (java.text.ParseException e) {
      throw new AssertionError("the validator accepted what Quartz cannot parse: " + schedule.cron(), e);
    }
    quartz.setTimeZone(TimeZone.getTimeZone(ZoneOffset.UTC));
    Date previous = quartz.getNextValidTimeAfter(Date.from(NOW));
    for (int i = 0; i < FIRES && previous != null; i++) {
      Date next = quartz.getNextValidTimeAfter(previous);
      if (next != null && next.getTime() - previous.getTime() < 60_000) {
        return true;
      }
      previous = next;
    }
    return false;
  }

  @Provide
  Arbitrary<String> crons() {
    Arbitrary<String> shape = Arbitraries.oneOf(seconds(), seconds().list().ofMinSize(2).ofMaxSize(4).map(parts -> String.join(",", parts)));
    Arbitrary<String> six = Arbitraries.of("* * * * ?", "0 3 * * ?", "*/5 * * * ?", "0 0 1 1 ?", "0 12 ? * MON-FRI", "30 2 L * ?", "0 0 29 2 ?");
    Arbitrary<String> year = Arbitraries.of("*", "2030-2099", "2000", "2027");
    Arbitrary<String> crontab = Arbitraries.of("* * * *", "2 * * *", "*/6 1 * *", "0 1 1 *");
    return Arbitraries.oneOf(
        Combinators.combine(shape, six).as((s, rest) -> s + " " + rest),
        Combinators.combine(shape, six, year).as((s, rest, y) -> s + " " + rest + " " + y),
        Combinators.combine(shape, crontab).as((s, rest) -> s + " " + rest));
  }

  /** One part of a seconds field: every shape Quartz knows, backwards and wrapping ranges, out-of-range values and junk. */
  private static Arbitrary<String> seconds() {
    Arbitrary<Integer> value = Arbitraries.oneOf(Arbitraries.integers().between(0, 59), Arbitraries.integers().between(0, 99));
    Arbitrary<Integer> step = Arbitraries.integers().between(0, 70);
    return Arbitraries.oneOf(
        Arbitraries.of("*", "?", "L", "-", "/", ",", "*/", "/5", "5-", "1,,2", "x", "#", "W"),
        value.map(Object::toString),
        Combinators.combine(value, value).as((a, b) -> a + "-" + b),
        Combinators.combine(value, step).as((a, n) -> a + "/" + n),
        step.map(n -> "*/" + n),
        Combinators.combine(value, value, step).as((a, b, n) -> a + "-" + b + "/" + n),
        Arbitraries.strings().withCharRange('!', '~').ofMinLength(1).ofMaxLength(3));
  }
}
