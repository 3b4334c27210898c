package io.piholecheckpoint.core.secrets;

import java.io.ByteArrayOutputStream;
import java.util.Locale;
import java.util.Optional;

/**
 * A TOTP secret as Pi-hole keeps it ({@code webserver.api.totp_secret}): base32 text that decodes to the HMAC key of its
 * codes. Checked here, in the core, so that a secret that cannot make a key is refused where it is set (form, API,
 * environment) and not first met by a login, and decoded here for the logins themselves.
 */
public final class TotpSecret {
  private static final String BASE32 = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
  /** Of what a user can act on: where Pi-hole shows its secret and what it looks like. */
  private static final String LOOKS_LIKE = "Copy the Pi-hole's whole secret (webserver.api.totp_secret, shown when 2FA is set up):"
      + " 32 letters A–Z and digits 2–7, spaces and dashes allowed.";

  private TotpSecret() {
  }

  /** The secret without the spaces, dashes and padding it may be typed with, in upper case. */
  public static String normal(String secret) {
    return secret.replaceAll("[\\s-]", "").replaceAll("=+$", "").toUpperCase(Locale.ROOT);
  }

  /** Why {@code secret} cannot make TOTP codes, in words for the user, or empty when it can. */
  public static Optional<String> problem(String secret) {
    try {
      key(secret);
      return Optional.empty();
    } catch (IllegalArgumentException e) {
      return Optional.of(e.getMessage());
    }
  }

  /**
   * The HMAC key {@code secret} decodes to.
   *
   * @throws IllegalArgumentException saying why, when it is not base32 or too short to hold one byte of key (one character
   *     is 5 bits: "A" decodes to nothing, and an empty key makes no code)
   */
  public static byte[] key(String secret) {
    String s = normal(secret);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    int buffer = 0;
    int bits = 0;
    for (char c : s.toCharArray()) {
      int value = BASE32.indexOf(c);
      if (value < 0) {
        // the character is not quoted: it is part of a secret
        throw new IllegalArgumentException("A TOTP secret is base32: letters A–Z and digits 2–7 only. " + LOOKS_LIKE);
      }
      buffer = (buffer << 5) | value;
      bits += 5;
      if (bits >= 8) {
        out.write(buffer >> (bits - 8));
        bits -= 8;
      }
    }
    if (out.size() == 0) {
      throw new IllegalArgumentException("This TOTP secret is too short to make a key (" + s.length() + " base32 character"
          + (s.length() == 1 ? "" : "s") + "; it needs at least 2). " + LOOKS_LIKE);
    }
    return out.toByteArray();
  }
}
