package io.piholecheckpoint.core.archive;

import java.time.Instant;

/**
 * A write to the backup directory failed because its disk was full (ENOSPC or a quota), at
 * {@code at}, with {@code freeBytes} usable then (-1 if unknown). Stays raised until a later
 * archive is written, or until space is freed: the free-space check alone cannot see it,
 * since a full disk can report room that the next archive still does not fit in.
 */
public record OutOfSpace(Instant at, long freeBytes) {
  /** Whether {@code freeNow} is enough more than there was at the failure to try again. */
  public boolean spaceFreed(long freeNow, long reserve) {
    return freeBytes >= 0 && freeNow >= 0 && freeNow >= freeBytes + reserve;
  }
}
