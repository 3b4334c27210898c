package io.piholecheckpoint.core.offsite.copy;

/** Hears how each copy attempt ended, for the metrics: {@code verified}, {@code failed} or {@code mismatch}; and a re-check finding one vanished or changed: {@code damaged}. */
@FunctionalInterface
public interface CopyOutcomes {
  CopyOutcomes NONE = (destination, outcome) -> { };

  void attempted(String destination, String outcome);

  /** An adoption of what the destination holds took {@code adopted} backups into the history and skipped {@code skipped} copies. */
  default void adopted(String destination, int adopted, int skipped) {
  }
}
