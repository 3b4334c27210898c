package io.piholecheckpoint.core.schedule;

import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/**
 * An instant as the pages show it, in TIME_ZONE: "2026-12-06 03:00:00". In the hour the clocks go back, the same local
 * time comes twice, so there the offset follows and tells which ("2027-10-31 02:30:00 +01:00"). Messages written for
 * people (a run's record, an API's refusal) use it too, so that they read like the page around them; logs keep UTC.
 */
public final class LocalTimeText {
  private static final DateTimeFormatter FORMAT = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss", Locale.ENGLISH);
  private final ZoneId zone;

  public LocalTimeText(ZoneId zone) {
    this.zone = zone;
  }

  public String of(Instant at) {
    ZonedDateTime local = at.atZone(zone);
    String text = FORMAT.format(local);
    return zone.getRules().getValidOffsets(local.toLocalDateTime()).size() > 1 ? text + " " + local.getOffset() : text;
  }
}
