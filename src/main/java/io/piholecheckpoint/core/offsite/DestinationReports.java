package io.piholecheckpoint.core.offsite;

import io.piholecheckpoint.core.offsite.catalog.OffsiteCatalog;
import io.piholecheckpoint.core.offsite.catalog.OffsiteCatalog.DestinationStatus;
import io.piholecheckpoint.core.offsite.copy.CopyRunner;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/** What the alerts hear of the destinations: after each run how each does, as the catalogue reads it; after each re-check what it found. */
public final class DestinationReports {
  /**
   * A destination is told as failing once its copies have failed, without a success in between,
   * for this long: by then the queue tried six times (the backoff waits 1, 2, 4, 8 and 16 minutes),
   * so a NAS that reboots or a short network cut is no news, a destination that stays down is.
   */
  public static final Duration FAILING_TOLD_AFTER = Duration.ofHours(1);
  private final OffsiteCatalog catalog;
  private final OffsiteAlerts alerts;
  private final Clock clock;

  /** @param alerts told after every run how each destination does (the notifications) */
  public DestinationReports(OffsiteCatalog catalog, OffsiteAlerts alerts, Clock clock) {
    this.catalog = catalog;
    this.alerts = alerts;
    this.clock = clock;
  }

  void afterRun() {
    Instant failingTooLong = clock.instant().minus(FAILING_TOLD_AFTER);
    for (DestinationStatus s : catalog.status()) {
      if ("disabled".equals(s.status())) {
        alerts.destinationDisabled(s.name(), s.lastError());
      } else if (s.failingSince() == null) {
        alerts.destinationWorks(s.name());
      } else if (!s.failingSince().isAfter(failingTooLong)) {
        alerts.destinationFailing(s.name(), s.lastError(), s.failingSince());
      }
    }
  }

  void afterRecheck(String destination, CopyRunner.Recheck found) {
    if (!found.problems().isEmpty()) {
      alerts.copiesDamaged(destination, found.problems());
    } else if (found.sound() > 0) {
      alerts.copiesCheckOut(destination);
    }
  }
}
