package io.piholecheckpoint.core.backup;

import io.piholecheckpoint.core.instance.PiholeInstance;
import java.time.Instant;
import java.util.List;

/**
 * Deletes what an instance's retention policy no longer keeps, after each run. Declared here so
 * that backups call retention without depending on it: retention reads backups, not the reverse.
 */
public interface Retention {
  /** Deletes what the policy lets go as of {@code now}; returns what was deleted. */
  List<?> prune(PiholeInstance instance, Instant now);
}
