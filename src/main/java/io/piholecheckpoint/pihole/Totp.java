package io.piholecheckpoint.pihole;

import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.time.Instant;
import java.util.Locale;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/** RFC 6238 codes as Pi-hole checks them: HMAC-SHA1, 6 digits, 30 s steps, base32 secrets. */
final class Totp {
  static final int STEP_SECONDS = 30;
  private static final String BASE32 = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

  private final byte[] key;

  /** @throws IllegalArgumentException when {@code base32Secret} is not base32 */
  Totp(String base32Secret) {
    this.key = decode(base32Secret);
  }

  /** The code for the 30 s step that holds {@code at}; a leading zero is just a smaller number. */
  int code(Instant at) {
    try {
      Mac mac = Mac.getInstance("HmacSHA1");
      mac.init(new SecretKeySpec(key, "HmacSHA1"));
      byte[] hash = mac.doFinal(ByteBuffer.allocate(8).putLong(step(at)).array());
      int offset = hash[hash.length - 1] & 0x0f;
      int binary = ByteBuffer.wrap(hash, offset, 4).getInt() & 0x7fffffff;
      return binary % 1_000_000;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("every Java runtime has HmacSHA1", e);
    }
  }

  /** The number of the 30 s step that holds {@code at}. */
  static long step(Instant at) {
    return Math.floorDiv(at.getEpochSecond(), STEP_SECONDS);
  }

  /** The first instant of step {@code step}. */
  static Instant start(long step) {
    return Instant.ofEpochSecond(step * STEP_SECONDS);
  }

  /** The secret without the spaces, dashes and padding it may be typed with, in upper case. */
  static String normal(String secret) {
    return secret.replace(" ", "").replace("-", "").replaceAll("=+$", "").toUpperCase(Locale.ROOT);
  }

  private static byte[] decode(String secret) {
    String s = normal(secret);
    if (s.isEmpty()) {
      throw new IllegalArgumentException("empty TOTP secret");
    }
    ByteBuffer out = ByteBuffer.allocate(s.length() * 5 / 8);
    int buffer = 0;
    int bits = 0;
    for (char c : s.toCharArray()) {
      int value = BASE32.indexOf(c);
      if (value < 0) {
        throw new IllegalArgumentException("a TOTP secret is base32 (A–Z, 2–7); found '" + c + "'");
      }
      buffer = (buffer << 5) | value;
      bits += 5;
      if (bits >= 8) {
        out.put((byte) (buffer >> (bits - 8)));
        bits -= 8;
      }
    }
    return out.array();
  }
}
