package io.piholecheckpoint.testing;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Moves the daily run of every Pi-hole a test defines by environment, and leaves at the default 03:00, twelve hours away
 * from this JVM's start: a suite that runs across 03:00 would otherwise see scheduled backups take the place of the manual
 * ones a test started (a CI at 02:00 UTC, with TIME_ZONE=Europe/Berlin, did). Instances with a schedule of their own keep it.
 * The same for instances a test adds through the API ({@link ServedApp#send}): the app's default is left as it is.
 */
public final class AwayFromNow {
  private static final Instant FAR = Instant.now().plus(Duration.ofHours(12));
  private static final Pattern URL = Pattern.compile("PIHOLE_([A-Z0-9]+(?:_[A-Z0-9]+)*)_URL");
  private static final List<String> SCHEDULE_SETTINGS = List.of("_SCHEDULE", "_TIME", "_CRON", "_DAY");
  private static final List<String> SCHEDULE_FIELDS = List.of("scheduleKind", "time", "cron", "day");
  private static final ObjectMapper JSON = new ObjectMapper();

  private AwayFromNow() {
  }

  /** The {@code HH:MM} given to instances in this zone (for a test that reads the schedule back). */
  public static String time(ZoneId zone) {
    java.time.ZonedDateTime far = FAR.atZone(zone);
    // the default's own hour (a JVM started 14:00-14:59 UTC, in Berlin) would look unmoved: an hour later is as far from now
    return DateTimeFormatter.ofPattern("HH:00").format(far.getHour() == 3 ? far.plusHours(1) : far);
  }

  /** Adds {@code PIHOLE_<P>_TIME} for each instance of {@code settings} without a schedule setting; null values count as unset. */
  static void apply(Map<String, String> settings) {
    ZoneId zone = zone(settings.get("TIME_ZONE"));
    for (String name : List.copyOf(settings.keySet())) {
      Matcher url = URL.matcher(name);
      if (!url.matches() || settings.get(name) == null || url.group(1).endsWith("_PING")) {
        continue; // _PING_URL is the dead-man switch of instance <P>, not an instance of its own
      }
      String prefix = "PIHOLE_" + url.group(1);
      if (SCHEDULE_SETTINGS.stream().noneMatch(s -> settings.containsKey(prefix + s))) {
        settings.put(prefix + "_TIME", time(zone));
      }
    }
  }

  /**
   * The body of a POST /api/v1/instances with {@code time} added when it sets no schedule field; any other body (not a JSON
   * object: a test of a refusal) as given.
   */
  static String apply(String instanceJson, ZoneId zone) {
    try {
      JsonNode body = JSON.readTree(instanceJson);
      if (!(body instanceof ObjectNode instance) || SCHEDULE_FIELDS.stream().anyMatch(instance::has)) {
        return instanceJson;
      }
      return instance.put("time", time(zone)).toString();
    } catch (JsonProcessingException notJson) {
      return instanceJson;
    }
  }

  /** The zone the app reads schedules in: its TIME_ZONE, or UTC when unset or not a zone. */
  static ZoneId zone(String timeZone) {
    try {
      return timeZone == null || timeZone.isBlank() ? ZoneId.of("UTC") : ZoneId.of(timeZone.strip());
    } catch (DateTimeException e) {
      return ZoneId.of("UTC"); // the app refuses it, or names it and uses UTC: the test is about that, not the schedule
    }
  }
}
