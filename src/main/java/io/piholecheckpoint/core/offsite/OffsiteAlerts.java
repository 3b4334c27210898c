package io.piholecheckpoint.core.offsite;

import java.time.Instant;
import java.util.List;

/**
 * Hears how the destinations do, for the notifications: told on every run of the queue and of the
 * re-check, it decides itself what is news (a problem once, again after its cooldown, and once
 * more when it clears). Never given a secret: errors are the destinations' own messages.
 */
public interface OffsiteAlerts {
  OffsiteAlerts NONE = new OffsiteAlerts() {
  };

  /** Copies to the destination have failed, without a success, since {@code since} — longer than {@link DestinationReports#FAILING_TOLD_AFTER}. */
  default void destinationFailing(String destination, String error, Instant since) {
  }

  /** The destination was left out at start because of a setting. */
  default void destinationDisabled(String destination, String why) {
  }

  /** Nothing of the destination is failing (any more). */
  default void destinationWorks(String destination) {
  }

  /** A re-check found copies there missing or changed out of band; each line says which and what happens to it. */
  default void copiesDamaged(String destination, List<String> problems) {
  }

  /** A re-check found every copy it looked at as it was sent. */
  default void copiesCheckOut(String destination) {
  }
}
