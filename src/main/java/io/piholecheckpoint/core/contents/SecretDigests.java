package io.piholecheckpoint.core.contents;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Map;
import java.util.TreeMap;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The secret settings of one archive (see {@link ArchiveContents#secret}), kept only as keyed
 * digests: two archives can be compared — was the 2FA secret set, cleared or changed? — without
 * holding the value where a page, an API answer or a log could reach it.
 *
 * <p>HMAC-SHA256 under a key drawn per process rather than a plain SHA-256: the digests are only
 * ever compared inside this process and never stored, so a fixed key would buy nothing, while a
 * plain hash of a password hash or TOTP seed would be a stable fingerprint that anyone who saw it
 * could test guesses against. There is deliberately no accessor for a digest, and
 * {@link #toString()} names no value.
 */
public final class SecretDigests {
  private static final SecretKeySpec KEY = new SecretKeySpec(randomKey(), "HmacSHA256");

  /** Only the settings that hold a value: an empty one ("", [], absent) is not set. */
  private final Map<String, byte[]> digests;

  private SecretDigests(Map<String, byte[]> digests) {
    this.digests = digests;
  }

  /** @param values dotted key → the setting's value (JSON text); only secret keys are kept, as digests */
  public static SecretDigests of(Map<String, String> values) {
    Map<String, byte[]> digests = new TreeMap<>();
    values.forEach((key, value) -> {
      if (ArchiveContents.secret(key) && !empty(value)) {
        digests.put(key, digest(key, value));
      }
    });
    return new SecretDigests(Map.copyOf(digests));
  }

  /** Whether the secret holds a value (2FA is on, an app password exists, …). */
  public boolean set(String key) {
    return digests.containsKey(key);
  }

  /** Whether {@code key} holds the same value here as in {@code other}: both unset, or equal digests. */
  public boolean same(String key, SecretDigests other) {
    byte[] mine = digests.get(key);
    byte[] theirs = other.digests.get(key);
    return mine == null || theirs == null ? mine == theirs : MessageDigest.isEqual(mine, theirs);
  }

  private static boolean empty(String json) {
    return json == null || json.isEmpty() || json.equals("\"\"") || json.equals("[]") || json.equals("null");
  }

  /** The key is part of the message: two secrets with one value do not look alike. */
  private static byte[] digest(String key, String value) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(KEY);
      mac.update(key.getBytes(StandardCharsets.UTF_8));
      mac.update((byte) 0);
      return mac.doFinal(value.getBytes(StandardCharsets.UTF_8));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is part of every Java runtime", e);
    }
  }

  private static byte[] randomKey() {
    byte[] key = new byte[32];
    new SecureRandom().nextBytes(key);
    return key;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof SecretDigests other && digests.keySet().equals(other.digests.keySet())
        && digests.keySet().stream().allMatch(k -> same(k, other));
  }

  @Override
  public int hashCode() {
    return digests.keySet().hashCode();
  }

  /** Names the keys that are set, never a value or a digest. */
  @Override
  public String toString() {
    return "SecretDigests" + digests.keySet();
  }
}
