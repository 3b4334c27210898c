package io.piholecheckpoint.core.gateway;

/**
 * What a Teleporter import replaces on the Pi-hole. The core says which; the Pi-hole adapter knows
 * how that is written on the wire (the import selector and its table names).
 */
public enum ImportScope {
  /** The whole archive: settings, the password, app password and 2FA included. */
  EVERYTHING,
  /** Groups, adlists, domains and clients (the gravity tables) only; settings untouched. */
  LISTS,
  /**
   * The whole pihole.toml only (every setting, local DNS, the password, app password and 2FA): Teleporter cannot import part
   * of it. Lists and DHCP leases untouched.
   */
  CONFIG,
  /** The gravity tables and the whole pihole.toml; DHCP leases untouched. */
  LISTS_AND_CONFIG
}
