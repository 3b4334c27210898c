package io.piholecheckpoint.core.recovery;

import java.util.Collection;

/** No off-site destination has that name (the {@code <NAME>} of {@code OFFSITE_<NAME>_URL}). */
public final class UnknownDestinationException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  UnknownDestinationException(String name, Collection<String> known) {
    super("there is no off-site destination named '" + name + "'" + (known.isEmpty() ? "; none is configured (OFFSITE_<NAME>_URL)"
        : "; configured: " + String.join(", ", known)));
  }
}
