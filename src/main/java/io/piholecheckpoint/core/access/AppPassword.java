package io.piholecheckpoint.core.access;

import java.security.SecureRandom;
import java.util.concurrent.CompletableFuture;

/**
 * The app password. 600,000 rounds of PBKDF2 take about a second on a small machine, which
 * startup should not wait for: the web app hashes it on a thread of its own, and a sign-in that
 * comes sooner waits for the hash. The plain characters are overwritten once hashed. Hashed with
 * the installation's salt, it gives every node the same {@link #sessionKey}, and another password
 * another one.
 */
public final class AppPassword {
  private final CompletableFuture<PasswordHash> hash = new CompletableFuture<>();
  private final int iterations;
  private char[] plain;
  private byte[] salt;

  private AppPassword(char[] plain, int iterations) {
    this.plain = plain;
    this.iterations = iterations;
  }

  public static AppPassword of(char[] password) {
    return new AppPassword(password, PasswordHash.ITERATIONS);
  }

  /** With fewer PBKDF2 rounds than a real password gets: for tests of the background hashing, not of its cost. */
  static AppPassword of(char[] password, int iterations) {
    return new AppPassword(password, iterations);
  }

  /** The PBKDF2 rounds this password is hashed with. */
  int iterations() {
    return iterations;
  }

  /** Starts hashing with {@code installationSalt}; returns at once. */
  public synchronized void hashInBackground(byte[] installationSalt) {
    salt = installationSalt.clone();
    Thread thread = new Thread(this::hash, "app-password-hash");
    thread.setDaemon(true);
    thread.start();
  }

  private synchronized void hash() {
    if (plain != null) {
      try {
        hash.complete(salt == null ? PasswordHash.of(plain, new SecureRandom(), iterations) : PasswordHash.of(plain, salt, iterations));
      } catch (RuntimeException e) {
        hash.completeExceptionally(e);
      }
      plain = null;
    }
  }

  /** Compares in constant time; overwrites {@code candidate}. One at a time, so a flood of guesses cannot take every core. */
  public synchronized boolean matches(char[] candidate) {
    hash();
    return hash.join().matches(candidate);
  }

  /**
   * The key of the session ids' HMAC, derived from the password: waits for the hash, but not for a
   * sign-in being checked (signed-in requests go on while someone guesses).
   */
  public byte[] sessionKey() {
    if (!hash.isDone()) {
      hash();
    }
    return hash.join().keyFor("checkpoint-sessions");
  }

  @Override
  public String toString() {
    return "AppPassword[hidden]";
  }
}
