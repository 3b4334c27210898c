package io.piholecheckpoint.core.schedule;

import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/**
 * An instant as the pages show it, in TIME_ZONE: "2026-12-06 03:00:00". In the hour the clocks go back, the same local
 * time comes twice, so there the offset follows and tells which ("2027-10-31 02:30:00 +01:00"). Messages written for
 * people (a run's record, an API's refusal) use it too, so that they read like the page around them. A log line has no
 * "Times in …" above it and its own stamp is UTC: there a local time always names its zone ({@link #inLog()}).
 */
public final class LocalTimeText {
  private static final DateTimeFormatter FORMAT = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss", Locale.ENGLISH);
  /** "CET", "CEST", "UTC": the zone's short name, which also tells the two passes of a repeated hour apart. */
  private static final DateTimeFormatter ZONED = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss z", Locale.ENGLISH);
  private final ZoneId zone;
  private final boolean named;

  public LocalTimeText(ZoneId zone) {
    this(zone, false);
  }

  private LocalTimeText(ZoneId zone, boolean named) {
    this.zone = zone;
    this.named = named;
  }

  /** The same times for a log line: "2026-12-06 03:00:00 CET", with the offset after it in a repeated hour. */
  public LocalTimeText inLog() {
    return new LocalTimeText(zone, true);
  }

  public String of(Instant at) {
    ZonedDateTime local = at.atZone(zone);
    String text = (named ? ZONED : FORMAT).format(local);
    return zone.getRules().getValidOffsets(local.toLocalDateTime()).size() > 1 ? text + " " + local.getOffset() : text;
  }
}
