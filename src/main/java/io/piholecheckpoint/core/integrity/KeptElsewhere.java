package io.piholecheckpoint.core.integrity;

import java.util.Optional;

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
}
