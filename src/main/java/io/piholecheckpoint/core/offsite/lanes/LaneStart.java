package io.piholecheckpoint.core.offsite.lanes;

/**
 * What a destination's lane does before its copies: at its first run in this process (the adoption of what it holds, the
 * passphrase tried on one of its copies), and at every later run (what the first could not do for want of the destination,
 * tried again when due). Both run in the lane's scheduler job, never holding up the start.
 */
@FunctionalInterface
public interface LaneStart {
  void firstRun(String destination);

  /** Nothing by default; cheap when there is nothing left to do: it runs every minute. */
  default void laterRun(String destination) {
  }
}
