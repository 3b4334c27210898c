package io.piholecheckpoint.testing;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;

/**
 * A Pi-hole added through the API once the app is up, on a once-a-year schedule, then moved to fire once at {@link #at},
 * a few seconds from now: its fire waits for no margin left for a slow start, and nothing else fires before the test is ready.
 *
 * <p>A backup runs at most once a minute, so a test that wants a scheduled fire soon gets a cron that fires once a day at a
 * given second ({@link #daily}), not one that fires every few seconds. A cron schedule is not shifted by SCHEDULE_SPREAD
 * (only hourly, daily and weekly ones are), so it fires at that second.
 */
public record ScheduledSoon(long id, ZonedDateTime at, List<ZonedDateTime> mayHaveFired) {
  private static final ObjectMapper JSON = new ObjectMapper();

  /**
   * @param mayHaveFired earlier times this move set that had passed when its answer came: the app may have planned one in time
   *     (its answer's next runs are reckoned a moment after the plan) and fired it, so a test counting fires counts them too
   */
  public ScheduledSoon {
    mayHaveFired = List.copyOf(mayHaveFired);
  }

  public ScheduledSoon(long id, ZonedDateTime at) {
    this(id, at, List.of());
  }

  public static ScheduledSoon add(ServedApp app, FakePihole pihole, int seconds) throws Exception {
    HttpResponse<String> added = app.send("POST", "/api/v1/instances", JSON.createObjectNode().put("name", "Home").put("url", pihole.url())
        .put("password", "labpass").put("scheduleKind", "cron").put("cron", "0 0 0 1 1 ?").toString());
    assertThat(added.statusCode()).as(added.body()).isEqualTo(201);
    return in(app, JSON.readTree(added.body()).get("id").asLong(), seconds);
  }

  /** This instance's schedule moved to fire once more, {@code seconds} from now. */
  public ScheduledSoon again(ServedApp app, int seconds) throws Exception {
    return in(app, id, seconds);
  }

  /** {@code seconds} from the clock's now, to the second, in {@code zone}: the app's TIME_ZONE (UTC unless the test sets it). */
  public static ZonedDateTime in(Clock clock, ZoneId zone, int seconds) {
    return ZonedDateTime.now(clock).withZoneSameInstant(zone).plusSeconds(seconds).truncatedTo(ChronoUnit.SECONDS);
  }

  /** A Quartz cron that fires once a day, at {@code at}'s second, minute and hour (read in the app's TIME_ZONE: give {@code at} in it). */
  public static String daily(ZonedDateTime at) {
    return "%d %d %d * * ?".formatted(at.getSecond(), at.getMinute(), at.getHour());
  }

  /**
   * Under load the PUT itself can outlast the lead: a time already past when the app plans it fires a day later, and the test
   * waits for nothing. The answer's first next run says whether it was planned in time; if not, it is set again further ahead.
   */
  private static ScheduledSoon in(ServedApp app, long id, int seconds) throws Exception {
    List<ZonedDateTime> late = new ArrayList<>();
    for (int lead = seconds; ; lead *= 2) {
      ZonedDateTime at = in(Clock.systemUTC(), ZoneOffset.UTC, lead);
      HttpResponse<String> moved = app.send("PUT", "/api/v1/instances/" + id, JSON.createObjectNode().put("scheduleKind", "cron")
          .put("cron", daily(at)).toString());
      assertThat(moved.statusCode()).as(moved.body()).isEqualTo(200);
      String next = JSON.readTree(moved.body()).at("/nextRuns/0").asText();
      if (next.isEmpty() || OffsetDateTime.parse(next).toInstant().equals(at.toInstant()) || lead >= 120) {
        return new ScheduledSoon(id, at, late);
      }
      late.add(at);
    }
  }
}
