package io.piholecheckpoint.core.backup.catalog;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** Facts about a run of backups that no single backup knows. */
public final class BackupHistory {
  private BackupHistory() {
  }

  /** Ids of the successful backups whose content equals that of the successful one before them. */
  public static Set<Long> unchangedSincePrevious(List<Backup> newestFirst) {
    Set<Long> unchanged = new HashSet<>();
    Backup newer = null;
    for (Backup b : newestFirst) {
      if (!b.successful()) {
        continue;
      }
      if (newer != null && newer.archive().contentHash().equals(b.archive().contentHash())) {
        unchanged.add(newer.id());
      }
      newer = b;
    }
    return unchanged;
  }
}
