package io.piholecheckpoint.testing;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.http.HttpResponse;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;

/**
 * A Pi-hole added through the API once the app is up, on a once-a-year schedule, then moved to fire once at {@link #at},
 * a few seconds from now: its fire waits for no margin left for a slow start, and nothing else fires before the test is ready.
 */
public record ScheduledSoon(long id, ZonedDateTime at) {
  private static final ObjectMapper JSON = new ObjectMapper();

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

  private static ScheduledSoon in(ServedApp app, long id, int seconds) throws Exception {
    ZonedDateTime at = ZonedDateTime.now(ZoneOffset.UTC).plusSeconds(seconds).truncatedTo(ChronoUnit.SECONDS);
    String cron = "%d %d %d %d %d ?".formatted(at.getSecond(), at.getMinute(), at.getHour(), at.getDayOfMonth(), at.getMonthValue());
    HttpResponse<String> moved = app.send("PUT", "/api/v1/instances/" + id, JSON.createObjectNode().put("scheduleKind", "cron").put("cron", cron).toString());
    assertThat(moved.statusCode()).as(moved.body()).isEqualTo(200);
    return new ScheduledSoon(id, at);
  }
}
