package io.piholecheckpoint.core.recovery.adopted;

/** One copy not adopted, for a reason the adoption counts and keeps for Settings. */
public final class CopySkipped extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public CopySkipped(String why) {
    super(why, null, false, false);
  }
}
