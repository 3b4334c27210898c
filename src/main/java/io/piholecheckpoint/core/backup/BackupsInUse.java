package io.piholecheckpoint.core.backup;

import java.util.Set;

/**
 * The backups a queued or running restore is about to read. Retention keeps them for its run: a
 * restore's own safety backup runs retention, and it must not delete the backup being restored.
 * Declared here, as {@link Retention} is, so that retention need not depend on restores.
 */
public interface BackupsInUse {
  BackupsInUse NONE = Set::of;

  /** Their ids; read at each retention run. */
  Set<Long> ids();
}
