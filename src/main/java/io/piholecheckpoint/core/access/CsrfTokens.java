package io.piholecheckpoint.core.access;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * CSRF tokens that are an HMAC of what identifies the browser to us: the session id when signed
 * in, otherwise a random per-browser id from a cookie. A cookie planted by a sibling subdomain
 * therefore buys nothing: without this key nobody can compute the token that goes with it, and
 * a pair copied from a page of ours is bound to the copier's own session or browser id.
 *
 * <p>The key is derived from the {@link SessionSecret} every node shares: a page rendered by one
 * node posts to another, and a restart does not ask open pages to reload.
 */
public final class CsrfTokens {
  private static final String ALGORITHM = "HmacSHA256";

  private final SecretKeySpec key;

  public CsrfTokens(SessionSecret secret) {
    this.key = new SecretKeySpec(secret.derive("checkpoint-csrf-key"), ALGORITHM);
  }

  /** The token for pages served to {@code binding} (a session id or browser id; never null). */
  public String issue(String binding) {
    return Base64.getUrlEncoder().withoutPadding().encodeToString(mac(binding));
  }

  /** Whether {@code sent} is the token of {@code binding}; compared in constant time. */
  public boolean accepts(String binding, String sent) {
    if (binding == null || sent == null) {
      return false;
    }
    return MessageDigest.isEqual(issue(binding).getBytes(StandardCharsets.US_ASCII), sent.getBytes(StandardCharsets.UTF_8));
  }

  private byte[] mac(String binding) {
    try {
      Mac mac = Mac.getInstance(ALGORITHM);
      mac.init(key);
      return mac.doFinal(("checkpoint-csrf\0" + binding).getBytes(StandardCharsets.UTF_8));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("this JVM has no " + ALGORITHM, e);
    }
  }

  @Override
  public String toString() {
    return "CsrfTokens[key hidden]";
  }
}
