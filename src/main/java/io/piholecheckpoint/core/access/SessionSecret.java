package io.piholecheckpoint.core.access;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The secret every node of an installation shares (SESSION_SECRET, or one made once and kept in
 * the database), from which the keys of the CSRF tokens and of the session hashes are derived:
 * one key per purpose, so that none can be used for another.
 */
public final class SessionSecret {
  private static final String ALGORITHM = "HmacSHA256";
  private final byte[] secret;

  private SessionSecret(byte[] secret) {
    this.secret = secret.clone();
  }

  public static SessionSecret of(String text) {
    if (text.codePointCount(0, text.length()) < 32) {
      throw new IllegalArgumentException("is shorter than 32 characters; use a long random value, e.g. from `openssl rand -base64 48`");
    }
    return new SessionSecret(text.getBytes(StandardCharsets.UTF_8));
  }

  /** The key for {@code purpose}: HMAC-SHA256 of it under the secret. */
  public byte[] derive(String purpose) {
    return hmac(secret, purpose);
  }

  static byte[] hmac(byte[] key, String text) {
    try {
      Mac mac = Mac.getInstance(ALGORITHM);
      mac.init(new SecretKeySpec(key, ALGORITHM));
      return mac.doFinal(text.getBytes(StandardCharsets.UTF_8));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("this JVM has no " + ALGORITHM, e);
    }
  }

  @Override
  public String toString() {
    return "SessionSecret[hidden]";
  }
}
