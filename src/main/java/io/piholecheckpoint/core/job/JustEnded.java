package io.piholecheckpoint.core.job;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What this process ended a moment ago, by job id, as its end wrote it: a waiter of this process (a request with
 * {@code ?wait=true}) takes it from here instead of reading the row again. Kept a minute, far less than the week a finished
 * job stays stored and the same all that time: what is handed out is what a read would return.
 */
public final class JustEnded<T> {
  /** Long enough for any waiter woken by the end; nothing that ended is held longer. */
  static final Duration KEPT = Duration.ofMinutes(1);

  private record Ended<T>(T value, long atNanos) {
  }

  private final Map<String, Ended<T>> ended = new ConcurrentHashMap<>();

  public void put(String id, T value) {
    long now = System.nanoTime();
    ended.values().removeIf(e -> now - e.atNanos() > KEPT.toNanos());
    ended.put(id, new Ended<>(value, now));
  }

  public Optional<T> get(String id) {
    Ended<T> e = ended.get(id);
    return e == null || System.nanoTime() - e.atNanos() > KEPT.toNanos() ? Optional.empty() : Optional.of(e.value());
  }
}
