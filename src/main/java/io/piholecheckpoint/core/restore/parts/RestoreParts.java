package io.piholecheckpoint.core.restore.parts;

import java.util.Set;

/** The parts a restore applies; derived from the mode, or ticked one by one for CUSTOM. */
public record RestoreParts(boolean lists, boolean localDns, boolean settings, boolean identity) {

  public static RestoreParts of(RestoreMode mode, RestoreParts custom) {
    return switch (mode) {
      case LISTS -> new RestoreParts(true, false, false, false);
      case LISTS_AND_DNS -> new RestoreParts(true, true, false, false);
      case ALL_BUT_IDENTITY -> new RestoreParts(true, true, true, false);
      case EXACT -> new RestoreParts(true, true, true, true);
      case CUSTOM -> custom == null ? new RestoreParts(false, false, false, false) : custom;
    };
  }

  public boolean any() {
    return lists || localDns || settings || identity;
  }

  /** Settings that belong to this Pi-hole, not to its filtering: never copied unless identity is restored too. */
  public static boolean identityKey(String key) {
    return key.startsWith("webserver.") || key.equals("dns.interface") || IDENTITY.contains(key);
  }

  private static final Set<String> IDENTITY = Set.of("misc.privacylevel_locked");
}
