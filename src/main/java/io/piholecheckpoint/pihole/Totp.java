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
      byte[] hash = mac.doFinal(ByteBuffer.allocate(8).putLong(Math.floorDiv(at.getEpochSecond(), STEP_SECONDS)).array());
      int offset = hash[hash.length - 1] & 0x0f;
      int binary = ByteBuffer.wrap(hash, offset, 4).getInt() & 0x7fffffff;
      return binary % 1_000_000;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("every Java runtime has HmacSHA1", e);
    }
  }

  /** The first instant of the step after the one holding {@code at}. */
  static Instant nextStep(Instant at) {
    return Instant.ofEpochSecond((Math.floorDiv(at.getEpochSecond(), STEP_SECONDS) + 1) * STEP_SECONDS);
  }

  private static byte[] decode(String secret) {
    String s = secret.replace(" ", "").replace("-", "").replaceAll("=+$", "").toUpperCase(Locale.ROOT);
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
