package io.piholecheckpoint.core.access;

import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;

/**
 * The app password as PBKDF2-HMAC-SHA256 (the JDK's own implementation), so that what stays in
 * memory cannot be read back as the password. 600,000 iterations is OWASP's figure for this
 * function. The salt is random, or the installation's own (derived from its shared secret) when
 * every node must derive the same {@link #keyFor key} from the password.
 */
public final class PasswordHash {
  static final int ITERATIONS = 600_000;
  private static final int BITS = 256;

  private final byte[] salt;
  private final byte[] hash;
  private final int iterations;

  private PasswordHash(byte[] salt, byte[] hash, int iterations) {
    this.salt = salt;
    this.hash = hash;
    this.iterations = iterations;
  }

  /** Hashes {@code password} and then overwrites it. */
  public static PasswordHash of(char[] password, SecureRandom random) {
    return of(password, random, ITERATIONS);
  }

  static PasswordHash of(char[] password, SecureRandom random, int iterations) {
    byte[] salt = new byte[16];
    random.nextBytes(salt);
    return of(password, salt, iterations);
  }

  /** Hashes {@code password} with {@code salt} and then overwrites it. */
  public static PasswordHash of(char[] password, byte[] salt) {
    return of(password, salt, ITERATIONS);
  }

  static PasswordHash of(char[] password, byte[] salt, int iterations) {
    try {
      return new PasswordHash(salt, derive(password, salt, iterations), iterations);
    } finally {
      Arrays.fill(password, '\0');
    }
  }

  /** Compares in constant time; overwrites {@code candidate}. */
  public boolean matches(char[] candidate) {
    try {
      return MessageDigest.isEqual(hash, derive(candidate, salt, iterations));
    } finally {
      Arrays.fill(candidate, '\0');
    }
  }

  /** A key for {@code purpose} that only this password (with this salt) gives: HMAC-SHA256 under the hash; the hash never leaves. */
  public byte[] keyFor(String purpose) {
    return SessionSecret.hmac(hash, purpose);
  }

  private static byte[] derive(char[] password, byte[] salt, int iterations) {
    PBEKeySpec spec = new PBEKeySpec(password, salt, iterations, BITS);
    try {
      return SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256").generateSecret(spec).getEncoded();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("this JVM has no PBKDF2WithHmacSHA256", e);
    } finally {
      spec.clearPassword();
    }
  }

  @Override
  public String toString() {
    return "PasswordHash[PBKDF2-HMAC-SHA256, " + iterations + " iterations]";
  }
}
