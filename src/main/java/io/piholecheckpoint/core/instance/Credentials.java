package io.piholecheckpoint.core.instance;

import java.util.Optional;

/** Looks up an instance's Pi-hole password at the moment it is needed; it is never stored. */
public interface Credentials {

  /** The password, or empty when the Pi-hole has none configured here. */
  Optional<String> passwordFor(PiholeInstance instance);
}
