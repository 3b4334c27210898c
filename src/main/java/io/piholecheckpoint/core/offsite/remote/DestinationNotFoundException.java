package io.piholecheckpoint.core.offsite.remote;

import java.util.Collection;

/** No destination of that name is configured. */
public final class DestinationNotFoundException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public DestinationNotFoundException(String name, Collection<String> configured) {
    super("no off-site destination '" + (name.length() > 40 ? name.substring(0, 40) + "…" : name) + "' is configured ("
        + (configured.isEmpty() ? "none is: add one in Settings, or set OFFSITE_<NAME>_URL" : "there are " + String.join(", ", configured)) + ")");
  }
}
