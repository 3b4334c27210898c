package io.piholecheckpoint.web;

import io.piholecheckpoint.core.schedule.LocalTimeText;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;

/** Times as people read them: absolute in TIME_ZONE (named once per page), and relative to now. */
public final class TimeFormat {
  private final LocalTimeText absolute;
  private final Clock clock;
  private final ZoneId zone;

  public TimeFormat(ZoneId zone, Clock clock) {
    this.zone = zone;
    this.absolute = new LocalTimeText(zone);
    this.clock = clock;
  }

  /** TIME_ZONE, as pages name it: "Europe/Berlin". */
  public String zoneId() {
    return zone.getId();
  }

  /** Now, by the clock the relative times are counted to. */
  public Instant now() {
    return clock.instant();
  }

  public String absolute(Instant at) {
    return at == null ? "" : absolute.of(at);
  }

  public String relative(Instant at) {
    if (at == null) {
      return "";
    }
    Duration d = Duration.between(at, clock.instant());
    boolean past = !d.isNegative();
    long s = d.abs().toSeconds();
    String amount;
    if (s < 60) {
      return "just now";
    } else if (s < 3600) {
      amount = (s / 60) + " min";
    } else if (s < 86_400) {
      amount = (s / 3600) + " h";
    } else {
      long days = s / 86_400;
      amount = days + (days == 1 ? " day" : " days");
    }
    return past ? amount + " ago" : "in " + amount;
  }

  /**
   * "12.3", as {@code %.1f} writes it. Not String.format, which parses its pattern on every call:
   * it was the costliest part of drawing the charts, and a dashboard shows hundreds of sizes.
   */
  public static StringBuilder oneDecimal(StringBuilder out, double value) {
    long tenths = Math.round(value * 10);
    if (tenths < 0) {
      out.append('-');
      tenths = -tenths;
    }
    return out.append(tenths / 10).append('.').append(tenths % 10);
  }
}
