package io.piholecheckpoint.core.offsite.copy;


/** Hears how each copy attempt ended, for the metrics: {@code verified}, {@code failed} or {@code mismatch}; and a re-check finding one vanished or changed: {@code damaged}. */
@FunctionalInterface
public interface CopyOutcomes {
  CopyOutcomes NONE = (destination, outcome) -> { };

  void attempted(String destination, String outcome);

  /** An adoption of what the destination holds took {@code adopted} backups into the history and skipped {@code skipped} copies. */
  default void adopted(String destination, int adopted, int skipped) {
  }

  /**
   * A copy of backup {@code backupId} marked damaged was checked again on request and is what was sent: what its backup shows
   * (an archive damaged here too, its check failed) is to be put right from it now, not when the backup is next opened.
   */
  default void verifiedAgain(long backupId) {
  }
}
