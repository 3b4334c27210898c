package io.piholecheckpoint.core.recovery.address;

import io.piholecheckpoint.core.settings.InstanceRules;
import java.net.URI;
import java.util.Optional;

/** The address an instance re-created from its off-site copies is given, from the one its manifest names, and why it differs. */
public final class RecreatedAddress {
  /** The placeholder of an address that cannot be used: the instance is switched off until someone enters its own. */
  private static final String PLACEHOLDER = "http://pi.hole";

  private RecreatedAddress() {
  }

  /**
   * The manifest's Pi-hole address when it is a plain http(s) one; without its user name and password when it holds them (a
   * credential never stays in an address: the instance asks for its password); a placeholder otherwise.
   */
  public static String of(String url) {
    try {
      URI uri = url == null ? null : URI.create(url);
      if (uri != null && ("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) && uri.getHost() != null) {
        String plain = uri.getRawUserInfo() == null ? url
            : new URI(uri.getScheme(), null, uri.getHost(), uri.getPort(), uri.getPath(), uri.getQuery(), uri.getFragment()).toString();
        if (InstanceRules.url(plain).isEmpty()) {
          return plain;
        }
      }
    } catch (IllegalArgumentException | java.net.URISyntaxException e) {
      // not an address: the placeholder below
    }
    return PLACEHOLDER;
  }

  /**
   * Why the instance was re-created with {@code used} and not the manifest's {@code named} address, in words that never hold the
   * credential an address had; empty when it is the manifest's.
   */
  public static Optional<String> otherThanNamed(String named, String used) {
    if (used.equals(named) || named == null && PLACEHOLDER.equals(used)) {
      return Optional.empty();
    }
    if (!PLACEHOLDER.equals(used)) {
      return Optional.of("that address held a user name and password, which are not kept in an address. Enter its password on its page"
          + " and switch it on to back it up again");
    }
    boolean credential = named.contains("@");
    return Optional.of("that address " + (credential ? "held a user name and password and " : "") + "is not one an instance can have."
        + " Enter its address and password on its page and switch it on to back it up again");
  }
}
