package io.piholecheckpoint.core.destination;

/**
 * A destination was saved and deleted a moment after, before the answer could show it (on another node, or in another
 * window): 409, as what was asked for no longer stands.
 */
public class DestinationDeletedException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public DestinationDeletedException(String name) {
    super("the off-site destination " + name + " was saved, and deleted a moment after (on another node, or in another window);"
        + " add it again if it should stay");
  }
}
