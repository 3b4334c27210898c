package io.piholecheckpoint.core.access;

import java.security.SecureRandom;
import java.util.concurrent.CompletableFuture;

/**
 * The app password. 600,000 rounds of PBKDF2 take about a second on a small machine, which
 * startup should not wait for: the web app hashes it on a thread of its own, and a sign-in that
 * comes sooner waits for the hash. The plain characters are overwritten once hashed.
 */
public final class AppPassword {
  private final CompletableFuture<PasswordHash> hash = new CompletableFuture<>();
  private char[] plain;

  private AppPassword(char[] plain) {
    this.plain = plain;
  }

  public static AppPassword of(char[] password) {
    return new AppPassword(password);
  }

  /** Starts hashing; returns at once. */
  public void hashInBackground(SecureRandom random) {
    Thread thread = new Thread(() -> hash(random), "app-password-hash");
    thread.setDaemon(true);
    thread.start();
  }

  private synchronized void hash(SecureRandom random) {
    if (plain != null) {
      try {
        hash.complete(PasswordHash.of(plain, random));
      } catch (RuntimeException e) {
        hash.completeExceptionally(e);
      }
      plain = null;
    }
  }

  /** Compares in constant time; overwrites {@code candidate}. One at a time, so a flood of guesses cannot take every core. */
  public synchronized boolean matches(char[] candidate) {
    hash(new SecureRandom());
    return hash.join().matches(candidate);
  }

  @Override
  public String toString() {
    return "AppPassword[hidden]";
  }
}
