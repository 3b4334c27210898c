package io.piholecheckpoint.core.schedule;

import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/**
 * An instant as the pages show it, in TIME_ZONE: "2026-12-06 03:00:00". In the hour the clocks go back, the same local
 * time comes twice, so there the offset follows and tells which ("2027-10-31 02:30:00 +01:00"). Messages written for
 * people (a run's record, an API's refusal) use it too, so that they read like the page around them. A log line has no
 * "Times in …" above it and its own stamp is UTC: there a local time always carries its offset ({@link #inLog()}).
 */
public final class LocalTimeText {
  private static final DateTimeFormatter FORMAT = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss", Locale.ENGLISH);
  private final ZoneId zone;
  private final boolean named;

  public LocalTimeText(ZoneId zone) {
    this(zone, false);
  }

  private LocalTimeText(ZoneId zone, boolean named) {
    this.zone = zone;
    this.named = named;
  }

  /**
   * The same times for a log line or a notification: "2026-12-06 03:00:00 +01:00" ("UTC" in UTC), which also tells the two
   * passes of a repeated hour apart. An offset, not a short name such as "CET": with the app's locale data (CLDR alone,
   * etc/jvm.options) English has short names for a few zones only and writes "GMT+01:00" for the rest.
   */
  public LocalTimeText inLog() {
    return new LocalTimeText(zone, true);
  }

  public String of(Instant at) {
    ZonedDateTime local = at.atZone(zone);
    String text = FORMAT.format(local);
    if (named) {
      return text + " " + (zone.normalized().equals(ZoneOffset.UTC) ? "UTC" : local.getOffset().getId());
    }
    return zone.getRules().getValidOffsets(local.toLocalDateTime()).size() > 1 ? text + " " + local.getOffset() : text;
  }
}
