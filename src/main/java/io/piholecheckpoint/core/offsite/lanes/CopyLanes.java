package io.piholecheckpoint.core.offsite.lanes;

/**
 * Where each destination's copies run: a lane per destination (the scheduler's job per destination),
 * so that a slow or stalled destination holds up its own copies and no other's.
 */
@FunctionalInterface
public interface CopyLanes {
  /**
   * Starts the destination's due copies in its lane, or once more right after its run still going there.
   *
   * @return how many copies were verified by the time it returns: 0 when the lane runs on by itself
   */
  int start(String destination);
}
