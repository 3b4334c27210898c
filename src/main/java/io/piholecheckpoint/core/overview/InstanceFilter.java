package io.piholecheckpoint.core.overview;

import io.piholecheckpoint.core.instance.PiholeInstance;
import java.util.Locale;
import java.util.Set;

/**
 * What the dashboard and the instance list can be narrowed to, by what needs a look. An instance
 * can be in two (failing and stale); {@link #ALL} takes every one.
 */
public enum InstanceFilter {
  ALL, OK, FAILING, STALE, DISABLED, MISCONFIGURED, REMOVED, UNKNOWN;

  private static final Set<String> FAILED_CONTACT = Set.of("auth_error", "unreachable", "tls_error", "error");

  /** @param stale no successful backup for longer than its schedule allows (see {@code health.Staleness}) */
  public boolean matches(PiholeInstance instance, boolean stale) {
    String state = instance.state();
    return switch (this) {
      case ALL -> true;
      case OK -> state.equals("ok") && !stale;
      case FAILING -> FAILED_CONTACT.contains(state);
      case STALE -> stale;
      case DISABLED -> state.equals("inactive");
      case MISCONFIGURED, REMOVED, UNKNOWN -> state.equals(word());
    };
  }

  /** The word in URLs and the API: {@code ?status=failing}. */
  public String word() {
    return name().toLowerCase(Locale.ROOT);
  }
}
