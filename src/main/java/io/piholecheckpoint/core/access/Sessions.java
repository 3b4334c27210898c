package io.piholecheckpoint.core.access;

import io.piholecheckpoint.core.job.DatabaseBusyException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Signed-in browsers, by an unguessable id (256 random bits) that lives only in their cookie. The
 * {@link SessionStore} (the database every node shares) keeps an HMAC of the id, so a session
 * started on one node is good on every other and after a restart, signing out ends it on all of
 * them, and the table alone opens nothing. The HMAC's key is derived from the app password:
 * another password makes every stored session unknown, which ends them all.
 *
 * <p>A session ends when signed out or after {@code idle} without a request. Activity is written
 * at most once a minute (a quarter of {@code idle} if that is shorter), not at every request.
 */
public final class Sessions {
  private static final Duration WRITE_EVERY = Duration.ofMinutes(1);

  private final SessionStore store;
  private final Clock clock;
  private final Duration idle;
  private final Duration writeEvery;
  private final SecureRandom random;
  private final Supplier<byte[]> key;

  /** @param key the key of the ids' HMAC (asked for at each use: the app password's may still be being derived) */
  public Sessions(SessionStore store, Clock clock, Duration idle, SecureRandom random, Supplier<byte[]> key) {
    this.store = store;
    this.clock = clock;
    this.idle = idle;
    this.writeEvery = idle.dividedBy(4).compareTo(WRITE_EVERY) < 0 ? idle.dividedBy(4) : WRITE_EVERY;
    this.random = random;
    this.key = key;
  }

  /** A new session; its id goes into the cookie. Sessions idle too long are cleared out first. */
  public String start() {
    Instant now = clock.instant();
    store.deleteIdleSince(now.minus(idle));
    String id = randomToken(random);
    store.insert(hash(id), now);
    return id;
  }

  /** Whether {@code id} is a live session; if so, it counts as activity. */
  public boolean touch(String id) {
    if (id == null) {
      return false;
    }
    String hash = hash(id);
    Optional<Instant> seen = store.lastSeen(hash);
    if (seen.isEmpty()) {
      return false;
    }
    Instant now = clock.instant();
    if (!seen.get().plus(idle).isAfter(now)) {
      store.delete(hash);
      return false;
    }
    if (!seen.get().plus(writeEvery).isAfter(now)) {
      try {
        store.seen(hash, now);
      } catch (DatabaseBusyException e) {
        // another connection holds the file: the session was read and is live; its activity is noted by a later request
      }
    }
    return true;
  }

  public void end(String id) {
    if (id != null) {
      store.delete(hash(id));
    }
  }

  /** The daily round: sessions idle past their time are deleted; how many. */
  public int pruneIdle() {
    return store.deleteIdleSince(clock.instant().minus(idle));
  }

  /**
   * What tells this node's session key from another's without giving it (or the app password it is derived
   * from) away: a MAC under the key of a fixed text. Nodes whose digests differ reject each other's sign-ins.
   * Waits for the app password's hash.
   */
  public String keyDigest() {
    return Base64.getUrlEncoder().withoutPadding().encodeToString(SessionSecret.hmac(key.get(), "checkpoint-node-agreement"));
  }

  private String hash(String id) {
    return Base64.getUrlEncoder().withoutPadding().encodeToString(SessionSecret.hmac(key.get(), "checkpoint-session\0" + id));
  }

  /** 256 random bits, URL-safe: session ids and CSRF tokens. */
  public static String randomToken(SecureRandom random) {
    byte[] bytes = new byte[32];
    random.nextBytes(bytes);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }
}
