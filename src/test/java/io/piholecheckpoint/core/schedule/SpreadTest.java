package io.piholecheckpoint.core.schedule;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.DayOfWeek;
import java.time.Duration;
import java.time.LocalTime;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

class SpreadTest {
  private static final Schedule DAILY = new Schedule(Schedule.Kind.DAILY, LocalTime.of(3, 0), DayOfWeek.SUNDAY, null);
  private final Spread halfAnHour = new Spread(Duration.ofMinutes(30));

  @Test
  void spreadsAThousandInstancesEvenlyOverTheWindow() {
    List<Duration> offsets = LongStream.rangeClosed(1, 1000).mapToObj(id -> halfAnHour.offset(id, DAILY)).toList();
    Map<Long, Integer> perMinute = new TreeMap<>();
    offsets.forEach(o -> perMinute.merge(o.toMinutes(), 1, Integer::sum));

    assertThat(offsets).allMatch(o -> !o.isNegative() && o.compareTo(Duration.ofMinutes(30)) < 0);
    assertThat(perMinute).as("every minute of the window has some, none has many").hasSize(30);
    assertThat(perMinute.values()).allMatch(n -> n >= 15 && n <= 55);
  }

  @Test
  void anInstanceKeepsItsOffsetWhateverElseChanges() {
    Schedule weekly = new Schedule(Schedule.Kind.WEEKLY, LocalTime.of(5, 0), DayOfWeek.MONDAY, null);

    assertThat(new Spread(Duration.ofMinutes(30)).offset(42, DAILY)).isEqualTo(halfAnHour.offset(42, DAILY));
    assertThat(halfAnHour.offset(42, weekly)).isEqualTo(halfAnHour.offset(42, DAILY));
    assertThat(halfAnHour.offset(42, DAILY)).as("written out, so no library can move it").isEqualTo(Duration.ofSeconds(597));
  }

  @Test
  void keepsAnHourlyScheduleHourlyAndACronOneExact() {
    Spread day = new Spread(Duration.ofDays(1));
    Schedule hourly = new Schedule(Schedule.Kind.HOURLY, LocalTime.of(0, 15), DayOfWeek.SUNDAY, null);
    Schedule cron = new Schedule(Schedule.Kind.CRON, LocalTime.of(3, 0), DayOfWeek.SUNDAY, "30 2 * * *");

    assertThat(LongStream.rangeClosed(1, 100).mapToObj(id -> day.offset(id, hourly))).allMatch(o -> o.compareTo(Duration.ofHours(1)) < 0);
    assertThat(day.offset(7, cron)).isZero();
    assertThat(Spread.NONE.offset(7, DAILY)).isZero();
  }
}
