package io.piholecheckpoint.scheduling;

import static org.assertj.core.api.Assertions.assertThat;

import io.piholecheckpoint.core.instance.InstanceDefinition;
import io.piholecheckpoint.core.instance.RetentionPolicy;
import io.piholecheckpoint.core.instance.TlsTrust;
import io.piholecheckpoint.core.schedule.Schedule;
import io.piholecheckpoint.testing.TestServices;
import io.piholecheckpoint.testing.UnitRunTries;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.lifecycle.AddLifecycleHook;
import org.quartz.Trigger;

/**
 * Quartz's own form with month and weekday names means what it means in numbers (Quartz's parser
 * drops a step after a name), and what the pages preview is what the scheduler then fires.
 */
@AddLifecycleHook(UnitRunTries.class)
class QuartzNamesPropertyTest {
  private static final List<String> MONTHS = List.of("JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC");
  private static final List<String> DAYS = List.of("SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT");
  private static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");

  /** The same field written with names (in any case) and in Quartz's numbers. */
  record Field(String named, String numbered) {
  }

  @Property(tries = 200)
  void namesFireWhenTheirNumbersDo(@ForAll("crons") Field cron, @ForAll @IntRange(min = 0, max = 730) int startDay) {
    Clock clock = Clock.fixed(Instant.parse("2026-01-01T00:00:00Z").plus(Duration.ofDays(startDay)), ZoneOffset.UTC);
    QuartzFireTimes fireTimes = new QuartzFireTimes(BERLIN, clock);

    List<Instant> named = fireTimes.upcoming(cron(cron.named()), 8);
    List<Instant> numbered = fireTimes.upcoming(cron(cron.numbered()), 8);

    assertThat(named).as("%s against %s", cron.named(), cron.numbered()).isNotEmpty().isEqualTo(numbered);
  }

  @Property(tries = 50)
  void theNextRunsPreviewedAreTheFiresTheSchedulerPlans(@ForAll("crons") Field cron) throws IOException {
    // now, not a day of choice: Quartz's store takes a trigger whose start is past for a misfire and moves it on
    Clock clock = Clock.fixed(Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS), ZoneOffset.UTC);
    Path dir = Files.createTempDirectory("quartz-names");
    TestServices services = new TestServices(dir.resolve("backups"), clock);
    Schedule schedule = cron(cron.named());
    services.instances.applyEnvironment(List.of(new InstanceDefinition("HOME", "Home", "http://pi.hole", TlsTrust.SYSTEM, null,
        schedule, RetentionPolicy.DEFAULT, false, true)));
    long id = services.instances.list().get(0).id();
    List<Instant> previewed = new QuartzFireTimes(BERLIN, clock).upcoming(id, schedule, 3);

    List<Instant> fired = new ArrayList<>();
    try (TempFiles removed = () -> dir; TestSchedules schedules = new TestSchedules(dir.resolve("scheduler.lock"), BERLIN, clock, Duration.ofSeconds(1), Schedules.OFFSITE_FIRST)
        .start(new AppJobs(services.backups.runs(), services.tickets, services.maintenance),
            s -> s.scheduleAll(services.instances.list(), i -> Optional.empty()))) {
      Trigger trigger = schedules.scheduleTrigger(id).orElseThrow();
      for (Date next = trigger.getNextFireTime(); next != null && fired.size() < 3; next = trigger.getFireTimeAfter(next)) {
        fired.add(next.toInstant());
      }
    }

    assertThat(previewed).as(cron.named()).hasSize(3).isEqualTo(fired);
  }

  /** Each try's own directory, removed after it. */
  private interface TempFiles extends AutoCloseable {
    Path dir();

    @Override
    default void close() throws IOException {
      try (var files = Files.walk(dir())) {
        for (Path file : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
          Files.delete(file);
        }
      }
    }
  }

  private static Schedule cron(String expression) {
    return new Schedule(Schedule.Kind.CRON, LocalTime.NOON, DayOfWeek.SUNDAY, expression);
  }

  /** Quartz's 6 fields: a month field and a weekday field, one of them, or both, with names; the first of the month without weekdays. */
  @Provide
  Arbitrary<Field> crons() {
    Arbitrary<Field> any = Arbitraries.just(new Field("*", "*"));
    Arbitrary<Field> none = Arbitraries.just(new Field("?", "?"));
    return Combinators.combine(Arbitraries.integers().between(0, 59), Arbitraries.integers().between(0, 23),
            Arbitraries.oneOf(any, fields(MONTHS, 12)), Arbitraries.oneOf(none, fields(DAYS, 7), lastOrNth()))
        .as((minute, hour, month, day) -> {
          String dom = day.named().equals("?") ? "1" : "?";
          String head = "0 %d %d %s ".formatted(minute, hour, dom);
          return new Field(head + month.named() + " " + day.named(), head + month.numbered() + " " + day.numbered());
        });
  }

  /** One to three parts: a name, a range (wrapping too, FRI-MON), a range with a step, a name with a step, * with a step. */
  private static Arbitrary<Field> fields(List<String> names, int max) {
    Arbitrary<Integer> value = Arbitraries.integers().between(1, max);
    Arbitrary<Integer> step = Arbitraries.integers().between(1, max - 1);
    Arbitrary<Field> part = Arbitraries.oneOf(
        value.map(v -> new Field(name(v, names), "" + v)),
        Combinators.combine(value, value).as((a, b) -> new Field(name(a, names) + "-" + name(b, names), a + "-" + b)),
        Combinators.combine(value, value, step).as((a, b, s) -> new Field(name(a, names) + "-" + name(b, names) + "/" + s, a + "-" + b + "/" + s)),
        Combinators.combine(value, step).as((a, s) -> new Field(name(a, names) + "/" + s, a + "/" + s)),
        step.map(s -> new Field("*/" + s, "*/" + s)));
    return part.list().ofMinSize(1).ofMaxSize(3).map(parts -> new Field(
        String.join(",", parts.stream().map(Field::named).toList()), String.join(",", parts.stream().map(Field::numbered).toList())));
  }

  /** Quartz's last weekday of the month (FRIL) and n-th weekday (FRI#2), each alone in its field as Quartz requires. */
  private static Arbitrary<Field> lastOrNth() {
    Arbitrary<Integer> day = Arbitraries.integers().between(1, 7);
    return Arbitraries.oneOf(
        day.map(d -> new Field(name(d, DAYS) + "L", d + "L")),
        Combinators.combine(day, Arbitraries.integers().between(1, 4)).as((d, n) -> new Field(name(d, DAYS) + "#" + n, d + "#" + n)));
  }

  private static String name(int n, List<String> names) {
    String name = names.get(n - 1);
    return n % 2 == 0 ? name : name.toLowerCase(Locale.ROOT);
  }
}
