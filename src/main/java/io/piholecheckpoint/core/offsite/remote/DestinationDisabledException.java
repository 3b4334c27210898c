package io.piholecheckpoint.core.offsite.remote;

/** The destination is configured but was disabled at start by a setting that cannot work; the message says which and why. */
public class DestinationDisabledException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public DestinationDisabledException(String name, String why) {
    super("off-site destination " + name + " is disabled: " + why + "; fix the setting and restart");
  }
}
