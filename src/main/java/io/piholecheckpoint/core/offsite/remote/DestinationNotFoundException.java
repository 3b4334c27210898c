package io.piholecheckpoint.core.offsite.remote;

import java.util.Collection;

/** No destination of that name is configured. */
public final class DestinationNotFoundException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public DestinationNotFoundException(String name, Collection<String> configured) {
    super("no off-site destination '" + shown(name) + "' is configured ("
        + (configured.isEmpty() ? "none is: add one in Settings, or set OFFSITE_<NAME>_URL" : "there are " + String.join(", ", configured)) + ")");
  }

  private DestinationNotFoundException(String message) {
    super(message);
  }

  /**
   * None of that name was added in Settings, the only ones Settings changes: those of the environment are not listed as
   * missing (they are there), nor offered (they change in the environment).
   */
  public static DestinationNotFoundException inSettings(String name, Collection<String> added) {
    return new DestinationNotFoundException("no off-site destination '" + shown(name) + "' was added in Settings ("
        + (added.isEmpty() ? "none was" : "there are " + String.join(", ", added))
        + "; destinations set by OFFSITE_<NAME>_* variables are changed in the environment)");
  }

  private static String shown(String name) {
    return name.length() > 40 ? name.substring(0, 40) + "…" : name;
  }
}
