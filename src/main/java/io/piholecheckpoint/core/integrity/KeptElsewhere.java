package io.piholecheckpoint.core.integrity;

import java.util.Optional;
import java.util.Set;

/**
 * Where a backup whose file is not on this disk is kept instead (the off-site copies implement it):
 * such a backup is "remote only", fetched back when opened, not missing.
 */
@FunctionalInterface
public interface KeptElsewhere {
  /** Without destinations a file that is gone is gone. */
  KeptElsewhere NOWHERE = backupId -> Optional.empty();

  /** The destination holding a verified copy it can be fetched from; empty when there is none. */
  Optional<String> keptAt(long backupId);

  /** The backup's archive was verified on this disk (again): copies given up for want of it are sent again. */
  default void archiveHere(long backupId) {
  }

  /**
   * The check of a backup kept remote only fetched its archive back from a sound copy, to send the copies it found damaged
   * again from it: they are due now, and wait for no later round of the off-site copies.
   */
  default void fetchedBack(long backupId) {
  }

  /**
   * The backups with copies given up for want of their archive on this disk: where that archive is here, it was put back
   * (perhaps before any pass saw it gone), and {@link #archiveHere} should be told once it is checked.
   */
  default Set<Long> givenUpWithoutArchive() {
    return Set.of();
  }
}
