package io.piholecheckpoint.notify;

import io.piholecheckpoint.core.backup.events.Notifications;
import java.time.Clock;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.function.BiConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where notifications go: every provider, for the events that are enabled, on threads of their own (a slow or failing
 * provider never delays or fails a backup or restore); the latest outcomes kept for the Settings page and the API.
 */
public final class Deliveries implements Notifications {
  private static final Logger log = LoggerFactory.getLogger(Deliveries.class);
  private static final int HISTORY = 50;

  private final List<Provider> providers;
  private final Set<NotifyEvent> enabled;
  private final ExecutorService deliveries;
  private final BiConsumer<String, Boolean> delivered;
  private final Clock clock;
  private final Deque<Delivery> history = new ArrayDeque<>();

  /** @param delivered told of each outcome by provider name (the metrics count them) */
  public Deliveries(List<Provider> providers, Set<NotifyEvent> enabled, ExecutorService deliveries, BiConsumer<String, Boolean> delivered,
      Clock clock) {
    this.providers = List.copyOf(providers);
    this.enabled = Set.copyOf(enabled);
    this.deliveries = deliveries;
    this.delivered = delivered;
    this.clock = clock;
  }

  @Override
  public List<String> providerNames() {
    return providers.stream().map(Provider::name).toList();
  }

  /** Sends a test message through every provider now and returns each outcome. */
  @Override
  public List<Delivery> test() {
    Notification n = new Notification(NotifyEvent.TEST, null, "Test message", "Notifications from Pi-hole Checkpoint reach you here.",
        clock.instant());
    List<Delivery> results = new ArrayList<>();
    for (Provider p : providers) {
      results.add(deliverNow(p, n));
    }
    return results;
  }

  @Override
  public List<Delivery> recentDeliveries() {
    synchronized (history) {
      return List.copyOf(history);
    }
  }

  /** Sent by every provider in the background, when its event is enabled. */
  void tell(Notification n) {
    if (!enabled.contains(n.event())) {
      return;
    }
    for (Provider p : providers) {
      deliveries.execute(() -> deliverNow(p, n));
    }
  }

  private Delivery deliverNow(Provider p, Notification n) {
    Outbound.Result result;
    try {
      result = p.deliver(n);
    } catch (RuntimeException e) {
      result = new Outbound.Result(false, 0, e.toString(), 1);
    }
    Delivery d = new Delivery(clock.instant(), p.name(), n.event().code(), result.delivered(), result.error());
    synchronized (history) {
      history.addFirst(d);
      while (history.size() > HISTORY) {
        history.removeLast();
      }
    }
    delivered.accept(p.name(), result.delivered());
    if (!result.delivered()) {
      log.warn("Notification '{}' via {} failed after {} attempt(s): {} — check the NOTIFY_{}_* settings", n.title(), p.name(),
          result.attempts(), result.error(), p.name().toUpperCase(java.util.Locale.ROOT));
    }
    return d;
  }
}
