package io.piholecheckpoint.core.access;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Signed-in browsers, by an unguessable id (256 random bits) that lives only in a cookie and
 * in this map: a restart signs everyone out, which is acceptable for a tool used now and then
 * and keeps the session store out of the database. A session ends when signed out or after
 * {@code idle} without a request.
 */
public final class Sessions {
  private static final int MAX_SESSIONS = 1_000;

  private final Clock clock;
  private final Duration idle;
  private final SecureRandom random;
  private final Map<String, Instant> lastSeen = new ConcurrentHashMap<>();

  public Sessions(Clock clock, Duration idle, SecureRandom random) {
    this.clock = clock;
    this.idle = idle;
    this.random = random;
  }

  /** A new session; its id goes into the cookie. */
  public String start() {
    if (lastSeen.size() >= MAX_SESSIONS) {
      Instant now = clock.instant();
      lastSeen.values().removeIf(seen -> expired(seen, now));
      if (lastSeen.size() >= MAX_SESSIONS) {
        lastSeen.entrySet().stream().min(Map.Entry.comparingByValue()).ifPresent(e -> lastSeen.remove(e.getKey()));
      }
    }
    String id = randomToken(random);
    lastSeen.put(id, clock.instant());
    return id;
  }

  /** Whether {@code id} is a live session; if so, it counts as activity. */
  public boolean touch(String id) {
    if (id == null) {
      return false;
    }
    Instant now = clock.instant();
    Instant seen = lastSeen.get(id);
    if (seen == null) {
      return false;
    }
    if (expired(seen, now)) {
      lastSeen.remove(id);
      return false;
    }
    lastSeen.put(id, now);
    return true;
  }

  public void end(String id) {
    if (id != null) {
      lastSeen.remove(id);
    }
  }

  private boolean expired(Instant seen, Instant now) {
    return !seen.plus(idle).isAfter(now);
  }

  /** 256 random bits, URL-safe: session ids and CSRF tokens. */
  public static String randomToken(SecureRandom random) {
    byte[] bytes = new byte[32];
    random.nextBytes(bytes);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }
}
