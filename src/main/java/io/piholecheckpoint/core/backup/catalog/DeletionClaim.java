package io.piholecheckpoint.core.backup.catalog;

import java.util.Optional;
import java.util.Set;

/**
 * What a claim for deletion that honours restores got: the backups claimed, or none of them and the queued or running
 * restore that reads one (a restore that fails "no backup with id N" may have lost the instance's only good backup).
 */
public record DeletionClaim(Set<Long> claimed, Optional<Reader> reader) {

  public static DeletionClaim of(Set<Long> claimed) {
    return new DeletionClaim(Set.copyOf(claimed), Optional.empty());
  }

  public static DeletionClaim refused(Reader reader) {
    return new DeletionClaim(Set.of(), Optional.of(reader));
  }

  /** The restore of {@code backupId}, {@code state} as its record has it ("QUEUED", "RUNNING"). */
  public record Reader(long backupId, long restoreId, String state) {
    public String refusal() {
      return "backup %d is the source of restore %d, %s; delete it after the restore ends".formatted(backupId, restoreId,
          state.toLowerCase(java.util.Locale.ROOT));
    }
  }
}
