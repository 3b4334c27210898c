package io.piholecheckpoint.core.access;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Growing delays for wrong passwords, per client address: five free tries (typos happen), then
 * 15 s, 30 s, 1 min … up to 15 minutes between tries. A client is forgotten an hour after its last failure or
 * when it signs in; at most 10,000 addresses are remembered, so a flood cannot fill the heap.
 */
public final class LoginThrottle {
  static final int FREE_FAILURES = 5;
  static final Duration FIRST_DELAY = Duration.ofSeconds(15);
  static final Duration MAX_DELAY = Duration.ofMinutes(15);
  private static final Duration FORGET_AFTER = Duration.ofHours(1);
  private static final int MAX_CLIENTS = 10_000;

  private record Failures(int count, Instant last, Instant blockedUntil) {
  }

  private final Clock clock;
  private final Map<String, Failures> clients = new LinkedHashMap<>(16, 0.75f, true) {
    @Override
    protected boolean removeEldestEntry(Map.Entry<String, Failures> eldest) {
      return size() > MAX_CLIENTS;
    }
  };

  public LoginThrottle(Clock clock) {
    this.clock = clock;
  }

  /** How long {@code client} must wait before its next try; zero if it may try now. */
  public synchronized Duration retryAfter(String client) {
    Failures f = current(client);
    if (f == null) {
      return Duration.ZERO;
    }
    Duration wait = Duration.between(clock.instant(), f.blockedUntil());
    return wait.isNegative() ? Duration.ZERO : wait;
  }

  /** {@link #retryAfter} in whole seconds for a Retry-After header, rounded up: 0 when it may try now. */
  public long retryAfterSeconds(String client) {
    Duration wait = retryAfter(client);
    return wait.isZero() ? 0 : Math.max(1, wait.toSeconds() + (wait.toMillisPart() > 0 ? 1 : 0));
  }

  public synchronized void failed(String client) {
    Failures f = current(client);
    int count = f == null ? 1 : f.count() + 1;
    Instant now = clock.instant();
    clients.put(client, new Failures(count, now, now.plus(delayAfter(count))));
  }

  public synchronized void succeeded(String client) {
    clients.remove(client);
  }

  static Duration delayAfter(int failures) {
    if (failures < FREE_FAILURES) {
      return Duration.ZERO;
    }
    int doublings = Math.min(failures - FREE_FAILURES, 20);
    Duration delay = FIRST_DELAY.multipliedBy(1L << doublings);
    return delay.compareTo(MAX_DELAY) > 0 ? MAX_DELAY : delay;
  }

  private Failures current(String client) {
    Failures f = clients.get(client);
    if (f != null && f.last().plus(FORGET_AFTER).isBefore(clock.instant())) {
      clients.remove(client);
      return null;
    }
    return f;
  }
}
