package io.piholecheckpoint.pihole;

import io.piholecheckpoint.core.secrets.TotpSecret;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The logins that use one TOTP secret take turns, and each sends the code of a 30 s step none of them sent before: FTL accepts a
 * code once ("Reused 2FA token") and one 2FA check a second, so two of our own logins at once — two Tests, a Test during a
 * backup, a restore's login during a sync — burnt each other's code and one failed as if another client held the secret.
 * Backups, Tests, restores and syncs all log in through {@link PiholeClient}, so they all take their turn here.
 */
final class TotpTurns {
  /** By a digest of the secret: the secret itself is kept nowhere it need not be. */
  private final Map<String, Turn> turns = new ConcurrentHashMap<>();

  /** One secret's turn: held from the code's making until the Pi-hole answered it, and the last step whose code was sent. */
  static final class Turn {
    private final ReentrantLock lock = new ReentrantLock(true);
    private long lastStep = Long.MIN_VALUE;

    /** Waits for this secret's turn; {@link #close} gives it back. */
    Turn take() throws InterruptedException {
      lock.lockInterruptibly();
      return this;
    }

    /** How long before {@code now}'s step is one whose code was not sent yet: zero when it is. */
    Duration untilUnusedStep(Instant now) {
      return Totp.step(now) > lastStep ? Duration.ZERO : Duration.between(now, Totp.start(lastStep + 1));
    }

    /** The code of {@code at}'s step was checked by the Pi-hole: no later login of this turn sends it again. */
    void sent(Instant at) {
      lastStep = Math.max(lastStep, Totp.step(at));
    }

    void close() {
      lock.unlock();
    }
  }

  Turn of(String secret) {
    return turns.computeIfAbsent(digest(secret), key -> new Turn());
  }

  /** The same secret however it was typed, as {@link Totp} reads it. */
  private static String digest(String secret) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(TotpSecret.normal(secret).getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java runtime has SHA-256", e);
    }
  }
}
