package io.piholecheckpoint.core.access;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * A token that scripts send as {@code Authorization: Bearer}. Only its SHA-256 is kept; a
 * candidate is hashed too, so comparing takes the same time whatever its length or content.
 */
public final class BearerToken {
  private final byte[] digest;

  private BearerToken(byte[] digest) {
    this.digest = digest;
  }

  public static BearerToken of(String token) {
    if (token.codePointCount(0, token.length()) < 16) {
      throw new IllegalArgumentException("is shorter than 16 characters; use a long random value, e.g. from `openssl rand -hex 32`");
    }
    return new BearerToken(sha256(token));
  }

  /** Whether an {@code Authorization} header carries this token. */
  public boolean acceptsHeader(String authorization) {
    if (authorization == null || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
      return false;
    }
    return MessageDigest.isEqual(digest, sha256(authorization.substring(7).trim()));
  }

  private static byte[] sha256(String value) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public String toString() {
    return "BearerToken[hidden]";
  }
}
