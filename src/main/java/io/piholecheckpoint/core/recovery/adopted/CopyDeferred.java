package io.piholecheckpoint.core.recovery.adopted;

/** One copy decided after the others ({@link AdoptedCopies#record}'s {@code last}). */
public final class CopyDeferred extends RuntimeException {
  private static final long serialVersionUID = 1L;

  CopyDeferred() {
    super(null, null, false, false);
  }
}
