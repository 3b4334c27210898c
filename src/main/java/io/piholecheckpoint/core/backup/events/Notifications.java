package io.piholecheckpoint.core.backup.events;

import java.time.Instant;
import java.util.List;

/** The notification providers as the settings page and the API show them, and a test through each. */
public interface Notifications {
  /** The configured providers by name; empty when none is. */
  List<String> providerNames();

  /** The last delivery attempts, newest first. */
  List<Delivery> recentDeliveries();

  /** Sends a test message through every provider and waits for each outcome. */
  List<Delivery> test();

  /** One delivery attempt as the settings page lists it. */
  record Delivery(Instant at, String provider, String event, boolean delivered, String error) {
  }
}
