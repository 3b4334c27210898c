package io.piholecheckpoint.pihole;

import io.piholecheckpoint.core.secrets.TotpSecret;
import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.time.Instant;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/** RFC 6238 codes as Pi-hole checks them: HMAC-SHA1, 6 digits, 30 s steps, base32 secrets. */
final class Totp {
  static final int STEP_SECONDS = 30;

  private final byte[] key;

  /** @throws IllegalArgumentException saying why, when {@code base32Secret} cannot make a key ({@link TotpSecret#key}) */
  Totp(String base32Secret) {
    this.key = TotpSecret.key(base32Secret);
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
}
