package io.piholecheckpoint.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.time.Clock;
import java.util.Collections;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * FTL's two-factor check at login ({@code webserver.api.totp_secret} set): RFC 6238, SHA1, 6
 * digits, 30 s steps, the previous, current and next step accepted; the code must be a JSON
 * number, may not be used twice, and only one check per wall-clock second (globally) is made.
 */
final class FakeTotp {
  private final String secret;
  private final Clock clock;
  private final Set<String> usedCodes = Collections.synchronizedSet(new HashSet<>());
  private long checkedSecond = -1;
  private final java.util.concurrent.atomic.AtomicInteger refused = new java.util.concurrent.atomic.AtomicInteger();

  FakeTotp(String secret, Clock clock) {
    this.secret = secret;
    this.clock = clock;
  }

  /** Pi-hole's checks of the code, in its order; answers and returns false when the code is refused. */
  boolean accepted(HttpExchange ex, JsonNode body) throws IOException {
    if (!body.has("totp")) {
      FakeReplies.error(ex, 400, "bad_request", "No 2FA token found in JSON payload", null);
      return false;
    }
    synchronized (this) {
      long second = clock.instant().getEpochSecond();
      if (second == checkedSecond) {
        refused.incrementAndGet();
        FakeReplies.error(ex, 429, "rate_limiting", "Rate-limiting 2FA token requests, try again later", null);
        return false;
      }
      checkedSecond = second;
    }
    JsonNode code = body.get("totp");
    long step = clock.instant().getEpochSecond() / 30;
    boolean valid = code.isIntegralNumber()
        && (code.asInt() == code(step - 1) || code.asInt() == code(step) || code.asInt() == code(step + 1));
    if (!valid) {
      FakeReplies.error(ex, 401, "unauthorized", "Invalid 2FA token", null);
      return false;
    }
    if (!usedCodes.add(code.asText())) {
      refused.incrementAndGet();
      FakeReplies.error(ex, 401, "unauthorized", "Reused 2FA token", "wait for new token");
      return false;
    }
    return true;
  }

  /** How many codes were refused as reused or as a second check within one second: what clients that share a secret cost each other. */
  int reusedOrTooFrequent() {
    return refused.get();
  }

  /** RFC 6238 as FTL computes it, written here independently of the client's implementation. */
  private int code(long step) {
    try {
      Mac mac = Mac.getInstance("HmacSHA1");
      mac.init(new SecretKeySpec(base32(secret), "HmacSHA1"));
      byte[] h = mac.doFinal(ByteBuffer.allocate(8).putLong(step).array());
      int o = h[19] & 0xf;
      return (((h[o] & 0x7f) << 24) | ((h[o + 1] & 0xff) << 16) | ((h[o + 2] & 0xff) << 8) | (h[o + 3] & 0xff)) % 1_000_000;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  private static byte[] base32(String text) {
    String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    int buffer = 0;
    int bits = 0;
    for (char c : text.toUpperCase(Locale.ROOT).toCharArray()) {
      buffer = (buffer << 5) | alphabet.indexOf(c);
      bits += 5;
      if (bits >= 8) {
        out.write((buffer >> (bits - 8)) & 0xff);
        bits -= 8;
      }
    }
    return out.toByteArray();
  }
}
